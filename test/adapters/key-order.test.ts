import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decodeKey, encodeKey, prefixUpperBound } from "../../src/adapters/_lib/encoding.js";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import type { StorageAdapter, StorageTransaction } from "../../src/storage/port.js";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

/** Any UTF-16 string, lone surrogates included. */
const utf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 6 })
  .map((units) => String.fromCharCode(...units));
/** Code units biased to the interesting ranges: ASCII, just below U+D800, surrogates, U+E000..U+FFFF. */
const tricky = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x61, max: 0x63 }),
      fc.integer({ min: 0xd7fe, max: 0xd7ff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0xe000, max: 0xe001 }),
      fc.integer({ min: 0xfffe, max: 0xffff }),
    ),
    { maxLength: 5 },
  )
  .map((units) => String.fromCharCode(...units));

const utf8 = (s: string) => Buffer.from(s, "utf8");
const sign = (n: number) => Math.sign(n);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("key encoding for SQL order", () => {
  it("round-trips every UTF-16 string, lone surrogates included, and keeps plain keys unchanged", () => {
    fc.assert(fc.property(fc.oneof(utf16, tricky), (s) => decodeKey(encodeKey(s)) === s));
    expect(encodeKey("email:jan@x.pl/ząb/日本語")).toBe("email:jan@x.pl/ząb/日本語");
    expect(encodeKey("😀")).not.toBe("😀");
  });

  it("makes UTF-8 byte order of encoded keys equal UTF-16 code-unit order of the keys", () => {
    fc.assert(
      fc.property(fc.oneof(utf16, tricky), fc.oneof(utf16, tricky), (a, b) => {
        expect(sign(Buffer.compare(utf8(encodeKey(a)), utf8(encodeKey(b))))).toBe(sign(byCodeUnit(a, b)));
      }),
      { numRuns: 2000 },
    );
    // The case where code point order and code unit order disagree:
    expect("😀" < "\uFF5E").toBe(true);
    expect(Buffer.compare(utf8("😀"), utf8("\uFF5E"))).toBe(1);
    expect(Buffer.compare(utf8(encodeKey("😀")), utf8(encodeKey("\uFF5E")))).toBe(-1);
  });

  it("turns a prefix into a byte range [encoded prefix, upper bound)", () => {
    fc.assert(
      fc.property(
        fc.oneof(utf16, tricky),
        tricky.filter((p) => p !== ""),
        (s, p) => {
          const key = utf8(encodeKey(s));
          const low = encodeKey(p);
          const high = prefixUpperBound(low) as string;
          const inRange = Buffer.compare(key, utf8(low)) >= 0 && Buffer.compare(key, utf8(high)) < 0;
          expect(inRange).toBe(s.startsWith(p));
        },
      ),
      { numRuns: 2000 },
    );
    expect(prefixUpperBound("")).toBeNull();
  });
});

const KEYS = [
  "a",
  "é",
  "日本",
  "\uD7FF",
  "\uD7FFz",
  "😀",
  "😀b",
  "😁",
  "\uD83D",
  "z\uDC00",
  "\uE000",
  "\uFF5E",
  "\uFFFF",
  "\uFFFFa",
];

async function orderings(adapter: StorageAdapter): Promise<unknown> {
  const keys = (docs: { key: string }[]) => docs.map((d) => d.key);
  await adapter.transaction(async (t) => {
    for (const k of KEYS) await t.put("docs", k, { k }, { index: { all: "yes", self: k } });
  });
  return adapter.transaction(async (t: StorageTransaction) => ({
    scan: keys(await t.scan("docs")),
    reverse: keys(await t.scan("docs", { reverse: true })),
    afterEmoji: keys(await t.scan("docs", { after: "😀", limit: 3 })),
    beforeFullwidth: keys(await t.scan("docs", { after: "\uFF5E", reverse: true, limit: 3 })),
    highSurrogatePrefix: keys(await t.scan("docs", { prefix: "\uD83D" })),
    emojiPrefix: keys(await t.scan("docs", { prefix: "😀" })),
    d7ffPrefix: keys(await t.scan("docs", { prefix: "\uD7FF" })),
    ffffPrefix: keys(await t.scan("docs", { prefix: "\uFFFF", reverse: true })),
    find: keys(await t.find("docs", "all", "yes", { after: "\uD7FFz", limit: 4 })),
    findSelf: keys(await t.find("docs", "self", "\uD83D")),
    many: [...(await t.getMany("docs", ["😀", "\uD83D", "z\uDC00", "missing"])).keys()].sort(),
  }));
}

describe("SQL adapters order keys exactly like the memory adapter", () => {
  const postgres = freshPostgresAdapter();
  afterAll(() => dropPostgresSchema(postgres));

  it("for astral vs. BMP characters, lone surrogates and prefixes", async () => {
    const expected = await orderings(memoryAdapter());
    expect((expected as { scan: string[] }).scan).toEqual([...KEYS].sort());
    const sqlite = sqliteAdapter({ filename: ":memory:" });
    expect(await orderings(sqlite)).toEqual(expected);
    await sqlite.close();
    expect(await orderings(postgres)).toEqual(expected);
    await postgres.close();
  });

  it("refuses U+0000 in PostgreSQL keys and index values instead of corrupting them", async () => {
    const adapter = freshPostgresAdapter();
    try {
      await expect(adapter.transaction(async (t) => t.put("docs", "a\u0000b", 1))).rejects.toThrow(/U\+0000/);
      await expect(
        adapter.transaction(async (t) => t.put("docs", "ab", 1, { index: { by: "x\u0000" } })),
      ).rejects.toThrow(/U\+0000/);
    } finally {
      await adapter.close();
      await dropPostgresSchema(adapter);
    }
  });
});
