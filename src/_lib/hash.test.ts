import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareStrings, portableSha256, sha256Utf8, stableId } from "./hash.js";

// Ids computed with the original node:crypto implementation. Stored profiles, links, interactions and
// the migration fixtures hold these ids, so a new hashing backend must reproduce them byte for byte.
const PINNED: [string, string[], string][] = [
  ["p", ["email:jan@x.pl"], "p_53yfq5231r7w38t8py6w"],
  ["prof", [], "prof_werc8gmrzge196qvyk49"],
  ["int", ["email", "42", "ä€😀"], "int_a5tz7bpex3n8byk5zcww"],
  ["c", ["", ""], "c_drt0q77zpdx9h7558kkb"],
  ["x", ["a".repeat(1000)], "x_87pyss1dcfmdkfthbadt"],
  ["p", ["\ud800x", "\udfff"], "p_80tfcs6dqekscavtv33s"],
];

describe("stableId", () => {
  it.each(PINNED)("keeps the id of %s %j", (prefix, parts, id) => {
    expect(stableId(prefix, ...parts)).toBe(id);
  });

  it("is a prefix and 20 Crockford base32 characters, the same for the same parts", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(fc.string({ unit: "grapheme" })),
        (prefix, parts) => {
          const id = stableId(prefix, ...parts);
          expect(id.startsWith(`${prefix}_`)).toBe(true);
          expect(id.slice(prefix.length + 1)).toMatch(/^[0-9a-hjkmnp-tv-z]{20}$/);
          expect(stableId(prefix, ...parts)).toBe(id);
        },
      ),
    );
  });

  it("tells apart parts that differ only in where they are split", () => {
    expect(stableId("p", "ab", "c")).not.toBe(stableId("p", "a", "bc"));
  });
});

describe("sha256Utf8", () => {
  it("uses the runtime's native hash in Node", () => {
    expect(sha256Utf8).not.toBe(portableSha256);
  });

  it("gives the same bytes as the portable hash, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme" })), (text) => {
        expect([...sha256Utf8(text)]).toEqual([...portableSha256(text)]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("compareStrings", () => {
  it("orders by UTF-16 code unit", () => {
    expect(["b", "a", "B", "ä"].sort(compareStrings)).toEqual(["B", "a", "b", "ä"]);
    expect(compareStrings("x", "x")).toBe(0);
  });
});
