/**
 * Labels for the SVG renderers: the shared number and duration formatter, and dates in a time zone.
 *
 * @module
 */
import { toWall, zoneLabel } from "../../format/_lib/zone.js";

export { formatDuration, formatNumber, formatShare } from "../../format/_lib/units.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `"2 Apr 2026"` in `timeZone` (default UTC). */
export function formatZonedDate(ms: number, timeZone = "UTC"): string {
  const date = new Date(toWall(ms, timeZone));
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `"2 Apr"` of a wall time (see `toWall`). */
export function formatWallDay(wall: number): string {
  const date = new Date(wall);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** `"Apr 2026"` of a wall time. */
export function formatWallMonth(wall: number): string {
  const date = new Date(wall);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `"10:05"` or `"10:05:30"` of a wall time. */
export function formatWallTime(wall: number, withSeconds = false): string {
  const date = new Date(wall);
  const hm = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad(date.getUTCSeconds())}` : hm;
}

/** `"2026-04-02 10:05 UTC"`, or `"2026-04-02 12:05 Europe/Warsaw"` in another zone. */
export function formatZonedStamp(ms: number, timeZone = "UTC"): string {
  const wall = toWall(ms, timeZone);
  const date = new Date(wall);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${formatWallTime(wall, date.getUTCSeconds() !== 0)} ${zoneLabel(timeZone)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
