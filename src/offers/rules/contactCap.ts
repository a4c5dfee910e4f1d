import * as z from "zod";
import type { Violation } from "../../schema/outputs.js";
import { Channel, Duration, LIMITS } from "../../schema/primitives.js";
import { versionOf } from "../_lib/catalogue.js";
import { describeDuration, isoMinus } from "../_lib/duration.js";
import { Severity } from "../_lib/options.js";
import { firstAfter } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { OfferFacts, Rule } from "../types.js";

/** Options of the {@link contactCap} rule. */
export const ContactCapOptions = z.strictObject({
  /** Most marketing presentations allowed within `per` (default 3). */
  max: z.number().int().min(0).max(1_000_000).default(3),
  /** The rolling window, a date-fns duration (default 7 days). */
  per: Duration.default({ days: 7 }),
  /** Count and cap only these channels (default: all channels together). */
  channels: z.array(Channel).min(1).max(LIMITS.list).optional(),
  severity: Severity.default("error"),
});
export type ContactCapOptions = z.output<typeof ContactCapOptions>;

/** Defaults of the {@link contactCap} rule. */
export const CONTACT_CAP_DEFAULTS: ContactCapOptions = Object.freeze({ max: 3, per: { days: 7 }, severity: "error" });

/**
 * Built-in rule `contact-cap`: at most `max` marketing presentations to one customer within any
 * window of length `per`, counting every channel, or only the listed `channels`. The count is the
 * current presentation plus the earlier ones at a time `t` with `now - per < t <= now` whose
 * offer version has category `marketing`. Service and transactional offers are exempt (they are
 * neither capped nor counted); with `channels`, a presentation on another channel is exempt.
 *
 * @param facts - the presentation, the catalogue and the customer's history
 * @param options - resolved {@link ContactCapOptions}
 * @returns one violation when the count exceeds `max`, else none
 *
 * @example
 * ```ts
 * const violations = contactCap.evaluate(facts, CONTACT_CAP_DEFAULTS);
 * // [{ rule: "contact-cap", severity: "error",
 * //    message: "4 marketing presentations within 7 days across channels (max 3)", … }]
 * ```
 */
export const contactCap: Rule<ContactCapOptions> = {
  id: "contact-cap",
  description: "Caps marketing presentations per customer within a rolling window.",
  options: ContactCapOptions,
  defaults: CONTACT_CAP_DEFAULTS,
  evaluate(facts: OfferFacts, options: ContactCapOptions): Violation[] {
    const { offer, presentation, history, now, catalogue } = facts;
    if (offer.category !== "marketing") return [];
    const channels = options.channels;
    if (channels !== undefined && !channels.includes(presentation.channel)) return [];
    const since = isoMinus(now, options.per);
    const start = firstAfter(history, since);
    let count = 1;
    for (let i = start; i < history.length; i++) {
      const earlier = history[i]!;
      if (channels !== undefined && !channels.includes(earlier.channel)) continue;
      if (versionOf(catalogue, earlier)?.category === "marketing") count++;
    }
    if (count <= options.max) return [];
    const counted: string[] = [];
    for (let i = start; i < history.length; i++) {
      const earlier = history[i]!;
      if (channels !== undefined && !channels.includes(earlier.channel)) continue;
      if (versionOf(catalogue, earlier)?.category === "marketing") counted.push(earlier.id);
    }
    const scope = channels === undefined ? "across channels" : `on ${channels.join(", ")}`;
    return [
      violation(
        "contact-cap",
        options.severity,
        `${count} marketing presentations within ${describeDuration(options.per)} ${scope} (max ${options.max})`,
        {
          count,
          max: options.max,
          per: { ...options.per },
          since,
          channels: channels === undefined ? null : [...channels],
          earlierPresentationIds: counted,
        },
      ),
    ];
  },
};
