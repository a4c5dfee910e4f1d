import type { FieldOutcome, MatchSuggestion } from "../types.js";
import { compareValues } from "./compare.js";
import type { PreparedRecord } from "./prepare.js";
import type { ResolvedOptions } from "./resolve.js";

const MIN_P = 1e-6;

/**
 * How often each cleaned value occurs per field among the records being matched, for
 * term-frequency adjusted weights: an exact match on a value that a share `tf` of the records
 * carry weighs log2(m_exact / tf) instead of log2(m_exact / u_exact) (Splink's adjustment), so
 * "john" or "london" count for less than a rare name.
 */
export interface TermFrequencies {
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  present: ReadonlyMap<string, number>;
}

/** Counts the values of every field of the prepared records. */
export function termFrequencies(records: readonly PreparedRecord[], r: ResolvedOptions): TermFrequencies {
  const counts = new Map<string, Map<string, number>>();
  const present = new Map<string, number>();
  for (const [field] of r.fields) {
    const c = new Map<string, number>();
    let n = 0;
    for (const record of records) {
      const v = record.values[field];
      if (v === undefined) continue;
      n++;
      c.set(v, (c.get(v) ?? 0) + 1);
    }
    counts.set(field, c);
    present.set(field, n);
  }
  return { counts, present };
}

/**
 * How much more specific than the table's u_exact term frequencies may make an exact agreement
 * (at most log2 10 ≈ 3.3 bits more), like Splink's `tf_minimum_u_value`. The share of a value
 * seen only in the pair falls as 1/n, so without a bound a chance agreement on two rare values
 * gains about 2·log2 n bits as the data grows while the prior loses only log2 n, and precision
 * falls with size. Chosen on the synthetic seed 99, which no reported figure uses.
 */
const TF_MAX_FACTOR = 10;

/**
 * The share of the other records that carry `value`, leaving out the pair that agrees on it, with
 * one pseudo-occurrence spread over 1/u pseudo-records: on a few records it stays near the table's
 * u_exact; on many it is the value's own frequency, but never below u_exact / 10.
 */
export function valueShare(tf: TermFrequencies, field: string, value: string, uExact: number): number {
  const present = tf.present.get(field) ?? 0;
  const count = tf.counts.get(field)?.get(value) ?? 0;
  const u = Math.max(uExact, MIN_P);
  const share = (Math.max(count - 2, 0) + 1) / (Math.max(present - 2, 0) + 1 / u);
  return Math.max(share, u / TF_MAX_FACTOR, MIN_P);
}

function outcome(r: ResolvedOptions, a: PreparedRecord, fa: string, b: PreparedRecord, fb: string): FieldOutcome {
  const va = a.values[fa];
  const vb = b.values[fb];
  if (va === undefined || vb === undefined) return "missing";
  return compareValues(r.kinds[fa]!, va, vb, a.phonetic[fa], b.phonetic[fb]);
}

function weightOf(
  r: ResolvedOptions,
  tf: TermFrequencies | undefined,
  field: string,
  level: FieldOutcome,
  value: string | undefined,
): number {
  if (level === "missing") return 0;
  if (level === "exact" && tf !== undefined && value !== undefined) {
    const m = r.probabilities[field]?.m.exact;
    const u = r.probabilities[field]?.u.exact;
    if (m !== undefined && u !== undefined) return Math.log2(Math.max(m, MIN_P) / valueShare(tf, field, value, u));
  }
  return r.weights[field]?.[level] ?? 0;
}

/** Log2 prior odds plus the sum of weights, turned into a probability. */
export function probability(prior: number, totalWeight: number): number {
  const logOdds = Math.log2(prior / (1 - prior)) + totalWeight;
  return 1 / (1 + 2 ** -logOdds);
}

/** A compared pair before the prior is applied: levels, weights and their sum (the match weight). */
export interface Comparison {
  levels: Record<string, FieldOutcome>;
  weights: Record<string, number>;
  total: number;
  swapped: boolean;
}

/** Compares two prepared records field by field: levels, log2 Bayes factors, their sum. */
export function comparePrepared(
  a: PreparedRecord,
  b: PreparedRecord,
  r: ResolvedOptions,
  tf?: TermFrequencies,
): Comparison {
  const levels: Record<string, FieldOutcome> = {};
  for (const [field] of r.fields) levels[field] = outcome(r, a, field, b, field);
  let swapped = false;
  for (const [x, y] of r.swaps) {
    const direct = weightOf(r, tf, x, levels[x]!, a.values[x]) + weightOf(r, tf, y, levels[y]!, a.values[y]);
    const crossX = outcome(r, a, x, b, y);
    const crossY = outcome(r, a, y, b, x);
    // Crosswise only if it compares at least as many values: escaping a disagreement into
    // "missing" is not evidence of a swap.
    const missing = (p: FieldOutcome, q: FieldOutcome) => Number(p === "missing") + Number(q === "missing");
    const cross = weightOf(r, tf, x, crossX, a.values[x]) + weightOf(r, tf, y, crossY, a.values[y]);
    if (missing(crossX, crossY) <= missing(levels[x]!, levels[y]!) && cross > direct) {
      levels[x] = crossX;
      levels[y] = crossY;
      swapped = true;
    }
  }
  const weights: Record<string, number> = {};
  let total = 0;
  for (const [field] of r.fields) {
    const w = weightOf(r, tf, field, levels[field]!, a.values[field]);
    weights[field] = w;
    total += w;
  }
  return { levels, weights, total, swapped };
}

/** Compares two prepared records and scores the pair with the given prior. */
export function scorePrepared(
  a: PreparedRecord,
  b: PreparedRecord,
  r: ResolvedOptions,
  prior: number,
  tf?: TermFrequencies,
): MatchSuggestion {
  const c = comparePrepared(a, b, r, tf);
  return {
    a: a.id,
    b: b.id,
    score: probability(prior, c.total),
    weights: c.weights,
    levels: c.levels,
    swapped: c.swapped,
  };
}
