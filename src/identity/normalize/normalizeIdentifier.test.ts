import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeIdentifier } from "./normalizeIdentifier.js";

describe("normalizeIdentifier", () => {
  it("normalises emails and phones with the built-ins", () => {
    expect(normalizeIdentifier({ type: "email", value: " Jan@X.PL " })).toEqual({
      ok: true,
      identifier: { type: "email", value: "jan@x.pl" },
      key: "email:jan@x.pl",
    });
    expect(normalizeIdentifier({ type: "phone", value: "601 234 567" }, { defaultRegion: "PL" })).toEqual({
      ok: true,
      identifier: { type: "phone", value: "+48601234567" },
      key: "phone:+48601234567",
    });
  });

  it("passes provider rules through", () => {
    const r = normalizeIdentifier({ type: "email", value: "j.an+x@gmail.com" }, { emailProviderRules: true });
    expect(r.ok && r.identifier.value).toBe("jan@gmail.com");
  });

  it("refuses values that cannot be normalised, with the raw identifier and a reason", () => {
    expect(normalizeIdentifier({ type: "phone", value: "not-a-phone" })).toEqual({
      ok: false,
      identifier: { type: "phone", value: "not-a-phone" },
      reason: "not a valid phone number",
    });
    expect(normalizeIdentifier({ type: "email", value: "nope" })).toMatchObject({ ok: false, reason: /email/ });
    expect(normalizeIdentifier({ type: "userId", value: " \t " })).toMatchObject({ ok: false, reason: /empty/ });
  });

  it("ignores an unknown default region instead of failing", () => {
    const r = normalizeIdentifier({ type: "phone", value: "+48 601 234 567" }, { defaultRegion: "XX" });
    expect(r.ok && r.identifier.value).toBe("+48601234567");
  });

  it("only trims other types and keeps their case and inner whitespace", () => {
    const r = normalizeIdentifier({ type: "crmId", value: "  AB  12 " });
    expect(r).toEqual({ ok: true, identifier: { type: "crmId", value: "AB  12" }, key: "crmId:AB  12" });
  });

  it("lets a custom normaliser win, also over the built-in email and phone", () => {
    const normalizers = {
      crmId: (v: string) => v.toUpperCase(),
      email: (v: string) => (v.endsWith("@corp") ? v : null),
      phone: (v: string) => ` ${v.replace(/\D/g, "")} `,
    };
    expect(normalizeIdentifier({ type: "crmId", value: "c-1" }, { normalizers })).toMatchObject({ key: "crmId:C-1" });
    expect(normalizeIdentifier({ type: "email", value: "jan@corp" }, { normalizers })).toMatchObject({
      key: "email:jan@corp",
    });
    expect(normalizeIdentifier({ type: "email", value: "jan@x.pl" }, { normalizers })).toMatchObject({
      ok: false,
      reason: 'the custom normaliser for "email" refused the value',
    });
    expect(normalizeIdentifier({ type: "phone", value: "12-34" }, { normalizers })).toMatchObject({
      key: "phone:1234",
    });
  });

  it("refuses when a custom normaliser returns an empty string or throws", () => {
    const normalizers = {
      a: () => "  ",
      b: () => {
        throw new Error("boom");
      },
    };
    expect(normalizeIdentifier({ type: "a", value: "x" }, { normalizers })).toMatchObject({ ok: false });
    expect(normalizeIdentifier({ type: "b", value: "x" }, { normalizers })).toMatchObject({
      ok: false,
      reason: 'the custom normaliser for "b" threw: boom',
    });
  });

  it("does not treat inherited object properties as normalisers", () => {
    const r = normalizeIdentifier({ type: "toString", value: "x" }, { normalizers: {} });
    expect(r).toMatchObject({ ok: true, key: "toString:x" });
  });

  it("is idempotent for every type", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("email", "phone", "userId", "crmId"),
        fc.oneof(fc.string(), fc.constantFrom(" A@B.com ", "+48 601 234 567", "601234567", " x ")),
        fc.boolean(),
        (type, value, emailProviderRules) => {
          const options = { defaultRegion: "PL", emailProviderRules };
          const once = normalizeIdentifier({ type, value }, options);
          if (once.ok) expect(normalizeIdentifier(once.identifier, options)).toEqual(once);
        },
      ),
    );
  });
});
