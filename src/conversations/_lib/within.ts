import { add, type Duration as DateFnsDuration } from "date-fns";
import { compareStrings } from "../../_lib/hash.js";
import type { Duration } from "../../schema/primitives.js";

/**
 * Whether `at` is at most `window` after `from` (ISO strings in UTC): the test of the time-window
 * and reopen rules of stitching, in one place for the core and the shell's stitch state.
 */
export function within(from: string, at: string, window: Duration): boolean {
  return compareStrings(at, add(new Date(from), window as DateFnsDuration).toISOString()) <= 0;
}
