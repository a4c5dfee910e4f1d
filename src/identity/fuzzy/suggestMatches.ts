import { candidatePairs } from "./_lib/keys.js";
import { prepareRecord } from "./_lib/prepare.js";
import { priorFromWeights } from "./_lib/prior.js";
import { checkRecords, resolveOptions } from "./_lib/resolve.js";
import { comparePrepared, probability, termFrequencies } from "./_lib/score.js";
import type { FuzzyMatchOptions, FuzzyRecord, MatchSuggestion } from "./types.js";

/**
 * Finds likely duplicates among records: every pair that shares a blocking key (see
 * `blockingKeys`) is compared field by field with `matchPair`'s Fellegi–Sunter model, and pairs
 * whose match probability is at or above the threshold are returned.
 *
 * The prior (the probability that two records picked at random are the same person) is estimated
 * from these records unless `parameters.prior` is given: the expected number of matches, counted
 * from the model's own match weights over the candidate pairs, over the number of pairs. It falls
 * as the data grows, so a threshold keeps its meaning from a thousand records to a million. Exact
 * agreement on a value is weighted by how common the value is among the records
 * (`termFrequency`, on by default). Pure and deterministic: sorted by score (highest first), then
 * `a`, then `b`, where `a` is the smaller id of the pair.
 *
 * @param records - The records; ids must be unique.
 * @param options - {@link FuzzyMatchOptions}: fields, threshold (default 0.8), parameters (built-in
 *   m/u tables, or the result of `estimateParameters`), blocking rules.
 * @returns The suggestions at or above the threshold.
 * @throws InvalidInputError when a record or an option is malformed (`details` names it).
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
  checkRecords("suggestMatches input", records);
  const resolved = resolveOptions(options, "suggestMatches options");
  const kinds = Object.fromEntries(resolved.fields);
  const prepared = records.map((record) => prepareRecord(record, kinds));
  const tf = resolved.termFrequency ? termFrequencies(prepared, resolved) : undefined;
  const pairs = candidatePairs(prepared, resolved.rules, resolved.maxBlockSize);
  const ordered = (i: number, j: number) =>
    prepared[i]!.id <= prepared[j]!.id
      ? ([prepared[i]!, prepared[j]!] as const)
      : ([prepared[j]!, prepared[i]!] as const);
  const totals = new Float64Array(pairs.length);
  pairs.forEach(([i, j], k) => {
    const [x, y] = ordered(i, j);
    totals[k] = comparePrepared(x, y, resolved, tf).total;
  });
  const n = prepared.length;
  const prior = resolved.prior ?? priorFromWeights(totals, (n * (n - 1)) / 2).prior;
  const out: MatchSuggestion[] = [];
  pairs.forEach(([i, j], k) => {
    if (probability(prior, totals[k]!) < resolved.threshold) return;
    const [x, y] = ordered(i, j);
    const c = comparePrepared(x, y, resolved, tf);
    const score = probability(prior, c.total);
    if (score >= resolved.threshold) {
      out.push({ a: x.id, b: y.id, score, weights: c.weights, levels: c.levels, swapped: c.swapped });
    }
  });
  return out.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
}
