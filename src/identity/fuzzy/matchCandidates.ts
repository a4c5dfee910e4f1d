import { compareStrings } from "../../_lib/hash.js";
import { prepareRecord } from "./_lib/prepare.js";
import { priorFromWeights } from "./_lib/prior.js";
import { checkRecord, checkRecords, invalid, resolveOptions } from "./_lib/resolve.js";
import { comparePrepared, probability } from "./_lib/score.js";
import type { FuzzyMatchOptions, FuzzyRecord, MatchSuggestion } from "./types.js";

/**
 * Scores one record against its candidates (the records sharing a blocking key with it, found
 * through an index) out of a population of `population` records, for a caller that holds only
 * those candidates, such as the context's per-profile suggestions. The prior is estimated from
 * the data at match time unless `parameters.prior` is given: the expected number of the record's
 * matches, counted from the model's own match weights over its candidates (`priorFromWeights`,
 * the rest of the population is taken as non-matches), over the `population - 1` pairs the record
 * takes part in. So the same pair scores lower in a larger store, as in `suggestMatches`. No
 * term-frequency adjustment: that needs every record. Pure and deterministic: the candidates'
 * order does not matter; sorted by score (highest first), then `b`.
 *
 * @param record - The record suggestions are made for (`a` of every suggestion).
 * @param candidates - Its candidates; ids must be unique and differ from the record's.
 * @param options - {@link FuzzyMatchOptions} plus `population`, the number of records the
 *   candidates were drawn from (at least the candidates plus the record).
 * @returns The suggestions at or above the threshold.
 * @throws InvalidInputError when a record or an option is malformed (`details` names it).
 */
export function matchCandidates(
  record: FuzzyRecord,
  candidates: readonly FuzzyRecord[],
  options: FuzzyMatchOptions & { population: number },
): MatchSuggestion[] {
  const what = "matchCandidates input";
  checkRecord(what, record, "record");
  checkRecords(what, candidates);
  const { population } = options;
  if (!Number.isInteger(population) || population < candidates.length + 1) {
    invalid("matchCandidates options", "population", "must be an integer >= the candidates plus one");
  }
  const resolved = resolveOptions(options, "matchCandidates options");
  const kinds = Object.fromEntries(resolved.fields);
  const x = prepareRecord(record, kinds);
  const compared = candidates.map((c) => comparePrepared(x, prepareRecord(c, kinds), resolved));
  const prior =
    resolved.prior ??
    priorFromWeights(
      Float64Array.from(compared, (c) => c.total),
      population - 1,
    ).prior;
  const out: MatchSuggestion[] = [];
  compared.forEach((c, i) => {
    const score = probability(prior, c.total);
    if (score < resolved.threshold) return;
    out.push({ a: record.id, b: candidates[i]!.id, score, weights: c.weights, levels: c.levels, swapped: c.swapped });
  });
  return out.sort((p, q) => q.score - p.score || compareStrings(p.b, q.b));
}
