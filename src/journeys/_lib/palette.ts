/**
 * Colours for the pictures: distinguishable, colour-blind friendly (Okabe–Ito plus darker tones), each
 * visible as a thin line or a small mark on white.
 *
 * @module
 */

/** Categorical colours, in the order they are handed out. */
export const PALETTE = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#7B3294",
  "#8C6D00",
  "#3A9BD9",
  "#4D4D4D",
  "#E69F00",
  "#1B7F7A",
] as const;

/** The `index`-th categorical colour, cycling. */
export function colour(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** Text and line colours. */
export const INK = { text: "#1F2933", muted: "#52606D", grid: "#D9E2EC", lane: "#F5F7FA", alert: "#C62828" } as const;

/** Font stack used by every text element. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
