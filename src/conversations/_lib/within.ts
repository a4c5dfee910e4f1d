import { add, type Duration as DateFnsDuration } from "date-fns";
import { compareStrings } from "../../_lib/hash.js";
import type { Duration } from "../../schema/primitives.js";

/**
 * The end of each window computed lately, by window and start: stitching asks about the same
 * conversations (their last interaction) again and again, and date arithmetic is the costly part.
 * Bounded: it is emptied when full. (date-fns adds calendar units in the process's time zone,
 * which is fixed for its lifetime.)
 */
const ends = new Map<string, string>();
const MAX_ENDS = 10_000;

/**
 * Whether `at` is at most `window` after `from` (ISO strings in UTC): the test of the time-window
 * and reopen rules of stitching, in one place for the core and the shell's stitch state.
 */
export function within(from: string, at: string, window: Duration): boolean {
  const key = `${window.years ?? ""}|${window.months ?? ""}|${window.weeks ?? ""}|${window.days ?? ""}|${window.hours ?? ""}|${window.minutes ?? ""}|${window.seconds ?? ""}|${from}`;
  let end = ends.get(key);
  if (end === undefined) {
    end = add(new Date(from), window as DateFnsDuration).toISOString();
    if (ends.size >= MAX_ENDS) ends.clear();
    ends.set(key, end);
  }
  return compareStrings(at, end) <= 0;
}
