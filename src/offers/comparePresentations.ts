import { compareAtId } from "./_lib/time.js";

/**
 * Orders presentations (or consents) by `at`, then by `id`: the order of
 * {@link OfferFacts.history} and {@link OfferFacts.consents}. `at` must be an ISO string in UTC
 * (`toISOString()` form); a missing id sorts first.
 *
 * @param a - a presentation or consent
 * @param b - another one
 * @returns a negative number when `a` comes first, a positive one when `b` does, 0 when equal
 *
 * @example
 * ```ts
 * const sameTime = [{ id: "b", at: "2026-04-02T10:00:00.000Z" }, { id: "a", at: "2026-04-02T10:00:00.000Z" }];
 * sameTime.sort(comparePresentations).map((p) => p.id); // ["a", "b"]
 * ```
 */
export function comparePresentations(
  a: { readonly at: string; readonly id?: string | undefined },
  b: { readonly at: string; readonly id?: string | undefined },
): number {
  return compareAtId(a, b);
}
