/**
 * Plain-text views for a terminal: what a contact-centre agent needs to read, in a fixed width
 * (80 columns by default). Pure functions from the library's results to strings.
 *
 * @module
 */
import { heading, plural, stamp, type TextOptions, truncate, widthOf, wrap, zoneLabel } from "../format/_lib/text.js";
import { formatDuration, formatShare } from "../format/_lib/units.js";
import { checkTimeZone } from "../format/_lib/zone.js";
import type { JourneyMetrics } from "../journeys/journeyMetrics.js";

export { type FormatContextOptions, formatContext } from "../format/formatContext.js";
export { formatExplanation, type ProfileExplanation } from "../format/formatExplanation.js";
export { type FormatViolationsOptions, formatViolations } from "../format/formatViolations.js";

/** Options of the text formatters: `width` (default 80 columns) and `timeZone` (default UTC). */
export type FormatOptions = TextOptions;

const share = formatShare;
const duration = formatDuration;

/**
 * Formats journey metrics (`cc.journeys.metrics`) as a short report: headline figures, the most
 * frequent channel transitions and a per-channel table.
 *
 * @param metrics - the metrics
 * @param options - `width` (default 80 columns)
 * @returns the text
 *
 * @example
 * ```ts
 * console.log(formatJourneyMetrics(await cc.journeys.metrics()));
 * // Conversations        1 240 (3 977 interactions)
 * // Multi-channel        41.3%
 * ```
 */
export function formatJourneyMetrics(metrics: JourneyMetrics, options: FormatOptions = {}): string {
  const width = widthOf(options);
  const timeZone = checkTimeZone(options.timeZone, "formatJourneyMetrics input", ["options", "timeZone"]);
  const { from, to } = metrics.range;
  const range =
    from === null && to === null
      ? "All conversations"
      : `Conversations started ${from === null ? "before" : `from ${stamp(from, timeZone)}`}${from !== null && to !== null ? " to" : ""}${to === null ? "" : ` ${stamp(to, timeZone)}`} ${zoneLabel(timeZone)}`;
  const out: string[] = [heading("Journey metrics", width), ...wrap(range, width, "  ", "")];
  const row = (label: string, value: string) => `${label.padEnd(28)}${value}`;
  out.push(
    row("Conversations", `${metrics.conversations} (${plural(metrics.interactions, "interaction")})`),
    row("Multi-channel share", `${share(metrics.multiChannel.share)} (${metrics.multiChannel.multiChannel})`),
    row(
      "Repeat-contact rate",
      `${share(metrics.repeatContact.rate)} of ${metrics.repeatContact.resolved} resolved (${metrics.repeatContact.windowDays} d)`,
    ),
    row(
      "First response",
      `median ${duration(metrics.firstResponse.medianSeconds)}, p90 ${duration(metrics.firstResponse.p90Seconds)}`,
    ),
    row(
      "Unanswered inbound",
      `${share(metrics.unansweredInbound.rate)} (${metrics.unansweredInbound.unanswered} of ${metrics.unansweredInbound.inbound})`,
    ),
    row(
      "Switches per resolved conv.",
      metrics.switchesPerResolved.mean === null ? "—" : metrics.switchesPerResolved.mean.toFixed(2),
    ),
  );
  if (metrics.transitions.length > 0) {
    out.push("", heading(`Channel transitions (${metrics.totalTransitions})`, width));
    const top = [...metrics.transitions].sort((a, b) => b.count - a.count).slice(0, 15);
    for (const t of top) out.push(`  ${truncate(`${t.from} → ${t.to}`, 40).padEnd(40)}${String(t.count).padStart(10)}`);
    if (metrics.transitions.length > top.length) out.push(`  … ${metrics.transitions.length - top.length} more`);
  }
  if (metrics.channels.length > 0) {
    out.push("", heading("Per channel", width));
    out.push(
      `  ${"channel".padEnd(14)}${"first resp. median".padStart(20)}${"p90".padStart(10)}${"unanswered".padStart(14)}`,
    );
    for (const channel of metrics.channels) {
      const fr = metrics.firstResponse.byChannel.find((c) => c.channel === channel);
      const un = metrics.unansweredInbound.byChannel.find((c) => c.channel === channel);
      out.push(
        `  ${truncate(channel, 13).padEnd(14)}${duration(fr?.medianSeconds ?? null).padStart(20)}${duration(fr?.p90Seconds ?? null).padStart(10)}${share(un?.rate ?? null).padStart(14)}`,
      );
    }
  }
  return out.join("\n");
}
