import { prepareRecord } from "./_lib/prepare.js";
import { resolveOptions } from "./_lib/resolve.js";
import { scorePrepared } from "./_lib/score.js";
import type { FuzzyMatchOptions, FuzzyRecord, MatchSuggestion } from "./types.js";

/**
 * Scores one pair of records with the Fellegi–Sunter model: each compared field falls into a level
 * (exact, close, similar, far, or missing), each level adds its log2 Bayes factor log2(m/u) to the
 * prior log-odds, and the sum is turned into a match probability. Use it to score a new profile
 * against the candidates found through `blockingKeys`. The threshold is not applied here.
 *
 * @param a - One record.
 * @param b - The other record.
 * @param options - {@link FuzzyMatchOptions}: fields, parameters, swapped-field pairs.
 * @returns The suggestion for the pair, whatever its score.
 *
 * @example
 * ```ts
 * const fields = { first: "name", last: "name", dob: "date" } as const;
 * const s = matchPair(
 *   { id: "1", traits: { first: "Robert", last: "Allen", dob: "1971-06-24" } },
 *   { id: "2", traits: { first: "Rob", last: "Alen", dob: "1971-06-24" } },
 *   { fields },
 * );
 * s.score > 0.95;     // true (≈ 0.98)
 * s.levels.first;     // "similar"
 * s.weights.dob;      // ≈ 10.6
 * ```
 */
export function matchPair(a: FuzzyRecord, b: FuzzyRecord, options?: FuzzyMatchOptions): MatchSuggestion {
  const resolved = resolveOptions(options);
  const kinds = Object.fromEntries(resolved.fields);
  return scorePrepared(prepareRecord(a, kinds), prepareRecord(b, kinds), resolved);
}
