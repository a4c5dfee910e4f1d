/** A date-fns `Duration` as parsed by the `Duration` schema (units may be explicitly undefined). */
export type Duration = {
  readonly [unit in "years" | "months" | "weeks" | "days" | "hours" | "minutes" | "seconds"]?: number | undefined;
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Adds (`sign` 1) or subtracts (`sign` -1) a date-fns {@link Duration} to a time in epoch
 * milliseconds, with the semantics of date-fns `add` / `sub` evaluated in UTC: years and months
 * first (the day of month is clamped to the last day of the target month), then weeks and days as
 * UTC calendar days, then hours, minutes and seconds. date-fns itself works in the process's local
 * time zone; rules must not depend on it.
 */
export function shiftUtc(ms: number, duration: Duration, sign: 1 | -1): number {
  const months = (duration.years ?? 0) * 12 + (duration.months ?? 0);
  if (months !== 0) {
    const date = new Date(ms);
    const day = date.getUTCDate();
    const target = new Date(ms);
    target.setUTCDate(1);
    target.setUTCMonth(target.getUTCMonth() + sign * months);
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(day, last));
    ms = target.getTime();
  }
  const days = (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
  const rest = (duration.hours ?? 0) * HOUR + (duration.minutes ?? 0) * MINUTE + (duration.seconds ?? 0) * SECOND;
  return ms + sign * (days * DAY + rest);
}

let lastIso = "";
let lastMs = Number.NaN;

/** `Date.parse`, remembering the last string: several rules parse the same `now`. */
function parse(iso: string): number {
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return lastMs;
}

/** `iso` minus `duration` (UTC), as an ISO string. */
export function isoMinus(iso: string, duration: Duration): string {
  return new Date(shiftUtc(parse(iso), duration, -1)).toISOString();
}

/** `iso` plus `duration` (UTC), as an ISO string. */
export function isoPlus(iso: string, duration: Duration): string {
  return new Date(shiftUtc(Date.parse(iso), duration, 1)).toISOString();
}

/** A duration in words: `{ days: 7 }` -> "7 days". */
export function describeDuration(duration: Duration): string {
  const known = described.get(duration);
  if (known !== undefined) return known;
  const text = words(duration);
  described.set(duration, text);
  return text;
}

const described = new WeakMap<Duration, string>();

function words(duration: Duration): string {
  const parts: string[] = [];
  for (const unit of ["years", "months", "weeks", "days", "hours", "minutes", "seconds"] as const) {
    const n = duration[unit];
    if (n !== undefined && n !== 0) parts.push(`${n} ${n === 1 ? unit.slice(0, -1) : unit}`);
  }
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}
