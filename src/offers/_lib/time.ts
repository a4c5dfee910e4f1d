import { format } from "date-fns";

/**
 * "2 Apr" for an ISO time, read in UTC; "2 Apr 2025" when the year differs from `relativeTo`'s.
 * date-fns `format` reads local fields, so it is given a local date at noon with the UTC fields.
 */
export function formatDay(iso: string, relativeTo?: string): string {
  const d = new Date(iso);
  const local = new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12);
  const sameYear = relativeTo !== undefined && new Date(relativeTo).getUTCFullYear() === d.getUTCFullYear();
  return format(local, sameYear ? "d MMM" : "d MMM yyyy");
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
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  const x = a.id ?? "";
  const y = b.id ?? "";
  return x === y ? 0 : x < y ? -1 : 1;
}
