/**
 * Order statistics.
 *
 * @module
 */

/**
 * The `q`-quantile of ascending `sorted` values by linear interpolation between closest ranks
 * (Hyndman & Fan type 7, the default of R, NumPy and spreadsheet `PERCENTILE.INC`);
 * `null` for no values. The result is rounded to three decimals.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  // Inputs are whole milliseconds in seconds; keep that precision and drop floating-point noise.
  return Math.round((a + (b - a) * (position - lower)) * 1000) / 1000;
}
