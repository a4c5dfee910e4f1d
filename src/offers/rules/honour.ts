import * as z from "zod";
import type { Presentation, Violation } from "../../schema/outputs.js";
import { Duration } from "../../schema/primitives.js";
import { findVersion } from "../_lib/catalogue.js";
import { describeDuration, isoMinus, isoPlus } from "../_lib/duration.js";
import { TermList, TermName } from "../_lib/options.js";
import { diffTerms, formatValue, termLabel } from "../_lib/terms.js";
import { formatDay } from "../_lib/time.js";
import { violation } from "../_lib/violation.js";
import type { DeepReadonly, OfferFacts, Rule, TermDirection } from "../types.js";

/** Default directions: for these terms lower (`price`, `apr`, `fee`, `rate`, `interest`) or higher (`discount`, `cashback`) is better for the customer. */
export const DEFAULT_TERM_DIRECTIONS: Readonly<Record<string, TermDirection>> = Object.freeze({
  price: "lower",
  apr: "lower",
  fee: "lower",
  rate: "lower",
  interest: "lower",
  discount: "higher",
  cashback: "higher",
});

/** Options of the {@link honour} rule. */
export const HonourOptions = z.strictObject({
  /**
   * How long an earlier presentation stays valid after it was made (default 30 days), or `false`
   * for no limit other than the `validTo` of the version it was made under.
   */
  period: z.union([z.literal(false), Duration]).default({ days: 30 }),
  /** Per term, which way is better for the customer; merged over {@link DEFAULT_TERM_DIRECTIONS}. */
  directions: z
    .record(TermName, z.enum(["lower", "higher"], { error: 'must be "lower" or "higher"' }))
    .default({})
    .transform((given) => ({ ...DEFAULT_TERM_DIRECTIONS, ...given })),
  /** Absolute tolerance for numeric terms (default 0). */
  tolerance: z.number().finite().min(0).default(0),
  /** Terms never compared. */
  ignore: TermList.default([]),
});
export type HonourOptions = z.output<typeof HonourOptions>;

/** Defaults of the {@link honour} rule. */
export const HONOUR_DEFAULTS: HonourOptions = Object.freeze({
  period: { days: 30 },
  directions: DEFAULT_TERM_DIRECTIONS,
  tolerance: 0,
  ignore: [],
});

/**
 * Built-in rule `honour`: what this customer is told now must match what they were shown earlier
 * for the same offer, on any channel, while that earlier presentation is still valid.
 *
 * An earlier presentation made at `at` under version `v` is valid at `now` when
 * `now <= v.validTo` (if the version has one) and `now <= at + period` (unless `period` is false),
 * that is until the earlier of the two ends. For each channel the most recent valid earlier
 * presentation of the offer (in (`at`, `id`) order) is the reference, also on the current channel;
 * terms present in both are compared. Each differing term is a violation: an `error` when the new
 * value is worse for the customer under `directions` (numbers only), otherwise a `warning`.
 * Violations are ordered by reference channel, then term. Applies to every category.
 *
 * @param facts - the presentation, its offer versions and the customer's history
 * @param options - resolved {@link HonourOptions}
 * @returns one violation per (reference presentation, differing term)
 *
 * @example
 * ```ts
 * const violations = honour.evaluate(facts, HONOUR_DEFAULTS);
 * // [{ rule: "honour", severity: "error",
 * //    message: "APR 6.9 on phone differs from 5.9 shown on web on 2 Apr", … }]
 * ```
 */
export const honour: Rule<HonourOptions> = {
  id: "honour",
  description: "Terms shown earlier to the same customer are honoured while they are valid.",
  options: HonourOptions,
  defaults: HONOUR_DEFAULTS,
  evaluate(facts: OfferFacts, options: HonourOptions): Violation[] {
    const { presentation, history, now } = facts;
    const period = options.period;
    const exact = period !== false && !period.years && !period.months;
    const cutoff = exact ? isoMinus(now, period) : undefined;
    let references: Map<string, DeepReadonly<Presentation>> | undefined;
    for (let i = history.length - 1; i >= 0; i--) {
      const earlier = history[i] as DeepReadonly<Presentation>;
      if (cutoff !== undefined && earlier.at < cutoff) break;
      if (earlier.offerId !== presentation.offerId) continue;
      if (references?.has(earlier.channel)) continue;
      const validTo = findVersion(facts.versions, earlier.offerVersion)?.validTo;
      if (validTo !== undefined && now > validTo) continue;
      if (period !== false && cutoff === undefined && now > isoPlus(earlier.at, period)) continue;
      references ??= new Map();
      references.set(earlier.channel, earlier);
    }
    if (references === undefined) return [];
    const out: Violation[] = [];
    const channels = [...references.keys()].sort();
    const diffOptions = { tolerance: options.tolerance, ignore: options.ignore, extra: false, missing: false };
    for (const channel of channels) {
      const earlier = references.get(channel) as DeepReadonly<Presentation>;
      for (const d of diffTerms(presentation.terms, earlier.terms, diffOptions)) {
        const direction = options.directions[d.term];
        const worse =
          direction !== undefined &&
          typeof d.presented === "number" &&
          typeof d.expected === "number" &&
          (direction === "lower" ? d.presented > d.expected : d.presented < d.expected);
        out.push(
          violation(
            "honour",
            worse ? "error" : "warning",
            `${termLabel(d.term)} ${formatValue(d.presented)} on ${presentation.channel} differs from ${formatValue(d.expected)} shown on ${channel} on ${formatDay(earlier.at, now)}`,
            {
              term: d.term,
              presented: d.presented ?? null,
              shown: d.expected ?? null,
              direction: direction ?? null,
              worseForCustomer: worse,
              offerVersion: facts.offer.version,
              earlier: {
                presentationId: earlier.id,
                channel,
                at: earlier.at,
                offerVersion: earlier.offerVersion,
              },
              validFor: period === false ? null : describeDuration(period),
            },
          ),
        );
      }
    }
    return out;
  },
};
