/**
 * Offer violations as text, grouped: one heading per rule, offer and channel, then each
 * occurrence with its time and customer, so 478 repeats of one problem read as one problem.
 *
 * @module
 */

import { compareStrings } from "../../_lib/hash.js";
import type { Violation } from "../../schema/outputs.js";
import { plural, stamp, truncate, wrap, zoneLabel } from "./text.js";

/** What the occurrences can be told apart by, beyond the violations themselves. */
export interface ViolationLookup {
  /** The time of each presentation, by presentation id (a presentation's `at`). */
  times?: ReadonlyMap<string, string>;
  /** How to name each customer, by profile id (for example the `name` trait and the id). */
  customers?: ReadonlyMap<string, string>;
}

/** How many occurrences of one group are listed before "… and N more". */
export const OCCURRENCES_SHOWN = 5;

/** The lines for `violations`, grouped by rule, severity, offer and channel; errors first. */
export function violationLines(
  violations: readonly Violation[],
  width: number,
  timeZone: string,
  lookup: ViolationLookup,
  showCustomer: boolean,
): string[] {
  const groups = new Map<string, Violation[]>();
  for (const v of violations) {
    const key = JSON.stringify([v.severity === "error" ? 0 : 1, v.rule, v.offerId ?? "", v.channel ?? ""]);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [v]);
    else list.push(v);
  }
  const timeOf = (v: Violation): string =>
    v.presentationId === undefined ? "" : (lookup.times?.get(v.presentationId) ?? "");
  const keys = [...groups.keys()].sort((a, b) => {
    const [sa] = JSON.parse(a) as [number];
    const [sb] = JSON.parse(b) as [number];
    if (sa !== sb) return sa - sb;
    const ta = earliest(groups.get(a) as Violation[], timeOf);
    const tb = earliest(groups.get(b) as Violation[], timeOf);
    return compareStrings(ta, tb) || compareStrings(a, b);
  });
  const out: string[] = [];
  for (const key of keys) {
    const list = [...(groups.get(key) as Violation[])].sort((a, b) => {
      const ta = timeOf(a);
      const tb = timeOf(b);
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
    const v = list[0] as Violation;
    const where = [v.offerId, v.channel !== undefined ? `on ${v.channel}` : undefined].filter(Boolean).join(" ");
    const customers = new Set(list.map((x) => x.profileId ?? ""));
    const count =
      list.length > 1
        ? ` — ${plural(list.length, "time")}${showCustomer && customers.size > 1 ? `, ${plural(customers.size, "customer")}` : ""}`
        : "";
    const mark = v.severity === "error" ? "✖" : "!";
    out.push(...wrap(`${v.rule} (${v.severity})${where ? ` · ${where}` : ""}${count}`, width, "    ", `${mark} `));
    for (const occurrence of list.slice(0, OCCURRENCES_SHOWN)) {
      const at = timeOf(occurrence);
      const parts: string[] = [];
      if (at !== "") parts.push(`${stamp(at, timeZone)} ${zoneLabel(timeZone)}`);
      if (showCustomer && occurrence.profileId !== undefined) {
        parts.push(lookup.customers?.get(occurrence.profileId) ?? occurrence.profileId);
      }
      // The when and who on one line, the message under it, so the message is never split by them.
      if (parts.length > 0) out.push(...wrap(parts.join(" · "), width, "      ", "  · "));
      out.push(...wrap(truncate(occurrence.message, 400), width, "    ", parts.length > 0 ? "    " : "  · "));
    }
    if (list.length > OCCURRENCES_SHOWN) out.push(`  … and ${list.length - OCCURRENCES_SHOWN} more`);
  }
  return out;
}

function earliest(list: readonly Violation[], timeOf: (v: Violation) => string): string {
  let best = "\uffff";
  for (const v of list) {
    const t = timeOf(v);
    if (t !== "" && t < best) best = t;
  }
  return best;
}
