import type { Violation } from "../schema/outputs.js";
import { type TextOptions, widthOf } from "./_lib/text.js";
import { type ViolationLookup, violationLines } from "./_lib/violations.js";
import { checkTimeZone } from "./_lib/zone.js";

/** Options of {@link formatViolations}. */
export interface FormatViolationsOptions extends TextOptions, ViolationLookup {}

/**
 * Formats offer violations (from `cc.offers.audit`, `present` or `check`), errors first, grouped:
 * one heading per rule, severity, offer and channel with how often it happened and to how many
 * customers, then up to five occurrences, each with its time (from `times`, by presentation id)
 * and its customer (from `customers`, by profile id; the profile id otherwise), and "… and N more".
 *
 * @param violations - the violations
 * @param options - `width` (default 80 columns), `timeZone` (default UTC), `times`, `customers`
 * @returns the text; "No offer violations." when there are none
 *
 * @example
 * ```ts
 * console.log(formatViolations(await cc.offers.audit(), { customers: new Map(), times: new Map() }));
 * // ✖ honour (error) · personal-loan on phone — 2 times, 2 customers
 * //   · 2026-04-03 10:00 UTC · Anna Kowalska (prof_…): APR 6.9 on phone differs from 5.9 …
 * ```
 */
export function formatViolations(violations: readonly Violation[], options: FormatViolationsOptions = {}): string {
  const width = widthOf(options);
  const timeZone = checkTimeZone(options.timeZone, "formatViolations input", ["options", "timeZone"]);
  if (violations.length === 0) return "No offer violations.";
  return violationLines(violations, width, timeZone, options, true).join("\n");
}
