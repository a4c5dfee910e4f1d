import * as z from "zod";
import type { Consent, Violation } from "../../schema/outputs.js";
import { Name } from "../../schema/primitives.js";
import { Severity } from "../_lib/options.js";
import { formatDay } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { DeepReadonly, OfferFacts, Rule } from "../types.js";

/** Options of the {@link consent} rule. */
export const ConsentOptions = z.strictObject({
  /** The consent purpose checked (default "marketing"). */
  purpose: Name.default("marketing"),
  /** Treat "no decision recorded" as an opt-out (default false: allowed until the customer opts out). */
  requireOptIn: z.boolean().default(false),
  severity: Severity.default("error"),
});
export type ConsentOptions = z.output<typeof ConsentOptions>;

/** Defaults of the {@link consent} rule. */
export const CONSENT_DEFAULTS: ConsentOptions = Object.freeze({
  purpose: "marketing",
  requireOptIn: false,
  severity: "error",
});

/**
 * Built-in rule `consent`: no offer on a channel for which the customer's latest consent decision
 * for `purpose` (the last in (`at`, `id`) order with `at <= now`) is an opt-out. With no decision
 * the offer is allowed, unless `requireOptIn`. Marketing and service offers are checked;
 * transactional offers are exempt.
 *
 * @param facts - the presentation, the offer category and the customer's consents
 * @param options - resolved {@link ConsentOptions}
 * @returns one violation when the customer opted out (or never opted in, with `requireOptIn`)
 *
 * @example
 * ```ts
 * const violations = consent.evaluate(facts, CONSENT_DEFAULTS);
 * // [{ rule: "consent", severity: "error",
 * //    message: "Customer opted out of marketing on sms on 2 Apr", … }]
 * ```
 */
export const consent: Rule<ConsentOptions> = {
  id: "consent",
  description: "Respects the customer's per-channel consent decisions.",
  options: ConsentOptions,
  defaults: CONSENT_DEFAULTS,
  evaluate(facts: OfferFacts, options: ConsentOptions): Violation[] {
    const { offer, presentation, consents, now } = facts;
    if (offer.category === "transactional") return [];
    const channel = presentation.channel;
    let latest: DeepReadonly<Consent> | undefined;
    for (let i = consents.length - 1; i >= 0; i--) {
      const decision = consents[i]!;
      if (decision.at > now || decision.channel !== channel || decision.purpose !== options.purpose) continue;
      latest = decision;
      break;
    }
    if (latest === undefined) {
      if (!options.requireOptIn) return [];
      return [
        violation("consent", options.severity, `Customer has not opted in to ${options.purpose} on ${channel}`, {
          channel,
          purpose: options.purpose,
          decision: null,
          requireOptIn: true,
        }),
      ];
    }
    if (latest.granted) return [];
    return [
      violation(
        "consent",
        options.severity,
        `Customer opted out of ${options.purpose} on ${channel} on ${formatDay(latest.at, now)}`,
        {
          channel,
          purpose: options.purpose,
          decision: { consentId: latest.id, granted: false, at: latest.at, source: latest.source ?? null },
          requireOptIn: options.requireOptIn,
        },
      ),
    ];
  },
};
