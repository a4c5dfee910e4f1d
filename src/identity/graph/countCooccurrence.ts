import { compareStrings } from "../../_lib/hash.js";
import { keyType } from "./resolveIdentities.js";

/** Distinct identifiers of each other type seen together with one identifier. */
export type SeenWith = Readonly<Record<string, readonly string[]>>;

/** Output of {@link countCooccurrence}. */
export interface Cooccurrence {
  /**
   * The counts after the observation: the input itself when nothing was added, otherwise a new
   * object sharing the lists that did not change (the input is never changed).
   */
  seenWith: SeenWith;
  /** True when some type now has more than `threshold` distinct values: the identifier is auto-blocked. */
  blocked: boolean;
}

/**
 * Counts the identifiers of other types that one identifier was seen with, for auto-blocking (a
 * call-centre phone, a shared inbox). Each list is capped just above `threshold`, so what is kept
 * per identifier stays small however often it is seen. With an infinite threshold nothing is
 * counted.
 *
 * @param seenWith - the counts so far
 * @param type - the identifier's own type (never counted against itself)
 * @param keys - the identifier keys of one observation (`type:value`)
 * @param threshold - distinct values of another type above which the identifier stops linking
 * @returns the new counts and whether the identifier is now over the threshold
 *
 * @example
 * ```ts
 * countCooccurrence({ email: ["email:a@x.pl"] }, "phone", ["phone:+48601", "email:b@x.pl"], 1);
 * // { seenWith: { email: ["email:a@x.pl", "email:b@x.pl"] }, blocked: true }
 * ```
 */
export function countCooccurrence(
  seenWith: SeenWith,
  type: string,
  keys: readonly string[],
  threshold: number,
): Cooccurrence {
  if (!Number.isFinite(threshold)) return { seenWith, blocked: false };
  // Copy on write: the input is returned as it is when nothing is added, and otherwise shares
  // the lists that did not change.
  let next: Record<string, readonly string[]> | null = null;
  let blocked = false;
  for (const other of keys) {
    const t = keyType(other);
    if (t === type) continue;
    const seen = (next ?? seenWith)[t] ?? [];
    if (seen.length <= threshold && !seen.includes(other)) {
      next ??= { ...seenWith };
      next[t] = [...seen, other].sort(compareStrings);
    }
    if (((next ?? seenWith)[t]?.length ?? 0) > threshold) blocked = true;
  }
  return { seenWith: next ?? seenWith, blocked };
}
