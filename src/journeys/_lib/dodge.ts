/**
 * Placing marks that would overlap on a time axis into stacked rows (a simple beeswarm).
 *
 * @module
 */

/** A placed mark: its row and its x, moved right by at most a few mark widths when its rows were full. */
export interface Placement {
  row: number;
  x: number;
}

/**
 * Places marks given by ascending `xs` into at most `maxRows` rows so that marks in one row are at least
 * `gap` apart. Each mark takes the row where it needs the smallest shift to the right (the top-most row on
 * ties), so a burst of marks at one time becomes a compact block. A mark is never moved past `maxX`; when
 * no row has room before it, the mark goes, unshifted, to the row whose last mark is furthest left (it may
 * then overlap, but it is still drawn).
 *
 * @returns The placement of each x, and how many rows were used (at least 1).
 */
export function dodge(
  xs: readonly number[],
  gap: number,
  maxRows: number,
  maxX = Number.POSITIVE_INFINITY,
): { placements: Placement[]; count: number } {
  const last: number[] = [];
  const placements: Placement[] = [];
  for (const x of xs) {
    let best = -1;
    let bestX = Number.POSITIVE_INFINITY;
    for (let row = 0; row < last.length; row += 1) {
      const candidate = Math.max(x, last[row]! + gap);
      if (candidate < bestX) {
        best = row;
        bestX = candidate;
      }
    }
    if (bestX > x && last.length < maxRows) {
      best = last.length;
      bestX = x;
    }
    if (best < 0 || bestX > maxX) {
      best = last.length === 0 ? 0 : last.indexOf(Math.min(...last));
      bestX = x;
    }
    last[best] = Math.max(last[best] ?? Number.NEGATIVE_INFINITY, bestX);
    placements.push({ row: best, x: bestX });
  }
  return { placements, count: Math.max(1, last.length) };
}
