import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockingKeys } from "./blockingKeys.js";
import { suggestMatches } from "./suggestMatches.js";
import type { FuzzyRecord } from "./types.js";

const fields = { first: "name", last: "name", dob: "date", city: "text" } as const;
const people: FuzzyRecord[] = [
  { id: "r1", traits: { first: "Robert", last: "Allen", dob: "1971-06-24", city: "London" } },
  { id: "r2", traits: { first: "Rob", last: "Allen", dob: "1971-06-24" } },
  { id: "r3", traits: { first: "Robert", last: "Alen", dob: "1971-05-24", city: "Lonon" } },
  { id: "g1", traits: { first: "Grace", last: "Kelly", dob: "1991-04-26", city: "Hull" } },
  { id: "g2", traits: { first: "Grace", last: "Kelly", dob: "1997-04-26" } },
  { id: "i1", traits: { first: "Isla", last: "Hall", dob: "1985-02-07" } },
  { id: "i2", traits: { first: "Hall", last: "Isla", dob: "1985-02-07", city: "London" } },
  { id: "o1", traits: { first: "Oliver", last: "Griffiths", dob: "1991-10-26", city: "London" } },
];

describe("suggestMatches", () => {
  it("finds the duplicates and nothing else", () => {
    const pairs = suggestMatches(people, { fields }).map((s) => `${s.a}-${s.b}`);
    expect(pairs.sort()).toEqual(["g1-g2", "i1-i2", "r1-r2", "r1-r3", "r2-r3"]);
  });

  it("estimates the prior from the records: the same pair scores lower among more people", () => {
    const strangers: FuzzyRecord[] = Array.from({ length: 400 }, (_, i) => ({
      id: `z${String(i).padStart(3, "0")}`,
      traits: {
        first: ["Anna", "Jan", "Ewa", "Piotr", "Maria", "Adam", "Zofia", "Tomasz"][i % 8]!,
        last: `Nowak${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
        dob: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
      },
    }));
    const score = (records: FuzzyRecord[]) =>
      suggestMatches(records, { fields, threshold: 0 }).find((s) => s.a === "r1" && s.b === "r3")!.score;
    expect(score([...people, ...strangers])).toBeLessThan(score(people));
    // A given prior is used as it is.
    const fixed = (records: FuzzyRecord[]) =>
      suggestMatches(records, { fields, threshold: 0, parameters: { prior: 1e-3 }, termFrequency: false }).find(
        (s) => s.a === "r1" && s.b === "r3",
      )!.score;
    expect(fixed([...people, ...strangers])).toBeCloseTo(fixed(people), 12);
  });

  it("weights an exact match on a common value less than on a rare one", () => {
    const town = (city: string, i: number): FuzzyRecord => ({ id: `t${i}`, traits: { first: `N${i}`, city } });
    const records = [...Array.from({ length: 30 }, (_, i) => town("London", i)), town("Hull", 30), town("Hull", 31)];
    const out = suggestMatches(records, { fields, threshold: 0, blocking: [["city"]] });
    const london = out.find((s) => s.a === "t0" && s.b === "t1")!;
    const hull = out.find((s) => s.a === "t30" && s.b === "t31")!;
    expect(hull.weights.city).toBeGreaterThan(london.weights.city!);
  });

  it("rejects bad records with an error that names the field", () => {
    expect(() => suggestMatches([{ id: 1 } as never], { fields })).toThrow(
      expect.objectContaining({
        code: "invalid_input",
        details: [expect.objectContaining({ path: ["records", 0, "id"], code: "invalid_type" })],
      }),
    );
    expect(() => suggestMatches([people[0]!, people[0]!], { fields })).toThrow(/duplicate id/);
    expect(() => suggestMatches(people, { fields, threshold: 2 })).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ path: ["threshold"] })] }),
    );
  });

  it("sorts by score, then a, then b, with a < b", () => {
    const out = suggestMatches(people, { fields, threshold: 0 });
    for (const s of out) expect(s.a < s.b).toBe(true);
    for (let k = 1; k < out.length; k++) {
      const p = out[k - 1]!;
      const q = out[k]!;
      expect(p.score > q.score || (p.score === q.score && `${p.a}\u0000${p.b}` < `${q.a}\u0000${q.b}`)).toBe(true);
    }
  });

  it("applies the threshold", () => {
    for (const s of suggestMatches(people, { fields, threshold: 0.99 })) expect(s.score).toBeGreaterThanOrEqual(0.99);
    expect(suggestMatches(people, { fields, threshold: 0 }).length).toBeGreaterThan(5);
  });

  it("compares only records that share a blocking key", () => {
    const keys = new Map(people.map((p) => [p.id, new Set(blockingKeys(p, { fields }))]));
    for (const s of suggestMatches(people, { fields, threshold: 0 })) {
      const shared = [...keys.get(s.a)!].some((k) => keys.get(s.b)!.has(k));
      expect(shared).toBe(true);
    }
    // Without a shared key, even identical records are not compared.
    const twins = [
      { id: "x", traits: { city: "Hull" } },
      { id: "y", traits: { city: "Hull" } },
    ];
    expect(suggestMatches(twins, { fields, blocking: [["first"]], threshold: 0 })).toEqual([]);
    expect(suggestMatches(twins, { fields, blocking: [["city"]], threshold: 0 })).toHaveLength(1);
  });

  it("skips blocks larger than maxBlockSize", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, traits: { city: "Hull", dob: "1990-01-01" } }));
    expect(suggestMatches(many, { fields, blocking: [["city"]], threshold: 0, maxBlockSize: 4 })).toEqual([]);
    expect(suggestMatches(many, { fields, blocking: [["city"]], threshold: 0, maxBlockSize: 5 })).toHaveLength(10);
  });

  it("does not depend on the order of the records", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(people, { minLength: people.length }), (shuffled) => {
        expect(suggestMatches(shuffled, { fields, threshold: 0.1 })).toEqual(
          suggestMatches(people, { fields, threshold: 0.1 }),
        );
      }),
      { numRuns: 30 },
    );
  });
});

describe("blockingKeys", () => {
  it("derives keys from the fields and leaves out rules with a missing part", () => {
    const keys = blockingKeys({ id: "1", traits: { first: "Robert", dob: "1971-06-24" } }, { fields });
    expect(keys).toEqual(["1:19710624", "2:RPRT|1971", "4:r|0624"]);
  });

  it("follows explicit rules", () => {
    const record = { id: "1", traits: { first: "Robert", last: "Allen", dob: "1971-06-24", city: "Łódź" } };
    expect(
      blockingKeys(record, { fields, blocking: [["last:initial", "dob:year"], ["city"], ["dob:monthDay"]] }),
    ).toEqual(["0:a|1971", "1:lodz", "2:0624"]);
  });
});
