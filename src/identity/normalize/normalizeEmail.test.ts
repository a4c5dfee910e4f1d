import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./normalizeEmail.js";

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail("  Jan.Kowalski@Example.COM \n")).toBe("jan.kowalski@example.com");
  });

  it("gives the Unicode and the punycode spelling of an IDN domain the same form", () => {
    expect(normalizeEmail("anna@münchen.de")).toBe("anna@xn--mnchen-3ya.de");
    expect(normalizeEmail("Anna@MÜNCHEN.DE")).toBe("anna@xn--mnchen-3ya.de");
    expect(normalizeEmail("anna@xn--mnchen-3ya.de")).toBe("anna@xn--mnchen-3ya.de");
    expect(normalizeEmail("jan@żółw.pl")).toBe(normalizeEmail("jan@xn--w-uga1v8h.pl"));
  });

  it("normalises a decomposed Unicode local part to NFC", () => {
    expect(normalizeEmail("jose\u0301@example.org")).toBe("jos\u00e9@example.org");
  });

  it("drops the trailing root dot of a domain", () => {
    expect(normalizeEmail("a@example.com.")).toBe("a@example.com");
  });

  it.each([
    ["no at sign", "jan.example.com"],
    ["two at signs", "jan@x@example.com"],
    ["empty local part", "@example.com"],
    ["empty domain", "jan@"],
    ["space inside", "jan kowalski@example.com"],
    ["space in domain", "jan@exa mple.com"],
    ["single-label domain", "jan@localhost"],
    ["empty label", "jan@example..com"],
    ["label starting with a hyphen", "jan@-example.com"],
    ["numeric top-level label", "jan@1.2.3.4"],
    ["IP literal", "jan@[10.0.0.1]"],
    ["display form", "Jan <jan@example.com>"],
    ["empty string", "   "],
    ["over-long local part", `${"a".repeat(65)}@example.com`],
  ])("refuses %s", (_why, value) => {
    expect(normalizeEmail(value)).toBeNull();
  });

  it("keeps dots and +tags without provider rules", () => {
    expect(normalizeEmail("J.an+shop@gmail.com")).toBe("j.an+shop@gmail.com");
    expect(normalizeEmail("jan@googlemail.com")).toBe("jan@googlemail.com");
  });

  it("applies Gmail rules: dots and +tag dropped, googlemail.com mapped to gmail.com", () => {
    const rules = { providerRules: true };
    expect(normalizeEmail("J.an+shop@GoogleMail.com", rules)).toBe("jan@gmail.com");
    expect(normalizeEmail("j.a.n@gmail.com", rules)).toBe("jan@gmail.com");
    expect(normalizeEmail("+only-tag@gmail.com", rules)).toBeNull();
  });

  it("drops only the +tag for other plus-addressing providers", () => {
    const rules = { providerRules: true };
    expect(normalizeEmail("jan.k+news@outlook.com", rules)).toBe("jan.k@outlook.com");
    expect(normalizeEmail("jan.k+x@icloud.com", rules)).toBe("jan.k@icloud.com");
    expect(normalizeEmail("jan.k+x@fastmail.com", rules)).toBe("jan.k@fastmail.com");
    expect(normalizeEmail("jan.k+x@proton.me", rules)).toBe("jan.k@proton.me");
    expect(normalizeEmail("jan.k+x@example.org", rules)).toBe("jan.k+x@example.org");
  });

  const emails = fc
    .tuple(
      fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9.+_-]{0,15}$/),
      fc.constantFrom(
        "Example.com",
        "GMAIL.com",
        "googlemail.com",
        "münchen.DE",
        "xn--mnchen-3ya.de",
        "sub.Outlook.com",
      ),
    )
    .map(([local, domain]) => `${local}@${domain}`);
  const anything = fc.oneof(emails, fc.string(), fc.string({ unit: "grapheme", maxLength: 30 }));

  it("is idempotent, with and without provider rules", () => {
    fc.assert(
      fc.property(anything, fc.boolean(), (value, providerRules) => {
        const once = normalizeEmail(value, { providerRules });
        if (once !== null) expect(normalizeEmail(once, { providerRules })).toBe(once);
      }),
    );
  });

  it("ignores differences of case and surrounding whitespace", () => {
    fc.assert(
      fc.property(
        emails,
        fc.stringMatching(/^[ \t\n]{0,3}$/),
        fc.stringMatching(/^[ \t\n]{0,3}$/),
        (value, before, after) => {
          expect(normalizeEmail(`${before}${value.toUpperCase()}${after}`)).toBe(normalizeEmail(value.toLowerCase()));
        },
      ),
    );
  });
});
