import { format } from "date-fns";
import { compareStrings } from "../../_lib/hash.js";

/**
 * "2 Apr" for an ISO time, read in UTC; "2 Apr 2025" when the year differs from `relativeTo`'s.
 * date-fns `format` reads local fields, so it is given a local date at noon with the UTC fields.
 */
export function formatDay(iso: string, relativeTo?: string): string {
  const day = utcDay(iso);
  const sameYear = relativeTo !== undefined && utcDay(relativeTo).slice(0, 4) === day.slice(0, 4);
  const key = sameYear ? day : `${day}y`;
  let text = days.get(key);
  if (text === undefined) {
    const local = new Date(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 12);
    text = format(local, sameYear ? "d MMM" : "d MMM yyyy");
    if (days.size >= 4096) days.clear();
    days.set(key, text);
  }
  return text;
}

/** Formatted days by `YYYY-MM-DD` (+ "y" with the year): messages name few distinct days. */
const days = new Map<string, string>();

/** `YYYY-MM-DD` of an ISO time in UTC (no parsing for the canonical `toISOString()` form). */
function utcDay(iso: string): string {
  return iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */
    ? iso.slice(0, 10)
    : new Date(iso).toISOString().slice(0, 10);
}

/**
 * Index of the first element whose `at` is strictly greater than `after` (ISO strings compare in
 * time order), in an array ordered by `at`. Binary search.
 */
export function firstAfter(items: ReadonlyArray<{ readonly at: string }>, after: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as { readonly at: string }).at <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Orders by `at`, then by `id` (ISO strings and ids compare as strings). */
export function compareAtId(
  a: { readonly at: string; readonly id?: string | undefined },
  b: { readonly at: string; readonly id?: string | undefined },
): number {
  return compareStrings(a.at, b.at) || compareStrings(a.id ?? "", b.id ?? "");
}
