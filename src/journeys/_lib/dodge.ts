/**
 * Placing marks that would overlap on a time axis into stacked rows (a simple beeswarm).
 *
 * @module
 */

/**
 * Assigns each x (in the given order, which should be ascending) a row so that marks in one row are at
 * least `gap` apart. Uses at most `maxRows` rows; when all are taken, the row whose last mark is furthest
 * left is reused (marks may then overlap, but every mark is still drawn).
 *
 * @returns The row of each x, and how many rows were used.
 */
export function dodge(xs: readonly number[], gap: number, maxRows: number): { rows: number[]; count: number } {
  const last: number[] = [];
  const rows: number[] = [];
  for (const x of xs) {
    let row = last.findIndex((previous) => x - previous >= gap);
    if (row < 0 && last.length < maxRows) row = last.length;
    if (row < 0) row = last.indexOf(Math.min(...last));
    last[row] = x;
    rows.push(row);
  }
  return { rows, count: Math.max(1, last.length) };
}
