import { compareStrings } from "../../_lib/hash.js";
import type { RefusalReason } from "../../schema/outputs.js";
import { reviewIdFor } from "./reviewIdFor.js";
import type { ReviewCandidate } from "./types.js";

/** The refusals a person can settle: a limit conflict, a sticky separation, an auto-blocked identifier. */
const REVIEWABLE = new Set<RefusalReason>(["limit", "unmerged", "auto-blocked"]);

/** One refusal of an observation, by identifier key. */
export interface RefusedKey {
  key: string;
  reason: RefusalReason;
  message: string;
}

/**
 * Which refusals of one observation become review items: those a person can settle by merging
 * the refused identifier's profile with the profile the observation speaks for (its anchor).
 * Invalid and blocked values are not questions for a person, and neither is a refusal of the
 * anchor itself (there is no second profile).
 *
 * @param observation - the link id, its identifier keys, its time and the identifier it speaks for
 * @param refused - the refusals reported for it
 * @returns one candidate per reviewable refusal, with its deterministic id
 *
 * @example
 * ```ts
 * const [review] = refusalReviews(
 *   { linkId: "link_1", keys: ["crmId:C-2", "email:a@x.pl"], at: "2026-04-01T09:00:00.000Z", anchor: "crmId:C-2" },
 *   [{ key: "email:a@x.pl", reason: "limit", message: "…" }],
 * );
 * review.keys; // ["crmId:C-2", "email:a@x.pl"]
 * ```
 */
export function refusalReviews(
  observation: { linkId: string; keys: readonly string[]; at: string; anchor: string },
  refused: readonly RefusedKey[],
): ReviewCandidate[] {
  const out = new Map<string, ReviewCandidate>();
  for (const r of refused) {
    if (!REVIEWABLE.has(r.reason) || r.key === observation.anchor) continue;
    const keys = [r.key, observation.anchor].sort(compareStrings) as [string, string];
    const reason = r.reason as Exclude<RefusalReason, "blocked" | "invalid">;
    const id = reviewIdFor(reason, keys);
    out.set(id, {
      id,
      reason,
      keys,
      evidence: {
        kind: "link",
        linkId: observation.linkId,
        keys: [...observation.keys],
        at: observation.at,
        message: r.message,
      },
    });
  }
  return [...out.values()];
}

/**
 * Of two candidates for the same review, the one whose evidence comes first (time, then link id),
 * so that the evidence a review keeps does not depend on the order observations arrived in.
 *
 * @example
 * ```ts
 * earlierEvidence(later, earlier) === earlier; // true
 * ```
 */
export function earlierEvidence<T extends { evidence: { at: string; linkId?: string } }>(a: T, b: T): T {
  const byTime = compareStrings(a.evidence.at, b.evidence.at);
  if (byTime !== 0) return byTime < 0 ? a : b;
  return compareStrings(a.evidence.linkId ?? "", b.evidence.linkId ?? "") <= 0 ? a : b;
}
