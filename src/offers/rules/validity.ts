import * as z from "zod";
import type { Violation } from "../../schema/outputs.js";
import { Severity } from "../_lib/options.js";
import { formatDay } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { OfferFacts, Rule } from "../types.js";

/** Options of the {@link validity} rule. */
export const ValidityOptions = z.strictObject({
  severity: Severity.default("error"),
});
export type ValidityOptions = z.output<typeof ValidityOptions>;

/** Defaults of the {@link validity} rule. */
export const VALIDITY_DEFAULTS: ValidityOptions = Object.freeze({ severity: "error" });

/**
 * Built-in rule `validity`: the presentation time must lie within the validity window of the
 * offer version it is made under, `validFrom <= now <= validTo` (both ends inclusive, either may
 * be absent). Applies to every category.
 *
 * @param facts - the presentation and its offer version
 * @param options - resolved {@link ValidityOptions}
 * @returns one violation when outside the window, else none
 *
 * @example
 * ```ts
 * const violations = validity.evaluate(facts, VALIDITY_DEFAULTS);
 * // [{ rule: "validity", severity: "error",
 * //    message: "Offer loan v1 presented on web on 1 May 2026, after it expired on 30 Apr", … }]
 * ```
 */
export const validity: Rule<ValidityOptions> = {
  id: "validity",
  description: "Offers are presented only within their validity window.",
  options: ValidityOptions,
  defaults: VALIDITY_DEFAULTS,
  evaluate(facts: OfferFacts, options: ValidityOptions): Violation[] {
    const { offer, now, presentation } = facts;
    const what = `Offer ${offer.id} v${offer.version} presented on ${presentation.channel} on ${formatDay(now)}`;
    if (offer.validFrom !== undefined && now < offer.validFrom) {
      return [
        violation("validity", options.severity, `${what}, before it is valid from ${formatDay(offer.validFrom, now)}`, {
          offerVersion: offer.version,
          at: now,
          validFrom: offer.validFrom,
          validTo: offer.validTo ?? null,
        }),
      ];
    }
    if (offer.validTo !== undefined && now > offer.validTo) {
      return [
        violation("validity", options.severity, `${what}, after it expired on ${formatDay(offer.validTo, now)}`, {
          offerVersion: offer.version,
          at: now,
          validFrom: offer.validFrom ?? null,
          validTo: offer.validTo,
        }),
      ];
    }
    return [];
  },
};
