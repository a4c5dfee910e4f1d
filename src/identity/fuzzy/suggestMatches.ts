import { candidatePairs } from "./_lib/keys.js";
import { prepareRecord } from "./_lib/prepare.js";
import { resolveOptions } from "./_lib/resolve.js";
import { scorePrepared } from "./_lib/score.js";
import type { FuzzyMatchOptions, FuzzyRecord, MatchSuggestion } from "./types.js";

/**
 * Finds likely duplicates among records: every pair that shares a blocking key (see
 * `blockingKeys`) is scored with `matchPair`'s Fellegi–Sunter model, and pairs at or above the
 * threshold are returned. Pure and deterministic: sorted by score (highest first), then `a`, then
 * `b`, where `a` is the smaller id of the pair.
 *
 * @param records - The records; ids should be unique.
 * @param options - {@link FuzzyMatchOptions}: fields, threshold (default 0.8), parameters (defaults,
 *   or the result of `estimateParameters`), blocking rules.
 * @returns The suggestions at or above the threshold.
 *
 * @example
 * ```ts
 * const fields = { first: "name", last: "name", dob: "date", city: "text" } as const;
 * suggestMatches(
 *   [
 *     { id: "1", traits: { first: "Isla", last: "Hall", dob: "1985-02-07", city: "London" } },
 *     { id: "2", traits: { first: "Hall", last: "Isla", dob: "1985-02-07" } },
 *     { id: "3", traits: { first: "Oliver", last: "Griffiths", dob: "1991-10-26", city: "London" } },
 *   ],
 *   { fields },
 * ).map((s) => [s.a, s.b, s.swapped]);
 * // [["1", "2", true]]
 * ```
 */
export function suggestMatches(records: readonly FuzzyRecord[], options?: FuzzyMatchOptions): MatchSuggestion[] {
  const resolved = resolveOptions(options);
  const kinds = Object.fromEntries(resolved.fields);
  const prepared = records.map((record) => prepareRecord(record, kinds));
  const out: MatchSuggestion[] = [];
  for (const [i, j] of candidatePairs(prepared, resolved.rules, resolved.maxBlockSize)) {
    const [x, y] = prepared[i]!.id <= prepared[j]!.id ? [prepared[i]!, prepared[j]!] : [prepared[j]!, prepared[i]!];
    const suggestion = scorePrepared(x, y, resolved);
    if (suggestion.score >= resolved.threshold) out.push(suggestion);
  }
  return out.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
}
