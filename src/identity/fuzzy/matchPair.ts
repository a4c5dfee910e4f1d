import { prepareRecord } from "./_lib/prepare.js";
import { checkRecord, resolveOptions, SINGLE_PAIR_PRIOR } from "./_lib/resolve.js";
import { scorePrepared } from "./_lib/score.js";
import type { FuzzyMatchOptions, FuzzyRecord, MatchSuggestion } from "./types.js";

/**
 * Scores one pair of records with the Fellegi–Sunter model: each compared field falls into a level
 * (exact, close, similar, far, or missing), each level adds its log2 Bayes factor log2(m/u) to the
 * prior log-odds, and the sum is turned into a match probability. Use it to score a new profile
 * against the candidates found through `blockingKeys`. The threshold is not applied here.
 *
 * One pair is no data to estimate a prior from, so pass `parameters.prior` for a calibrated score:
 * the `prior` of `estimateParameters` over your records, or of `suggestMatches`' data. Without it
 * the score uses a prior of 1e-3 (about one duplicate per record among a thousand); the weights do
 * not depend on it. No term-frequency adjustment either: that needs the other records.
 *
 * @param a - One record.
 * @param b - The other record.
 * @param options - {@link FuzzyMatchOptions}: fields, parameters, swapped-field pairs.
 * @returns The suggestion for the pair, whatever its score.
 * @throws InvalidInputError when a record or an option is malformed (`details` names it).
 *
 * @example
 * ```ts
 * const fields = { first: "name", last: "name", dob: "date" } as const;
 * const s = matchPair(
 *   { id: "1", traits: { first: "Robert", last: "Allen", dob: "1971-06-24" } },
 *   { id: "2", traits: { first: "Rob", last: "Alen", dob: "1971-06-24" } },
 *   { fields, parameters: { prior: 1e-4 } },
 * );
 * s.score > 0.8;      // true (≈ 0.84)
 * s.levels.first;     // "similar"
 * s.weights.dob;      // ≈ 10.6
 * ```
 */
export function matchPair(a: FuzzyRecord, b: FuzzyRecord, options?: FuzzyMatchOptions): MatchSuggestion {
  checkRecord("matchPair input", a, "a");
  checkRecord("matchPair input", b, "b");
  const resolved = resolveOptions(options, "matchPair options");
  const kinds = Object.fromEntries(resolved.fields);
  return scorePrepared(prepareRecord(a, kinds), prepareRecord(b, kinds), resolved, resolved.prior ?? SINGLE_PAIR_PRIOR);
}
