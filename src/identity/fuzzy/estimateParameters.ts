import { candidatePairs } from "./_lib/keys.js";
import { type PreparedRecord, prepareRecord } from "./_lib/prepare.js";
import { type ResolvedOptions, resolveOptions } from "./_lib/resolve.js";
import { scorePrepared } from "./_lib/score.js";
import type { ComparisonLevel, FieldOutcome, FuzzyMatchOptions, FuzzyParameters, FuzzyRecord } from "./types.js";

/** Options of {@link estimateParameters}, on top of the matcher options (fields, blocking, start parameters). */
export interface EstimateParametersOptions extends FuzzyMatchOptions {
  /** Random pairs sampled to estimate the u probabilities (all pairs when there are fewer). Default 50 000. */
  samplePairs?: number;
  /** EM iterations for the m probabilities and the prior. Default 30. */
  iterations?: number;
  /** Seed of the pair sampler, so the estimate is reproducible. Default 1. */
  seed?: number;
}

const LEVELS: Record<string, readonly ComparisonLevel[]> = {
  name: ["exact", "close", "similar", "far"],
  date: ["exact", "close", "similar", "far"],
  text: ["exact", "close", "similar", "far"],
  exact: ["exact", "far"],
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPairs(n: number, wanted: number, seed: number): Array<[number, number]> {
  const total = (n * (n - 1)) / 2;
  const pairs: Array<[number, number]> = [];
  if (total <= wanted) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    return pairs;
  }
  const next = mulberry32(seed);
  while (pairs.length < wanted) {
    const i = Math.floor(next() * n);
    const j = Math.floor(next() * n);
    if (i !== j) pairs.push(i < j ? [i, j] : [j, i]);
  }
  return pairs;
}

function levelsOf(
  prepared: readonly PreparedRecord[],
  pairs: ReadonlyArray<readonly [number, number]>,
  r: ResolvedOptions,
): Array<Record<string, FieldOutcome>> {
  return pairs.map(([i, j]) => scorePrepared(prepared[i]!, prepared[j]!, r).levels);
}

/**
 * Estimates the Fellegi–Sunter parameters from unlabelled records, the way splink does: the u
 * probabilities from the level frequencies among random pairs (almost all of which are different
 * people), then the m probabilities and the share of matches among the blocked candidate pairs by
 * expectation–maximisation with u held fixed. The prior is that share scaled from candidate pairs
 * to all pairs. Deterministic for a given seed. Needs no labels; the more records, the better the
 * estimate (with a few hundred records the defaults are usually as good).
 *
 * Known bias: non-matching candidate pairs agree on the fields their blocking key is built from
 * more often than random pairs do, so EM counts some of them as matches; the prior comes out high
 * (2–4× on the test data and on splink fake_1000). Precision then drops slightly; raise the
 * threshold or pass your own `prior` if that matters.
 *
 * @param records - The records to learn from.
 * @param options - {@link EstimateParametersOptions}: fields, blocking, sample size, iterations, seed.
 * @returns Parameters to pass as `options.parameters` to `suggestMatches` or `matchPair`.
 *
 * @example
 * ```ts
 * // records: FuzzyRecord[] with first, last and dob traits, e.g. a customer export
 * const fields = { first: "name", last: "name", dob: "date" } as const;
 * const parameters = estimateParameters(records, { fields });
 * const suggestions = suggestMatches(records, { fields, parameters });
 * parameters.prior; // the estimated share of matching pairs, e.g. 0.002
 * ```
 */
export function estimateParameters(
  records: readonly FuzzyRecord[],
  options?: EstimateParametersOptions,
): FuzzyParameters {
  const r = resolveOptions(options);
  const kinds = Object.fromEntries(r.fields);
  const prepared = records.map((record) => prepareRecord(record, kinds));
  const n = prepared.length;
  const fields: FuzzyParameters["fields"] = {};
  if (n < 2) {
    for (const [field] of r.fields) fields[field] = r.probabilities[field]!;
    return { prior: r.prior, fields };
  }

  // u: level frequencies among random pairs, with add-one smoothing.
  const random = levelsOf(prepared, randomPairs(n, options?.samplePairs ?? 50_000, options?.seed ?? 1), r);
  const u: Record<string, Partial<Record<ComparisonLevel, number>>> = {};
  for (const [field, kind] of r.fields) {
    const levels = LEVELS[kind]!;
    const counts = new Map<ComparisonLevel, number>(levels.map((l) => [l, 1]));
    for (const row of random) {
      const level = row[field];
      if (level !== undefined && level !== "missing") counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((s, c) => s + c, 0);
    u[field] = Object.fromEntries(levels.map((l) => [l, counts.get(l)! / total]));
  }

  // m and the match share: EM over the candidate pairs, u fixed.
  const candidates = levelsOf(prepared, candidatePairs(prepared, r.rules, r.maxBlockSize), r);
  const m: Record<string, Partial<Record<ComparisonLevel, number>>> = {};
  for (const [field] of r.fields) m[field] = { ...r.probabilities[field]!.m };
  let share = 0.1;
  const iterations = options?.iterations ?? 30;
  for (let iteration = 0; iteration < iterations && candidates.length > 0; iteration++) {
    const mass: Record<string, Map<ComparisonLevel, number>> = {};
    for (const [field] of r.fields) mass[field] = new Map();
    let matched = 0;
    for (const row of candidates) {
      let logBf = 0;
      for (const [field] of r.fields) {
        const level = row[field]!;
        if (level !== "missing") logBf += Math.log2(Math.max(m[field]![level] ?? 1e-6, 1e-6) / u[field]![level]!);
      }
      const odds = (share / (1 - share)) * 2 ** logBf;
      const p = Number.isFinite(odds) ? odds / (1 + odds) : 1;
      matched += p;
      for (const [field] of r.fields) {
        const level = row[field]!;
        if (level !== "missing") mass[field]!.set(level, (mass[field]!.get(level) ?? 0) + p);
      }
    }
    share = Math.min(Math.max(matched / candidates.length, 1e-9), 1 - 1e-9);
    for (const [field, kind] of r.fields) {
      const levels = LEVELS[kind]!;
      const total = levels.reduce((s, l) => s + (mass[field]!.get(l) ?? 0) + 1e-3, 0);
      m[field] = Object.fromEntries(levels.map((l) => [l, ((mass[field]!.get(l) ?? 0) + 1e-3) / total]));
    }
  }

  for (const [field] of r.fields) fields[field] = { m: m[field]!, u: u[field]! };
  const prior = Math.min(Math.max((share * candidates.length) / ((n * (n - 1)) / 2), 1e-12), 0.5);
  return { prior, fields };
}
