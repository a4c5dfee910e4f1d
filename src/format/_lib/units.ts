/**
 * The one formatter for durations, shares and numbers, used by the terminal views and both SVG
 * renderers, so that the same figure reads the same everywhere.
 */

/** `"42%"`, `"4.5%"` for shares under 10%, `"—"` for `null`. */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const percent = value * 100;
  return `${percent !== 0 && Math.abs(percent) < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/**
 * A duration given in seconds: `"45 s"` under a minute, `"12 min"` under an hour, `"3.5 h"` under
 * two days, `"2.1 d"` from two days on; one decimal under 10, none from 10 on. The space is a
 * no-break space, so a wrapped line never separates the number from its unit. `"—"` for `null`.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${round(seconds)}\u00A0s`;
  if (seconds < 3600) return `${round(seconds / 60)}\u00A0min`;
  if (seconds < 172_800) return `${round(seconds / 3600)}\u00A0h`;
  return `${round(seconds / 86_400)}\u00A0d`;
}

/** A plain number with at most two decimals (`1.5`, `2`, `0.33`); `"—"` for `null`. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return String(Math.round(value * 100) / 100);
}

function round(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}
