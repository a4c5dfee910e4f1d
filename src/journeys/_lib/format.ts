/**
 * Human-readable numbers, durations and UTC dates for labels.
 *
 * @module
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `"42%"`, `"4.5%"` for small shares, `"—"` for `null`. */
export function formatShare(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const percent = value * 100;
  return `${percent !== 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/**
 * A duration given in seconds as `"45 s"`, `"12 min"`, `"3.5 h"` or `"2.1 d"` (with a no-break space, so
 * that a wrapped line never separates the number from its unit); `"—"` for `null`.
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${round(seconds)}\u00A0s`;
  if (seconds < 3600) return `${round(seconds / 60)}\u00A0min`;
  if (seconds < 86_400) return `${round(seconds / 3600)}\u00A0h`;
  return `${round(seconds / 86_400)}\u00A0d`;
}

/** A plain number with at most two decimals (`1.5`, `2`, `0.33`). */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return String(Math.round(value * 100) / 100);
}

function round(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

/** `"2 Apr 2026"` in UTC. */
export function formatUtcDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `"2 Apr"` in UTC. */
export function formatUtcDay(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** `"Apr 2026"` in UTC. */
export function formatUtcMonth(ms: number): string {
  const date = new Date(ms);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `"10:05"` or `"10:05:30"` (when seconds are not zero) in UTC. */
export function formatUtcTime(ms: number, withSeconds = false): string {
  const date = new Date(ms);
  const hm = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad(date.getUTCSeconds())}` : hm;
}

/** `"2026-04-02 10:05 UTC"`. */
export function formatUtcStamp(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${formatUtcTime(ms, date.getUTCSeconds() !== 0)} UTC`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
