import type { FieldOutcome, MatchSuggestion } from "../types.js";
import { compareValues } from "./compare.js";
import type { PreparedRecord } from "./prepare.js";
import type { ResolvedOptions } from "./resolve.js";

function outcome(r: ResolvedOptions, a: PreparedRecord, fa: string, b: PreparedRecord, fb: string): FieldOutcome {
  const va = a.values[fa];
  const vb = b.values[fb];
  if (va === undefined || vb === undefined) return "missing";
  return compareValues(r.kinds[fa]!, va, vb, a.phonetic[fa], b.phonetic[fb]);
}

function weightOf(r: ResolvedOptions, field: string, level: FieldOutcome): number {
  return level === "missing" ? 0 : (r.weights[field]?.[level] ?? 0);
}

/** Log2 prior odds plus the sum of weights, turned into a probability. */
export function probability(prior: number, totalWeight: number): number {
  const logOdds = Math.log2(prior / (1 - prior)) + totalWeight;
  return 1 / (1 + 2 ** -logOdds);
}

/** Compares two prepared records field by field and scores the pair. */
export function scorePrepared(a: PreparedRecord, b: PreparedRecord, r: ResolvedOptions): MatchSuggestion {
  const levels: Record<string, FieldOutcome> = {};
  for (const [field] of r.fields) levels[field] = outcome(r, a, field, b, field);
  let swapped = false;
  for (const [x, y] of r.swaps) {
    const direct = weightOf(r, x, levels[x]!) + weightOf(r, y, levels[y]!);
    const crossX = outcome(r, a, x, b, y);
    const crossY = outcome(r, a, y, b, x);
    // Crosswise only if it compares at least as many values: escaping a disagreement into
    // "missing" is not evidence of a swap.
    const missing = (p: FieldOutcome, q: FieldOutcome) => Number(p === "missing") + Number(q === "missing");
    if (
      missing(crossX, crossY) <= missing(levels[x]!, levels[y]!) &&
      weightOf(r, x, crossX) + weightOf(r, y, crossY) > direct
    ) {
      levels[x] = crossX;
      levels[y] = crossY;
      swapped = true;
    }
  }
  const weights: Record<string, number> = {};
  let total = 0;
  for (const [field] of r.fields) {
    const w = weightOf(r, field, levels[field]!);
    weights[field] = w;
    total += w;
  }
  return { a: a.id, b: b.id, score: probability(r.prior, total), weights, levels, swapped };
}
