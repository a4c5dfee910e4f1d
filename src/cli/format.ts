/**
 * Plain-text views for a terminal: what a contact-centre agent needs to read, in a fixed width
 * (80 columns by default). Pure functions from the library's results to strings.
 *
 * @module
 */
import type { JourneyMetrics } from "../journeys/journeyMetrics.js";
import type { CustomerSnapshot, Violation } from "../schema/outputs.js";
import type { Identifier } from "../schema/primitives.js";

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

/** Options of the text formatters. */
export interface FormatOptions {
  /** Line width in columns. Default 80, at least 40. */
  width?: number;
}

const DEFAULT_WIDTH = 80;

function widthOf(options: FormatOptions): number {
  return Math.max(40, Math.floor(options.width ?? DEFAULT_WIDTH));
}

/** `2026-04-01T09:12:00.000Z` → `2026-04-01 09:12`. */
function stamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** Word-wraps `text` to `width` columns, every line prefixed with `indent`. Over-long words are cut. */
function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    if (word === "") continue;
    const room = width - (empty ? line.length : line.length + 1);
    if (word.length <= room) {
      line += empty ? word : ` ${word}`;
      empty = false;
      continue;
    }
    if (!empty) lines.push(line);
    line = lines.length === 0 && empty ? first : indent;
    let rest = word;
    while (rest.length > width - line.length) {
      const cut = Math.max(1, width - line.length);
      lines.push(line + rest.slice(0, cut));
      line = indent;
      rest = rest.slice(cut);
    }
    line += rest;
    empty = rest === "";
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

function heading(title: string, width: number): string {
  return `${title}\n${"─".repeat(Math.min(width, title.length))}`;
}

function ident(identifier: Identifier): string {
  return `${identifier.type} ${identifier.value}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Letters A, B, … Z, AA, AB … naming conversations in a view. */
function letter(index: number): string {
  let out = "";
  let n = index;
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/**
 * Formats a customer's snapshot (`cc.context(ref)`) as an agent would read it: the profile and its
 * identifiers, alerts, conversations (lettered A, B, …, with their channels in order), the
 * timeline across channels with each interaction's conversation letter, and the offers shown.
 *
 * @param view - the snapshot
 * @param options - `width` (default 80 columns)
 * @returns the text, lines separated by `\n`, none wider than `width`
 *
 * @example
 * ```ts
 * const view = await cc.context({ identifier: { type: "phone", value: "+48601234567" } });
 * if (view) console.log(formatContext(view));
 * // Customer: Anna Kowalska (prof_rh3m95whgr2zqbrax766) …
 * ```
 */
export function formatContext(view: CustomerSnapshot, options: FormatOptions = {}): string {
  const width = widthOf(options);
  const out: string[] = [];
  const name = view.profile.traits.name;
  const title = typeof name === "string" && name !== "" ? name : "(no name)";
  out.push(...wrap(`Customer: ${title} (${view.profile.id})`, width, "  ", ""));
  const traits = Object.entries(view.profile.traits)
    .filter(([key]) => key !== "name")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}: ${String(value)}`);
  if (traits.length > 0) out.push(...wrap(traits.join(" · "), width, "  ", ""));
  out.push(`First seen ${stamp(view.profile.createdAt)} UTC, last ${stamp(view.profile.updatedAt)} UTC`);

  out.push("", heading(`Identifiers (${view.identifiers.length})`, width));
  const typeWidth = Math.min(12, Math.max(4, ...view.identifiers.map((i) => i.type.length)));
  for (const i of view.identifiers) {
    const seen = `  since ${i.firstSeen.slice(0, 10)}, ${i.count}×`;
    const value = truncate(i.value, width - 4 - typeWidth - seen.length);
    out.push(`  ${i.type.padEnd(typeWidth)}  ${value}`.padEnd(width - seen.length) + seen);
  }

  if (view.alerts.length > 0) {
    out.push("", heading(`Alerts (${view.alerts.length})`, width));
    const ordered = [...view.alerts].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
    for (const alert of ordered)
      out.push(...wrap(alert.message, width, "    ", alert.severity === "error" ? "  ✖ " : "  ! "));
  }

  const letters = new Map(view.conversations.map((c, index) => [c.id, letter(index)]));
  out.push("", heading(`Conversations (${view.conversations.length})`, width));
  for (const c of view.conversations) {
    const tag = letters.get(c.id) as string;
    const status = `${c.status}, ${plural(c.interactionIds.length, "interaction")}`;
    const subject = truncate(c.subject ?? "(no subject)", width - 8 - status.length);
    out.push(`  [${tag}] ${subject}`.padEnd(width - status.length) + status);
    out.push(...wrap(c.channels.join(" → "), width, "      "));
    const tags = c.tags.length > 0 ? `   tags: ${c.tags.join(", ")}` : "";
    out.push(...wrap(`${stamp(c.startedAt)} … ${stamp(c.lastAt)} UTC${tags}`, width, "      "));
    out.push(`      ${c.id}`);
  }

  out.push("", heading(`Timeline (${view.timeline.length}, oldest first, UTC)`, width));
  const channelWidth = Math.min(10, Math.max(5, ...view.timeline.map((i) => i.channel.length)));
  for (const i of view.timeline) {
    const conv = letters.get(i.conversationId) ?? "?";
    const prefix = `  ${stamp(i.at)} [${conv}] ${i.channel.padEnd(channelWidth)} ${i.direction === "inbound" ? "in " : "out"} `;
    const indent = " ".repeat(Math.min(prefix.length, width - 20));
    const summary = [i.subject, i.text].filter((s): s is string => s !== undefined && s !== "").join(" — ");
    const who = i.agent !== undefined ? ` · ${i.agent}` : "";
    const lines = wrap(`${summary || "(no text)"}${who}`, width, indent, prefix);
    out.push(...lines.slice(0, 3));
    if (lines.length > 3) out[out.length - 1] = truncate(`${out[out.length - 1]} …`, width);
  }

  if (view.offers.length > 0) {
    out.push("", heading(`Offers shown (${view.offers.length})`, width));
    const channelWidth = Math.min(10, Math.max(...view.offers.map((p) => p.channel.length)));
    for (const p of view.offers) {
      const terms = Object.entries(p.terms)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(", ");
      const agent = p.agent !== undefined ? ` by ${p.agent}` : "";
      out.push(
        ...wrap(
          `${p.offerId} v${p.offerVersion}: ${terms}${agent}`,
          width,
          "    ",
          `  ${stamp(p.at)} ${p.channel.padEnd(channelWidth)}  `,
        ),
      );
    }
  }
  return out.join("\n");
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
      why = `seen together${where}${source}, ${stamp(edge.at)} UTC${times}`;
    } else {
      why = `merged by an operator${edge.by !== undefined ? ` (${edge.by})` : ""}, ${stamp(edge.at)} UTC: ${edge.reason}`;
    }
    out.push(...wrap(why, width, "      ", "    "));
  }
  if (explanation.edges.length === 0) out.push("  (a single identifier: nothing to link)");
  for (const refusal of explanation.refused) {
    out.push(...wrap(`refused ${stamp(refusal.at)} UTC: ${refusal.message}`, width, "      ", "  ✖ "));
  }
  for (const s of explanation.separations) {
    const state = s.active ? "kept apart" : "separation lifted";
    out.push(...wrap(`${ident(s.identifier)} ${state} since ${stamp(s.at)} UTC: ${s.reason}`, width, "      ", "  ✂ "));
  }
  return out.join("\n");
}

/**
 * Formats offer violations (from `cc.offers.audit`, `present` or `check`) with their human
 * messages, errors first.
 *
 * @param violations - the violations
 * @param options - `width` (default 80 columns)
 * @returns the text; "No offer violations." when there are none
 *
 * @example
 * ```ts
 * console.log(formatViolations(await cc.offers.audit()));
 * // ✖ honour · personal-loan on phone
 * //   APR 6.9 on phone differs from 5.9 shown on web on 1 Apr
 * ```
 */
export function formatViolations(violations: readonly Violation[], options: FormatOptions = {}): string {
  const width = widthOf(options);
  if (violations.length === 0) return "No offer violations.";
  const out: string[] = [];
  const ordered = [...violations].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  for (const v of ordered) {
    const where = [v.offerId, v.channel !== undefined ? `on ${v.channel}` : undefined].filter(Boolean).join(" ");
    const mark = v.severity === "error" ? "✖" : "!";
    out.push(...wrap(`${v.rule} (${v.severity})${where ? ` · ${where}` : ""}`, width, "    ", `${mark} `));
    out.push(...wrap(v.message, width, "  ", "  "));
  }
  return out.join("\n");
}

function share(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(1)}%`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

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
  const { from, to } = metrics.range;
  const range =
    from === null && to === null
      ? "All conversations"
      : `Conversations started ${from === null ? "before" : `from ${stamp(from)}`}${from !== null && to !== null ? " to" : ""}${to === null ? "" : ` ${stamp(to)}`} UTC`;
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
      metrics.switchesPerResolved.mean === null ? "–" : metrics.switchesPerResolved.mean.toFixed(2),
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
