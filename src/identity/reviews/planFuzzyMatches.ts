import { compareStrings } from "../../_lib/hash.js";
import type { MatchSuggestion } from "../fuzzy/types.js";
import { reviewIdFor } from "./reviewIdFor.js";
import type { ReviewCandidate } from "./types.js";

/**
 * One sentence for a fuzzy match: its score and the weight of each field, e.g.
 * `fuzzy match 0.962 (firstName +3.1, city -1.2)`. Auto-merges record it as their reason.
 *
 * @example
 * ```ts
 * describeSuggestion({ a: "p1", b: "p2", score: 0.9624, weights: { firstName: 3.12 } }); // "fuzzy match 0.962 (firstName +3.1)"
 * ```
 */
export function describeSuggestion(suggestion: Pick<MatchSuggestion, "score" | "weights">): string {
  const fields = Object.entries(suggestion.weights)
    .map(([field, w]) => `${field} ${w >= 0 ? "+" : ""}${w.toFixed(1)}`)
    .join(", ");
  return `fuzzy match ${suggestion.score.toFixed(3)} (${fields})`;
}

/** Output of {@link planFuzzyMatches}. */
export interface FuzzyPlan {
  /** Suggestions to merge automatically (score at least `autoMergeAbove`), best first. */
  merge: MatchSuggestion[];
  /** Suggestions below `autoMergeAbove`, as review candidates. */
  review: ReviewCandidate[];
}

/**
 * Splits the fuzzy suggestions for one profile into automatic merges and review items. Without
 * `autoMergeAbove`, every suggestion waits for a person. A review is about the two profiles'
 * anchors, so its id is the same whichever of the two the suggestion was computed for.
 *
 * @param suggestions - the suggestions (each at least the matcher's threshold)
 * @param anchorOf - the anchor identifier key of each profile id named by a suggestion
 * @param autoMergeAbove - the score from which a suggestion is merged automatically
 * @param at - when the suggestions were computed (the review's evidence time)
 * @returns what to merge and what to raise for review
 *
 * @example
 * ```ts
 * const plan = planFuzzyMatches([{ a: "p1", b: "p2", score: 0.9, weights: {} }],
 *   new Map([["p1", "email:a@x.pl"], ["p2", "phone:+48601234567"]]), 0.95, "2026-04-01T09:00:00.000Z");
 * plan.review.length; // 1
 * ```
 */
export function planFuzzyMatches(
  suggestions: readonly MatchSuggestion[],
  anchorOf: ReadonlyMap<string, string>,
  autoMergeAbove: number | undefined,
  at: string,
): FuzzyPlan {
  const merge: MatchSuggestion[] = [];
  const review: ReviewCandidate[] = [];
  for (const s of suggestions) {
    if (autoMergeAbove !== undefined && s.score >= autoMergeAbove) {
      merge.push(s);
      continue;
    }
    const a = anchorOf.get(s.a);
    const b = anchorOf.get(s.b);
    if (a === undefined || b === undefined || a === b) continue;
    const keys = [a, b].sort(compareStrings) as [string, string];
    review.push({
      id: reviewIdFor("fuzzy", keys),
      reason: "fuzzy",
      keys,
      evidence: { kind: "fuzzy", score: s.score, weights: { ...s.weights }, at, message: describeSuggestion(s) },
    });
  }
  merge.sort((x, y) => y.score - x.score || compareStrings(x.b, y.b));
  return { merge, review };
}
