import * as z from "zod";
import type { Violation } from "../../schema/outputs.js";
import { Severity, TermList } from "../_lib/options.js";
import { diffTerms, formatValue, termLabel } from "../_lib/terms.js";
import { violation } from "../_lib/violation.js";
import type { OfferFacts, Rule } from "../types.js";

/** Options of the {@link parity} rule. */
export const ParityOptions = z.strictObject({
  /** Absolute tolerance for numeric terms (default 0). */
  tolerance: z.number().finite().min(0).default(0),
  /** Terms never compared. */
  ignore: TermList.default([]),
  /** Also report catalogue terms that were not presented (default false: an agent may quote only some terms). */
  requireAll: z.boolean().default(false),
  /** Report a presentation on a channel the offer does not list in `channels` (default true). */
  channels: z.boolean().default(true),
  severity: Severity.default("error"),
});
export type ParityOptions = z.output<typeof ParityOptions>;

/** Defaults of the {@link parity} rule. */
export const PARITY_DEFAULTS: ParityOptions = Object.freeze({
  tolerance: 0,
  ignore: [],
  requireAll: false,
  channels: true,
  severity: "error",
});

/**
 * Built-in rule `parity`: the presented terms must equal the catalogue terms of the offer version
 * for that channel, that is `terms` with the declared `channelTerms[channel]` merged over them.
 * Any other per-channel difference is a violation, one per differing term. A presented term the
 * catalogue does not have is a violation; a catalogue term that was not presented is one only
 * with `requireAll`. When the offer lists `channels`, a presentation on another channel is a
 * violation too (switch off with `channels: false`). Applies to every category.
 *
 * @param facts - the presentation and its offer version
 * @param options - resolved {@link ParityOptions}
 * @returns one violation per differing term (by term name), after the channel violation if any
 *
 * @example
 * ```ts
 * const violations = parity.evaluate(facts, PARITY_DEFAULTS);
 * // [{ rule: "parity", severity: "error",
 * //    message: "APR 6.9 on phone differs from the catalogue's 5.9 (loan v1)", … }]
 * ```
 */
export const parity: Rule<ParityOptions> = {
  id: "parity",
  description: "The presented terms equal the catalogue terms for the channel.",
  options: ParityOptions,
  defaults: PARITY_DEFAULTS,
  evaluate(facts: OfferFacts, options: ParityOptions): Violation[] {
    const { offer, presentation } = facts;
    const channel = presentation.channel;
    const out: Violation[] = [];
    const where = `${offer.id} v${offer.version}`;
    if (options.channels && offer.channels !== undefined && !offer.channels.includes(channel)) {
      out.push(
        violation(
          "parity",
          options.severity,
          `Offer ${offer.id} is not offered on ${channel} (channels: ${offer.channels.join(", ")})`,
          { offerVersion: offer.version, channel, channels: [...offer.channels] },
        ),
      );
    }
    const override = offer.channelTerms?.[channel];
    const diffs = diffTerms(
      presentation.terms,
      offer.terms,
      { tolerance: options.tolerance, ignore: options.ignore, extra: true, missing: options.requireAll },
      override,
    );
    for (const d of diffs) {
      const label = termLabel(d.term);
      const source = override !== undefined && d.term in override ? "channelTerms" : "terms";
      const message =
        d.expected === undefined
          ? `${label} ${formatValue(d.presented)} on ${channel} is not a term of ${where} in the catalogue`
          : d.presented === undefined
            ? `${label} was not presented on ${channel}; the catalogue has ${formatValue(d.expected)} (${where})`
            : `${label} ${formatValue(d.presented)} on ${channel} differs from the catalogue's ${formatValue(d.expected)} (${where})`;
      out.push(
        violation("parity", options.severity, message, {
          offerVersion: offer.version,
          term: d.term,
          presented: d.presented ?? null,
          expected: d.expected ?? null,
          source,
          tolerance: options.tolerance,
        }),
      );
    }
    return out;
  },
};
