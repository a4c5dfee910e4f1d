/**
 * Plain-text views for a terminal: what a contact-centre agent needs to read, in a fixed width
 * (80 columns by default). Pure functions from the library's results to strings.
 *
 * @module
 */
import { heading, plural, stamp, type TextOptions, truncate, widthOf, wrap, zoneLabel } from "../format/_lib/text.js";
import { formatDuration, formatShare } from "../format/_lib/units.js";
import { type ViolationLookup, violationLines } from "../format/_lib/violations.js";
import { checkTimeZone } from "../format/_lib/zone.js";
import type { JourneyMetrics } from "../journeys/journeyMetrics.js";
import type { Violation } from "../schema/outputs.js";
import type { Identifier } from "../schema/primitives.js";

export { type FormatContextOptions, formatContext } from "../format/formatContext.js";

/** The result of `cc.profiles.explain(profileId)`. */
export interface ProfileExplanation {
  profileId: string;
  anchor: Identifier;
  identifiers: Identifier[];
  edges: Array<
    | {
        kind: "observation";
        from: Identifier;
        to: Identifier;
        at: string;
        count: number;
        channel?: string;
        source?: string;
      }
    | { kind: "operator"; from: Identifier; to: Identifier; at: string; reason: string; by?: string }
  >;
  refused: Array<{ identifier: Identifier; message: string; at: string }>;
  separations: Array<{ identifier: Identifier; at: string; reason: string; active: boolean }>;
}

/** Options of the text formatters: `width` (default 80 columns) and `timeZone` (default UTC). */
export type FormatOptions = TextOptions;

function ident(identifier: Identifier): string {
  return `${identifier.type} ${identifier.value}`;
}

/**
 * Formats how a profile's identifiers are linked (`cc.profiles.explain(profileId)`): one entry per
 * evidence edge (seen together in an observation, or joined by an operator), then refusals and
 * operator separations.
 *
 * @param explanation - the result of `cc.profiles.explain`
 * @param options - `width` (default 80 columns)
 * @returns the text
 *
 * @example
 * ```ts
 * console.log(formatExplanation(await cc.profiles.explain(profileId)));
 * // How the identifiers are linked (4 links)
 * // ───────────────────────────────────────
 * //   email anna.kowalska@kowalska.name ─ twitter @anna_k_krakow
 * //     seen together on social, 2026-04-02 18:40 UTC
 * ```
 */
export function formatExplanation(explanation: ProfileExplanation, options: FormatOptions = {}): string {
  const width = widthOf(options);
  const timeZone = checkTimeZone(options.timeZone, "formatExplanation input", ["options", "timeZone"]);
  const zone = zoneLabel(timeZone);
  const out: string[] = [
    heading(`How the identifiers are linked (${plural(explanation.edges.length, "link")})`, width),
  ];
  out.push(...wrap(`The profile started from ${ident(explanation.anchor)}.`, width, "  ", "  "));
  for (const edge of explanation.edges) {
    out.push(...wrap(`${ident(edge.from)} ─ ${ident(edge.to)}`, width, "      ", "  "));
    let why: string;
    if (edge.kind === "observation") {
      const where = edge.channel !== undefined ? ` on ${edge.channel}` : "";
      const source = edge.source !== undefined ? ` by ${edge.source}` : "";
      const times = edge.count > 1 ? ` (${edge.count} times)` : "";
      why = `seen together${where}${source}, ${stamp(edge.at, timeZone)} ${zone}${times}`;
    } else {
      why = `merged by an operator${edge.by !== undefined ? ` (${edge.by})` : ""}, ${stamp(edge.at, timeZone)} ${zone}: ${edge.reason}`;
    }
    out.push(...wrap(why, width, "      ", "    "));
  }
  if (explanation.edges.length === 0) out.push("  (a single identifier: nothing to link)");
  for (const refusal of explanation.refused) {
    out.push(...wrap(`refused ${stamp(refusal.at, timeZone)} ${zone}: ${refusal.message}`, width, "      ", "  ✖ "));
  }
  for (const s of explanation.separations) {
    const state = s.active ? "kept apart" : "separation lifted";
    out.push(
      ...wrap(
        `${ident(s.identifier)} ${state} since ${stamp(s.at, timeZone)} ${zone}: ${s.reason}`,
        width,
        "      ",
        "  ✂ ",
      ),
    );
  }
  return out.join("\n");
}

/** Options of {@link formatViolations}. */
export interface FormatViolationsOptions extends FormatOptions, ViolationLookup {}

/**
 * Formats offer violations (from `cc.offers.audit`, `present` or `check`), errors first, grouped:
 * one heading per rule, severity, offer and channel with how often it happened and to how many
 * customers, then up to five occurrences, each with its time (from `times`, by presentation id)
 * and its customer (from `customers`, by profile id; the profile id otherwise), and "… and N more".
 *
 * @param violations - the violations
 * @param options - `width` (default 80 columns), `timeZone` (default UTC), `times`, `customers`
 * @returns the text; "No offer violations." when there are none
 *
 * @example
 * ```ts
 * console.log(formatViolations(await cc.offers.audit(), { customers, times }));
 * // ✖ honour (error) · personal-loan on phone — 2 times, 2 customers
 * //   · 2026-04-03 10:00 UTC · Anna Kowalska (prof_…): APR 6.9 on phone differs from 5.9 …
 * ```
 */
export function formatViolations(violations: readonly Violation[], options: FormatViolationsOptions = {}): string {
  const width = widthOf(options);
  const timeZone = checkTimeZone(options.timeZone, "formatViolations input", ["options", "timeZone"]);
  if (violations.length === 0) return "No offer violations.";
  return violationLines(violations, width, timeZone, options, true).join("\n");
}

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
