import * as z from "zod";
import type { Presentation, Violation } from "../../schema/outputs.js";
import { Duration } from "../../schema/primitives.js";
import { versionOf } from "../_lib/catalogue.js";
import { describeDuration, isoMinus } from "../_lib/duration.js";
import { Severity } from "../_lib/options.js";
import { firstAfter, formatDay } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { DeepReadonly, OfferFacts, Rule } from "../types.js";

/** Options of the {@link exclusivity} rule. */
export const ExclusivityOptions = z.strictObject({
  /** How far back an offer of the same group excludes this one (default 30 days). */
  period: Duration.default({ days: 30 }),
  severity: Severity.default("error"),
});
export type ExclusivityOptions = z.output<typeof ExclusivityOptions>;

/** Defaults of the {@link exclusivity} rule. */
export const EXCLUSIVITY_DEFAULTS: ExclusivityOptions = Object.freeze({ period: { days: 30 }, severity: "error" });

/**
 * Built-in rule `exclusivity`: when the offer version has an `exclusiveGroup`, the customer must
 * not have been presented a different offer of the same group (by the version that presentation
 * was made under) within `period` before now, i.e. at a time `t` with `now - period < t <= now`.
 * One violation per other offer, naming its most recent presentation. Applies to every category.
 *
 * @param facts - the offer version, the catalogue and the customer's history
 * @param options - resolved {@link ExclusivityOptions}
 * @returns one violation per conflicting offer id, ordered by offer id
 *
 * @example
 * ```ts
 * const violations = exclusivity.evaluate(facts, EXCLUSIVITY_DEFAULTS);
 * // [{ rule: "exclusivity", severity: "error",
 * //    message: 'Offer card-gold is in exclusive group "cards" with card-silver, presented on web on 2 Apr (within 30 days)', … }]
 * ```
 */
export const exclusivity: Rule<ExclusivityOptions> = {
  id: "exclusivity",
  description: "At most one offer of an exclusive group within a period.",
  options: ExclusivityOptions,
  defaults: EXCLUSIVITY_DEFAULTS,
  evaluate(facts: OfferFacts, options: ExclusivityOptions): Violation[] {
    const { offer, history, now, catalogue } = facts;
    const group = offer.exclusiveGroup;
    if (group === undefined) return [];
    const start = firstAfter(history, isoMinus(now, options.period));
    let latest: Map<string, DeepReadonly<Presentation>> | undefined;
    for (let i = start; i < history.length; i++) {
      const earlier = history[i] as DeepReadonly<Presentation>;
      if (earlier.offerId === offer.id) continue;
      if (versionOf(catalogue, earlier)?.exclusiveGroup !== group) continue;
      latest ??= new Map();
      latest.set(earlier.offerId, earlier);
    }
    if (latest === undefined) return [];
    const within = describeDuration(options.period);
    return [...latest.keys()].sort().map((offerId) => {
      const earlier = latest.get(offerId) as DeepReadonly<Presentation>;
      return violation(
        "exclusivity",
        options.severity,
        `Offer ${offer.id} is in exclusive group "${group}" with ${offerId}, presented on ${earlier.channel} on ${formatDay(earlier.at, now)} (within ${within})`,
        {
          group,
          offerVersion: offer.version,
          earlier: {
            presentationId: earlier.id,
            offerId,
            offerVersion: earlier.offerVersion,
            channel: earlier.channel,
            at: earlier.at,
          },
          period: { ...options.period },
        },
      );
    });
  },
};
