import { domainToASCII } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalDomain } from "./domain.js";

// Outputs of the original implementation over node:url's domainToASCII; the browser-safe version must
// give every stored email domain the same canonical form.
const PINNED: [string, string | null][] = [
  ["münchen.de", "xn--mnchen-3ya.de"],
  ["xn--mnchen-3ya.de", "xn--mnchen-3ya.de"],
  ["EXAMPLE.com.", "example.com"],
  ["ÄÖÜ.DE", "xn--4ca0bs.de"],
  ["faß.de", "xn--fa-hia.de"],
  ["straße.example", "xn--strae-oqa.example"],
  ["例え.テスト", "xn--r8jz45g.xn--zckzah"],
  ["bücher.xn--p1ai", "xn--bcher-kva.xn--p1ai"],
  ["ab--cd.com", "ab--cd.com"],
  ["日本。jp", "xn--wgv71a.jp"],
  ["é.com", "xn--9ca.com"],
  ["%41.com", "a.com"],
  ["１２３.com", "123.com"],
  ["ex_ample.com", null],
  ["a..b", null],
  ["1.2.3.4", null],
  ["[::1]", null],
  ["localhost", null],
  ["xn--zz.com", null],
  ["a-.com", null],
  ["x.123", null],
  ["", null],
  ["a.b.c", null],
  ["a b.com", null],
  ["a/b.com", null],
  ["a:80.com", null],
  ["a@b.com", null],
  ["xn--.com", null],
  ["x", null],
];

/** The original implementation, kept here as the reference the property test compares against. */
function reference(domain: string): string | null {
  const withoutRoot = domain.endsWith(".") ? domain.slice(0, -1) : domain;
  if (withoutRoot === "" || withoutRoot.startsWith("[")) return null;
  const ascii = domainToASCII(withoutRoot);
  if (ascii === "" || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2) return null;
  for (const label of labels) if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) return null;
  return /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels[labels.length - 1] as string) ? ascii : null;
}

describe("canonicalDomain", () => {
  it.each(PINNED)("maps %j to %j", (domain, expected) => {
    expect(canonicalDomain(domain)).toBe(expected);
    expect(reference(domain)).toBe(expected);
  });

  it("agrees with node:url's domainToASCII on arbitrary host-like strings", () => {
    const char = fc.constantFrom(
      ..."abcxyzAZ019-._%:/@?#\\ \t[]ßäöüéж日本例ё\u00ad\u200b。．１".split(""),
      "xn--",
      "xn--mnchen-3ya",
    );
    fc.assert(
      fc.property(
        fc.array(char, { maxLength: 24 }),
        fc.constantFrom("", ".com", ".de", ".xn--p1ai", "."),
        (parts, tld) => {
          const domain = parts.join("") + tld;
          expect(canonicalDomain(domain)).toBe(reference(domain));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees with the reference on plain lower-case host names (the fast path), up to the length limits", () => {
    const label = fc
      .tuple(fc.stringMatching(/^[a-z0-9-]{0,70}$/), fc.constantFrom("", "xn--"))
      .map(([text, prefix]) => prefix + text);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(".com", ".pl", ".c", ".xn--p1ai", ".a1", ""),
        (labels, tld) => {
          const domain = labels.join(".") + tld;
          expect(canonicalDomain(domain)).toBe(reference(domain));
        },
      ),
      { numRuns: 3000 },
    );
    expect(canonicalDomain(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`)).toBe(
      reference(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`),
    );
  });

  it("agrees with the reference on arbitrary Unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (label) => {
        const domain = `${label}.com`;
        expect(canonicalDomain(domain)).toBe(reference(domain));
      }),
      { numRuns: 1000 },
    );
  });
});
