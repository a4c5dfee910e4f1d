/**
 * Wall-clock time in an IANA time zone through `Intl.DateTimeFormat`, so that labels and day
 * boundaries can follow the reader's zone in any runtime, with no time-zone database bundled.
 *
 * A "wall" time is the local date and time written as if it were UTC: `toWall` turns an instant
 * into it, and the existing UTC arithmetic (midnights, months, labels) then works in local time.
 */
import { InvalidInputError } from "../../errors.js";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is one the runtime knows (IANA names such as `Europe/Warsaw`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The time zone option, checked: `UTC` when absent; an `InvalidInputError` naming `path` when it
 * is not a string or not a zone the runtime knows.
 */
export function checkTimeZone(timeZone: unknown, what: string, path: (string | number)[] = ["timeZone"]): string {
  if (timeZone === undefined) return "UTC";
  if (typeof timeZone !== "string" || !isTimeZone(timeZone)) {
    throw new InvalidInputError(what, [
      {
        path,
        code: typeof timeZone === "string" ? "invalid_value" : "invalid_type",
        message:
          typeof timeZone === "string"
            ? `must be an IANA time zone such as "Europe/Warsaw", not ${JSON.stringify(timeZone)}`
            : "must be an IANA time zone name",
      },
    ]);
  }
  return timeZone;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (positive east of Greenwich). */
export function zoneOffset(ms: number, timeZone: string): number {
  if (timeZone === "UTC" || !Number.isFinite(ms)) return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The local date and time of instant `ms` in `timeZone`, written as a UTC instant. */
export function toWall(ms: number, timeZone: string): number {
  return ms + zoneOffset(ms, timeZone);
}

/** The instant whose local time in `timeZone` is `wall` (in a DST gap: the time just after it). */
export function fromWall(wall: number, timeZone: string): number {
  if (timeZone === "UTC") return wall;
  const guess = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(guess, timeZone);
}

/** How a zone is named after a time: `UTC`, or the IANA name. */
export function zoneLabel(timeZone: string): string {
  return timeZone === "UTC" || timeZone === "Etc/UTC" ? "UTC" : timeZone;
}
