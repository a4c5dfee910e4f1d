import { describe, expect, it } from "vitest";
import { DEFAULT_LEVEL_PROBABILITIES } from "./_lib/resolve.js";
import { type EstimationReport, estimateParameters } from "./estimateParameters.js";
import type { FuzzyRecord } from "./types.js";

const HEAD = ["an", "jo", "pi", "ma", "ew", "to", "ol", "ad", "ka", "be", "ig", "ro", "lu", "ze", "fi", "da"];
const TAIL = ["na", "tr", "ria", "sz", "ga", "am", "sia", "rek", "or", "bert", "cja", "non", "ndra", "fan"];
const LAST = ["nowak", "kowal", "wisnia", "wojcik", "kamin", "lewand", "zielin", "szyman", "dab", "krol"];
const SUFFIX = ["", "ski", "ska", "czyk", "ak", "owicz", "ewska", "iec"];

/** People with one to three records each, some with a typo, from a fixed PRNG. */
function population(people: number): FuzzyRecord[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const typo = (s: string) => (next() < 0.3 ? `${s.slice(0, -1)}${s.at(-1) === "a" ? "o" : "a"}` : s);
  const records: FuzzyRecord[] = [];
  for (let p = 0; p < people; p++) {
    const first = pick(HEAD) + pick(TAIL);
    const last = pick(LAST) + pick(SUFFIX);
    const dob = `19${50 + Math.floor(next() * 50)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    const copies = 1 + Math.floor(next() * 3);
    for (let c = 0; c < copies; c++)
      records.push({ id: `${p}-${c}`, traits: { first: typo(first), last: typo(last), dob } });
  }
  return records;
}

const fields = { first: "name", last: "name", dob: "date" } as const;

describe("estimateParameters", () => {
  const records = population(400);
  const estimated = estimateParameters(records, { fields });

  it("returns probabilities that sum to one per field", () => {
    for (const field of Object.keys(fields)) {
      const p = estimated.fields[field]!;
      const sum = (x: Partial<Record<string, number>>) => Object.values(x).reduce((s: number, v) => s + (v ?? 0), 0);
      expect(sum(p.m)).toBeCloseTo(1, 9);
      expect(sum(p.u)).toBeCloseTo(1, 9);
    }
  });

  it("learns that agreement is far likelier among matches than among random pairs", () => {
    for (const field of Object.keys(fields)) {
      const p = estimated.fields[field]!;
      expect(p.m.exact! / p.u.exact!).toBeGreaterThan(5);
      expect(p.u.far!).toBeGreaterThan(p.m.far!);
    }
    // Few dates are shared at random; names from a small pool often are.
    expect(estimated.fields.dob!.u.exact!).toBeLessThan(estimated.fields.first!.u.exact!);
  });

  it("estimates a prior within a factor of two of the true share of matching pairs", () => {
    const n = records.length;
    const byPerson = new Map<string, number>();
    for (const r of records) byPerson.set(r.id.split("-")[0]!, (byPerson.get(r.id.split("-")[0]!) ?? 0) + 1);
    const truePairs = [...byPerson.values()].reduce((s, k) => s + (k * (k - 1)) / 2, 0);
    const share = truePairs / ((n * (n - 1)) / 2);
    expect(estimated.prior).toBeGreaterThan(share / 2);
    expect(estimated.prior).toBeLessThan(share * 2);
  });

  it("is deterministic for a seed", () => {
    expect(estimateParameters(records, { fields, samplePairs: 2000, seed: 3 })).toEqual(
      estimateParameters(records, { fields, samplePairs: 2000, seed: 3 }),
    );
  });

  it("reports its training sessions, and trains each field only on rules that do not use it", () => {
    let report: EstimationReport | undefined;
    estimateParameters(records, { fields, onReport: (r) => (report = r) });
    expect(report!.sessions.length).toBeGreaterThan(0);
    for (const session of report!.sessions) {
      for (const field of session.trained) expect(session.rule).not.toContain(field);
      if (session.status !== "used") expect(session.trained).toEqual([]);
    }
    expect(report!.fields.first).toMatchObject({ presence: 1, m: "trained", u: "sampled" });
    expect(report!.prior).toBeGreaterThan(0);
  });

  it("keeps the starting m when EM does not converge", () => {
    let report: EstimationReport | undefined;
    const stopped = estimateParameters(records, {
      fields,
      iterations: 1,
      tolerance: 1e-12,
      onReport: (r) => (report = r),
    });
    expect(report!.sessions.every((s) => s.status !== "used")).toBe(true);
    expect(report!.sessions.some((s) => s.status === "not converged")).toBe(true);
    for (const field of Object.keys(fields)) {
      expect(stopped.fields[field]!.m).toEqual(DEFAULT_LEVEL_PROBABILITIES[fields[field as keyof typeof fields]].m);
      expect(report!.fields[field]!.m).toBe("start");
    }
    // u still comes from the sampled pairs.
    expect(stopped.fields.dob!.u).toEqual(estimated.fields.dob!.u);
  });

  it("keeps the starting m and u of a field missing from most records", () => {
    const sparse = records.map((r, i) => ({ ...r, traits: { ...r.traits, nick: i % 50 === 0 ? "x" : "" } }));
    let report: EstimationReport | undefined;
    const out = estimateParameters(sparse, {
      fields: { ...fields, nick: "name" },
      samplePairs: 5000,
      onReport: (r) => (report = r),
    });
    expect(report!.fields.nick).toMatchObject({ m: "start", u: "start" });
    expect(report!.fields.nick!.presence).toBeLessThan(0.05);
    expect(out.fields.nick).toEqual(DEFAULT_LEVEL_PROBABILITIES.name);
    expect(report!.fields.first).toMatchObject({ m: "trained", u: "sampled" });
  });

  it("returns the starting parameters when there is nothing to learn from", () => {
    const out = estimateParameters(records.slice(0, 1), { fields });
    expect(out.fields).toEqual({
      dob: DEFAULT_LEVEL_PROBABILITIES.date,
      first: DEFAULT_LEVEL_PROBABILITIES.name,
      last: DEFAULT_LEVEL_PROBABILITIES.name,
    });
    expect(out.prior).toBeGreaterThan(0);
    expect(out.prior).toBeLessThan(1);
  });

  it("rejects bad options with a typed error naming the option", () => {
    const at = (path: string) =>
      expect.objectContaining({
        code: "invalid_input",
        details: [expect.objectContaining({ path: path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) })],
      });
    expect(() => estimateParameters(records, { fields, samplePairs: 0 })).toThrow(at("samplePairs"));
    expect(() => estimateParameters(records, { fields, tolerance: -1 })).toThrow(at("tolerance"));
    expect(() => estimateParameters(records, { fields, training: [["nope"]] })).toThrow(at("training.0.0"));
    expect(() => estimateParameters("x" as never, { fields })).toThrow(at("records"));
  });
});
