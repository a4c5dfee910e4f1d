import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizePhone } from "./normalizePhone.js";

describe("normalizePhone", () => {
  it("formats international numbers as E.164", () => {
    expect(normalizePhone("+48 601 234 567")).toBe("+48601234567");
    expect(normalizePhone("+1 (212) 555-0123")).toBe("+12125550123");
    expect(normalizePhone("+44 (0) 20 7946 0958")).toBe("+442079460958");
  });

  it("uses the default region for national numbers", () => {
    expect(normalizePhone("601-234-567", { defaultRegion: "PL" })).toBe("+48601234567");
    expect(normalizePhone("(0) 20 7946 0958", { defaultRegion: "GB" })).toBe("+442079460958");
    expect(normalizePhone("601-234-567")).toBeNull();
  });

  it("understands the 00 international prefix with or without a region", () => {
    expect(normalizePhone("0048 601 234 567")).toBe("+48601234567");
    expect(normalizePhone("0048 601 234 567", { defaultRegion: "PL" })).toBe("+48601234567");
    expect(normalizePhone("0048 601 234 567", { defaultRegion: "US" })).toBe("+48601234567");
    expect(normalizePhone("011 48 601 234 567", { defaultRegion: "US" })).toBe("+48601234567");
  });

  it("drops an extension", () => {
    expect(normalizePhone("+48 601 234 567 ext. 12")).toBe("+48601234567");
  });

  it.each([
    ["not-a-phone", "PL"],
    ["123", "PL"],
    ["", undefined],
    ["+0000000", undefined],
    ["+48 111 111 111", undefined],
    ["+48 000 000 000", undefined],
    ["0000 601 234 567", undefined],
  ] as const)("refuses %j (region %s)", (value, defaultRegion) => {
    expect(normalizePhone(value, defaultRegion === undefined ? undefined : { defaultRegion })).toBeNull();
  });

  it("is idempotent", () => {
    const phones = fc.oneof(
      fc.stringMatching(/^\+?[0-9 ()-]{3,18}$/),
      fc.constantFrom("+48 601 234 567", "601 234 567", "0048601234567", "(0) 20 7946 0958"),
      fc.string(),
    );
    fc.assert(
      fc.property(phones, fc.constantFrom("PL", "GB", "US", undefined), (value, region) => {
        const options = region === undefined ? undefined : { defaultRegion: region };
        const once = normalizePhone(value, options);
        if (once !== null) {
          expect(normalizePhone(once, options)).toBe(once);
          expect(normalizePhone(once)).toBe(once);
        }
      }),
    );
  });
});
