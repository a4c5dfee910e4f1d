import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../errors.js";
import { matchPair } from "./matchPair.js";
import type { FuzzyMatchOptions, FuzzyRecord } from "./types.js";

const fields = { first: "name", last: "name", dob: "date", city: "text", ssn: "exact" } as const;
const options: FuzzyMatchOptions = { fields };
const rec = (id: string, traits: FuzzyRecord["traits"]): FuzzyRecord => ({ id, traits });

describe("matchPair", () => {
  it("grades names by Jaro-Winkler, prefixes and sound", () => {
    const level = (x: string, y: string) =>
      matchPair(rec("1", { first: x }), rec("2", { first: y }), options).levels.first;
    expect(level("Robert", "robert")).toBe("exact");
    expect(level("Zoë", "Zoe")).toBe("exact");
    expect(level("Robert", "Rboert")).toBe("close");
    expect(level("Rob", "Robert")).toBe("similar");
    expect(level("Catherine", "Kathryn")).toBe("similar");
    expect(level("Robert", "Grace")).toBe("far");
    expect(level("Robert", "")).toBe("missing");
  });

  it("grades dates by their parts", () => {
    const level = (x: string | number, y: string | number) =>
      matchPair(rec("1", { dob: x }), rec("2", { dob: y }), options).levels.dob;
    expect(level("1971-06-24", "19710624")).toBe("exact");
    expect(level(19710624, "1971-06-24")).toBe("exact");
    expect(level("1971-06-24", "1971-05-24")).toBe("close");
    expect(level("1971-06-04", "1971-04-06")).toBe("close");
    expect(level("1971-06-24", "1972-01-10")).toBe("similar");
    expect(level("1971-06-24", "1991-01-10")).toBe("far");
  });

  it("grades text by edit distance and exact fields by equality", () => {
    const level = (field: "city" | "ssn", x: string, y: string) =>
      matchPair(rec("1", { [field]: x }), rec("2", { [field]: y }), options).levels[field];
    expect(level("city", "London", " london ")).toBe("exact");
    expect(level("city", "London", "Londn")).toBe("close");
    expect(level("city", "Portsmouth", "Portsmuth x")).toBe("similar");
    expect(level("city", "London", "Hull")).toBe("far");
    expect(level("ssn", "123", "123")).toBe("exact");
    expect(level("ssn", "123", "124")).toBe("far");
  });

  it("scores strong agreement high and disagreement low, with per-field weights", () => {
    const a = rec("a", { first: "Robert", last: "Allen", dob: "1971-06-24", city: "London" });
    const same = matchPair(a, rec("b", { first: "Rob", last: "Alen", dob: "1971-06-24", city: "Lonon" }), options);
    const other = matchPair(a, rec("c", { first: "Grace", last: "Kelly", dob: "1991-04-26", city: "Hull" }), options);
    expect(same.score).toBeGreaterThan(0.95);
    expect(other.score).toBeLessThan(0.001);
    expect(same.weights.dob).toBeGreaterThan(10);
    expect(other.weights.dob).toBeLessThan(0);
    expect(same.weights.ssn).toBe(0);
    expect(same.levels.ssn).toBe("missing");
  });

  it("compares given name and surname crosswise when they were entered swapped", () => {
    const s = matchPair(
      rec("1", { first: "Isla", last: "Hall", dob: "1985-02-07" }),
      rec("2", { first: "Hall", last: "Isla", dob: "1985-02-07" }),
      options,
    );
    expect(s.swapped).toBe(true);
    expect(s.levels).toMatchObject({ first: "exact", last: "exact" });
    const off = matchPair(
      rec("1", { first: "Isla", last: "Hall", dob: "1985-02-07" }),
      rec("2", { first: "Hall", last: "Isla", dob: "1985-02-07" }),
      { ...options, swapFields: false },
    );
    expect(off.swapped).toBe(false);
    expect(off.score).toBeLessThan(s.score);
  });

  it("uses given parameters", () => {
    const a = rec("1", { ssn: "1" });
    const b = rec("2", { ssn: "1" });
    const weak = matchPair(a, b, {
      fields,
      parameters: { fields: { ssn: { m: { exact: 0.5, far: 0.5 }, u: { exact: 0.5, far: 0.5 } } } },
    });
    expect(weak.weights.ssn).toBe(0);
    expect(weak.score).toBeCloseTo(1e-3, 6);
    expect(matchPair(a, b, { fields, parameters: { prior: 0.5 } }).score).toBeCloseTo(90 / 91, 6);
  });

  it("rejects bad options and records with a typed error naming the field", () => {
    const a = rec("1", {});
    const at = (path: string) =>
      expect.objectContaining({
        code: "invalid_input",
        details: [expect.objectContaining({ path: path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) })],
      });
    expect(() => matchPair(a, a, { fields, parameters: { prior: 0 } })).toThrow(at("parameters.prior"));
    expect(() => matchPair(a, a, { fields, blocking: [["nope"]] })).toThrow(at("blocking.0.0"));
    expect(() => matchPair(a, a, { fields, blocking: [["first:soundex"]] })).toThrow(/unknown transform/);
    expect(() => matchPair(a, a, { fields, swapFields: [["first", "dob"]] })).toThrow(at("swapFields.0"));
    expect(() => matchPair(a, a, { fields: { first: "fuzzy" as never } })).toThrow(at("fields.first"));
    expect(() =>
      matchPair(a, a, { fields, parameters: { fields: { ssn: { m: { exact: 2 }, u: { exact: 0.1 } } } } }),
    ).toThrow(at("parameters.fields.ssn.m.exact"));
    expect(() => matchPair(a, { id: "2" } as never, options)).toThrow(at("b.traits"));
    expect(() => matchPair(a, a, { ...options, threshold: -1 })).toThrow(InvalidInputError);
  });

  const traits = fc.record({
    first: fc.option(fc.constantFrom("Robert", "Rob", "Grace", "Isla", "Hall", "Zoë"), { nil: undefined }),
    last: fc.option(fc.constantFrom("Allen", "Alen", "Hall", "Isla", "Kelly"), { nil: null }),
    dob: fc.option(fc.constantFrom("1971-06-24", "1971-04-06", "1971-06-04", "1985-02-07", "x"), { nil: undefined }),
    city: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    ssn: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  });

  it("is symmetric, bounded, and its score is the prior plus the weights", () => {
    fc.assert(
      fc.property(traits, traits, (x, y) => {
        const ab = matchPair(rec("a", x), rec("b", y), options);
        const ba = matchPair(rec("b", y), rec("a", x), options);
        expect(ba.score).toBeCloseTo(ab.score, 12);
        expect(ab.score).toBeGreaterThanOrEqual(0);
        expect(ab.score).toBeLessThanOrEqual(1);
        const total = Object.values(ab.weights).reduce((s, w) => s + w, 0) + Math.log2(1e-3 / (1 - 1e-3));
        expect(ab.score).toBeCloseTo(1 / (1 + 2 ** -total), 12);
      }),
    );
  });
});
