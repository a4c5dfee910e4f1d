import * as z from "zod";
import type { Condition } from "../../schema/inputs.js";
import type { Violation } from "../../schema/outputs.js";
import { Severity } from "../_lib/options.js";
import { violation } from "../_lib/violation.js";
import { evaluateCondition } from "../evaluateCondition.js";
import type { OfferFacts, Rule } from "../types.js";

/** Options of the {@link eligibility} rule. */
export const EligibilityOptions = z.strictObject({
  severity: Severity.default("error"),
});
export type EligibilityOptions = z.output<typeof EligibilityOptions>;

/** Defaults of the {@link eligibility} rule. */
export const ELIGIBILITY_DEFAULTS: EligibilityOptions = Object.freeze({ severity: "error" });

/**
 * Built-in rule `eligibility`: the customer must meet the `eligibility` condition of the offer
 * version, evaluated with {@link evaluateCondition} over the profile's traits and tags. An offer
 * without a condition is open to everyone. Applies to every category.
 *
 * @param facts - the offer version and the profile
 * @param options - resolved {@link EligibilityOptions}
 * @returns one violation naming the failed conditions, else none
 *
 * @example
 * ```ts
 * const violations = eligibility.evaluate(facts, ELIGIBILITY_DEFAULTS);
 * // [{ rule: "eligibility", severity: "error",
 * //    message: "Profile p1 is not eligible for loan v1: age gte 18 (is 16)", … }]
 * ```
 */
export const eligibility: Rule<EligibilityOptions> = {
  id: "eligibility",
  description: "The customer meets the offer's eligibility conditions.",
  options: EligibilityOptions,
  defaults: ELIGIBILITY_DEFAULTS,
  evaluate(facts: OfferFacts, options: EligibilityOptions): Violation[] {
    const { offer, profile } = facts;
    if (offer.eligibility === undefined || offer.eligibility === null) return [];
    const result = evaluateCondition(offer.eligibility as Condition, profile);
    if (result.ok) return [];
    return [
      violation(
        "eligibility",
        options.severity,
        `Profile ${profile.id} is not eligible for ${offer.id} v${offer.version}: ${result.failed.join("; ")}`,
        { offerVersion: offer.version, failed: result.failed, condition: offer.eligibility },
      ),
    ];
  },
};
