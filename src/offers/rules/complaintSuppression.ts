import * as z from "zod";
import { compareStrings } from "../../_lib/hash.js";
import type { Violation } from "../../schema/outputs.js";
import { LIMITS, Name } from "../../schema/primitives.js";
import { isOpenAt, tagSince } from "../_lib/conversations.js";
import { Severity } from "../_lib/options.js";
import { formatDay } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { OfferFacts, Rule } from "../types.js";

/** Options of the {@link complaintSuppression} rule. */
export const ComplaintSuppressionOptions = z.strictObject({
  /** Conversation tags that suppress offers (default ["complaint"]). */
  tags: z.array(Name).min(1).max(LIMITS.list).default(["complaint"]),
  severity: Severity.default("error"),
});
export type ComplaintSuppressionOptions = z.output<typeof ComplaintSuppressionOptions>;

/** Defaults of the {@link complaintSuppression} rule. */
export const COMPLAINT_SUPPRESSION_DEFAULTS: ComplaintSuppressionOptions = Object.freeze({
  tags: ["complaint"],
  severity: "error",
});

/**
 * Built-in rule `complaint-suppression`: no offer while the customer has a conversation that is
 * open at `now` (`startedAt <= now` and not resolved by then: `resolvedAt > now`, or no
 * `resolvedAt`) and carries one of `tags` since a time `<= now` (`tagsSince[tag]`, else the
 * conversation's `startedAt`). It clears when the conversation is resolved. Marketing and service
 * offers are checked; transactional offers are exempt.
 *
 * @param facts - the offer category and the customer's conversations
 * @param options - resolved {@link ComplaintSuppressionOptions}
 * @returns one violation per suppressing conversation, ordered by conversation id
 *
 * @example
 * ```ts
 * const violations = complaintSuppression.evaluate(facts, COMPLAINT_SUPPRESSION_DEFAULTS);
 * // [{ rule: "complaint-suppression", severity: "error",
 * //    message: "Marketing offer loan on web while conversation c1 tagged complaint is open (since 2 Apr)", … }]
 * ```
 */
export const complaintSuppression: Rule<ComplaintSuppressionOptions> = {
  id: "complaint-suppression",
  description: "Suppresses offers while a complaint is open.",
  options: ComplaintSuppressionOptions,
  defaults: COMPLAINT_SUPPRESSION_DEFAULTS,
  evaluate(facts: OfferFacts, options: ComplaintSuppressionOptions): Violation[] {
    const { offer, presentation, conversations, now } = facts;
    if (offer.category === "transactional") return [];
    let out: Violation[] | undefined;
    for (const conversation of conversations) {
      if (!isOpenAt(conversation, now)) continue;
      for (const tag of options.tags) {
        const since = tagSince(conversation, tag);
        if (since === undefined || since > now) continue;
        out ??= [];
        out.push(
          violation(
            "complaint-suppression",
            options.severity,
            `${offer.category === "marketing" ? "Marketing" : "Service"} offer ${offer.id} on ${presentation.channel} while conversation ${conversation.id} tagged ${tag} is open (since ${formatDay(since, now)})`,
            {
              conversationId: conversation.id,
              tag,
              since,
              startedAt: conversation.startedAt,
              channels: [...conversation.channels],
            },
          ),
        );
        break;
      }
    }
    if (out === undefined) return [];
    return out.length > 1
      ? out.sort((a, b) => compareStrings(String(a.evidence.conversationId), String(b.evidence.conversationId)))
      : out;
  },
};
