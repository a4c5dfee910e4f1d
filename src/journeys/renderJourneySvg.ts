import { compareStrings } from "../_lib/hash.js";
import { checkTimeZone, zoneLabel } from "../format/_lib/zone.js";
import { checkMetrics } from "./_lib/checkInput.js";
import { formatDuration, formatNumber, formatShare, formatZonedDate } from "./_lib/format.js";
import { colour, INK } from "./_lib/palette.js";
import { svgDocument } from "./_lib/svgDocument.js";
import { element, escapeXml, num, oneLine, textWidth, tooltip, truncate, wrap } from "./_lib/xml.js";
import type { JourneyMetrics } from "./journeyMetrics.js";

/** Options of {@link renderJourneySvg}. */
export interface RenderJourneySvgOptions {
  /** Width of the picture in pixels, clamped to 480–4000. Default `960`. The height follows the content. */
  width?: number;
  /** Heading of the picture. Default `"Customer journeys across channels"`. */
  title?: string;
  /** IANA time zone for the dates of the range, such as `"Europe/Warsaw"`. Default `"UTC"`. */
  timeZone?: string;
}

const MIN_WIDTH = 480;
const MAX_WIDTH = 4000;
const NODE_WIDTH = 14;
const NODE_GAP = 20;
const MIN_LABEL_BAND = 13;

interface Card {
  label: string;
  value: string;
  detail: string;
  tip: string;
}

/**
 * Draws journey metrics as a standalone SVG string: headline figures (multi-channel share, repeat-contact
 * rate, first-response median, unanswered-inbound rate, switches per resolved conversation), the channel
 * transitions as flows from the channel a conversation left (left column) to the one it moved to (right
 * column) with band widths proportional to the counts and labelled with them, a per-channel table of
 * first-response times and unanswered inbound contacts, and the full transition matrix with every count.
 * Every figure has a `<title>` tooltip with its definition. All text is XML-escaped. Pure: no DOM.
 *
 * @param metrics - The result of {@link journeyMetrics}.
 * Durations and shares use the same formatter as the terminal views (`formatJourneyMetrics`).
 *
 * @param options - `width` in pixels (default 960), `title` and `timeZone`.
 * @returns An SVG document as a string, with `width`, `height` and `viewBox` set.
 * @throws {InvalidInputError} naming the field when `metrics` or an option is malformed.
 *
 * @example
 * ```ts
 * const metrics = journeyMetrics({ conversations: [], interactions: [] }); // or the real data
 * const svg = renderJourneySvg(metrics, { title: "Journeys, March 2026" });
 * svg.startsWith("<svg");                            // true
 * svg.includes("No conversation changed channel."); // true
 * ```
 */
export function renderJourneySvg(metrics: JourneyMetrics, options: RenderJourneySvgOptions = {}): string {
  checkMetrics(metrics, options, "journey SVG input");
  const timeZone = checkTimeZone(options.timeZone, "journey SVG input", ["options", "timeZone"]);
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, options.width ?? 960)));
  const title = oneLine(options.title ?? "Customer journeys across channels");
  const channels = [...metrics.channels].sort(compareStrings);
  const channelColour = new Map(channels.map((channel, index) => [channel, colour(index)]));

  let body = element(
    "text",
    { x: 20, y: 32, "font-size": 18, "font-weight": 700, class: "title" },
    escapeXml(truncate(title, Math.floor((width - 40) / (18 * 0.6)))),
  );
  const range =
    metrics.range.from === null && metrics.range.to === null
      ? "all conversations"
      : `conversations started ${metrics.range.from === null ? "before" : `from ${formatZonedDate(Date.parse(metrics.range.from), timeZone)}`}${metrics.range.to === null ? "" : `${metrics.range.from === null ? "" : " to before"} ${formatZonedDate(Date.parse(metrics.range.to), timeZone)}`} (${zoneLabel(timeZone)})`;
  body += element(
    "text",
    { x: 20, y: 54, "font-size": 13, fill: INK.muted, class: "subtitle" },
    escapeXml(
      `${metrics.conversations} conversations · ${metrics.interactions} interactions · ${metrics.totalTransitions} channel changes · ${range}`,
    ),
  );

  // Headline cards.
  const cards = headlineCards(metrics);
  const columns = width >= 760 ? cards.length : Math.ceil(cards.length / 2);
  const cardGap = 12;
  const cardWidth = (width - 40 - cardGap * (columns - 1)) / columns;
  const labelChars = Math.floor((cardWidth - 24) / (12 * 0.58));
  const detailChars = Math.floor((cardWidth - 24) / (11.5 * 0.58));
  const laidOut = cards.map((card) => ({
    card,
    label: wrap(card.label, labelChars, 2),
    detail: wrap(card.detail, detailChars, 2),
  }));
  const labelLines = Math.max(...laidOut.map((c) => c.label.length));
  const detailLines = Math.max(...laidOut.map((c) => c.detail.length));
  const cardHeight = 14 + labelLines * 15 + 34 + detailLines * 14 + 12;
  let y = 72;
  laidOut.forEach(({ card, label, detail }, index) => {
    const cx = 20 + (index % columns) * (cardWidth + cardGap);
    const cy = y + Math.floor(index / columns) * (cardHeight + cardGap);
    const valueY = cy + 14 + labelLines * 15 + 26;
    body += element(
      "g",
      { class: "headline", "data-metric": card.label },
      tooltip(card.tip) +
        element("rect", {
          x: cx,
          y: cy,
          width: cardWidth,
          height: cardHeight,
          rx: 6,
          fill: INK.lane,
          stroke: INK.grid,
        }) +
        label
          .map((line, i) =>
            element("text", { x: cx + 12, y: cy + 24 + i * 15, "font-size": 12, fill: INK.muted }, escapeXml(line)),
          )
          .join("") +
        element("text", { x: cx + 12, y: valueY, "font-size": 24, "font-weight": 700 }, escapeXml(card.value)) +
        detail
          .map((line, i) =>
            element(
              "text",
              { x: cx + 12, y: valueY + 20 + i * 14, "font-size": 11.5, fill: INK.muted },
              escapeXml(line),
            ),
          )
          .join(""),
    );
  });
  y += Math.ceil(cards.length / columns) * (cardHeight + cardGap) + 16;

  // Two columns when wide enough: flows on the left, tables on the right; otherwise one after the other.
  const twoColumns = width >= 860;
  const flowWidth = twoColumns ? Math.round((width - 40) * 0.56) : width - 40;
  const flow = transitionFlows(metrics, channelColour, 20, y, flowWidth);
  const tablesX = twoColumns ? 20 + flowWidth + 32 : 20;
  const tablesWidth = twoColumns ? width - 20 - tablesX : width - 40;
  const tablesY = twoColumns ? y : flow.bottom + 24;
  const table = channelTable(metrics, channelColour, tablesX, tablesY, tablesWidth);
  const matrix = transitionMatrix(metrics, channels, tablesX, table.bottom + 24, tablesWidth);
  body += flow.markup + table.markup + matrix.markup;
  const bottom = Math.max(flow.bottom, matrix.bottom) + 16;

  return svgDocument(width, Math.ceil(bottom), title, body);
}

function headlineCards(metrics: JourneyMetrics): Card[] {
  const { multiChannel, repeatContact, firstResponse, unansweredInbound, switchesPerResolved } = metrics;
  const windowLabel = `${formatNumber(repeatContact.windowDays)}\u00A0d`;
  return [
    {
      label: "Multi-channel conversations",
      value: formatShare(multiChannel.share),
      detail: `${multiChannel.multiChannel} of ${multiChannel.conversations} conversations`,
      tip: "Share of conversations whose interactions used more than one channel.",
    },
    {
      label: `Repeat contact within ${windowLabel}`,
      value: formatShare(repeatContact.rate),
      detail: `${repeatContact.repeated} of ${repeatContact.resolved} resolved conversations`,
      tip: `Share of resolved conversations after which the same customer made an inbound contact within ${windowLabel} of the resolution.`,
    },
    {
      label: "First response, median",
      value: formatDuration(firstResponse.medianSeconds),
      detail: `p90 ${formatDuration(firstResponse.p90Seconds)} · ${firstResponse.responded} of ${firstResponse.conversations} answered`,
      tip: "Time from a conversation's first inbound interaction to the first outbound interaction after it.",
    },
    {
      label: "Unanswered inbound",
      value: formatShare(unansweredInbound.rate),
      detail: `${unansweredInbound.unanswered} of ${unansweredInbound.inbound} inbound interactions`,
      tip: "Share of inbound interactions with no later outbound interaction in the same conversation.",
    },
    {
      label: "Channel switches per resolved conversation",
      value: formatNumber(switchesPerResolved.mean),
      detail:
        switchesPerResolved.distribution.length === 0
          ? "no resolved conversations"
          : switchesPerResolved.distribution
              // No-break spaces keep each "switches: conversations" pair and its separator on one line.
              .map((d, i) => `${d.switches}${i === 0 ? "\u00A0switches" : ""}:\u00A0${d.conversations}`)
              .join("\u00A0· "),
      tip: `Mean number of channel changes in the ${switchesPerResolved.resolved} resolved conversations; distribution as switches: conversations.`,
    },
  ];
}

interface Section {
  markup: string;
  bottom: number;
}

/** A section's bold title and, under it, its muted one-line explanation. */
function sectionHeading(left: number, top: number, title: string, subtitle?: string): string {
  const markup = element("text", { x: left, y: top + 14, "font-size": 14, "font-weight": 700 }, title);
  if (subtitle === undefined) return markup;
  return markup + element("text", { x: left, y: top + 32, "font-size": 12, fill: INK.muted }, subtitle);
}

function transitionFlows(
  metrics: JourneyMetrics,
  channelColour: ReadonlyMap<string, string>,
  left: number,
  top: number,
  sectionWidth: number,
): Section {
  let markup = sectionHeading(
    left,
    top,
    "Channel transitions",
    "band width = how often a conversation moved from the left channel to the right one",
  );
  top += 48;
  const transitions = metrics.transitions.filter((t) => t.count > 0);
  if (transitions.length === 0) {
    markup += element(
      "text",
      { x: left, y: top + 20, "font-size": 13, fill: INK.muted, class: "empty" },
      "No conversation changed channel.",
    );
    return { markup, bottom: top + 32 };
  }

  const outTotal = new Map<string, number>();
  const inTotal = new Map<string, number>();
  for (const t of transitions) {
    outTotal.set(t.from, (outTotal.get(t.from) ?? 0) + t.count);
    inTotal.set(t.to, (inTotal.get(t.to) ?? 0) + t.count);
  }
  const weight = (channel: string) => (outTotal.get(channel) ?? 0) + (inTotal.get(channel) ?? 0);
  const order = [...new Set([...outTotal.keys(), ...inTotal.keys()])].sort(
    (a, b) => weight(b) - weight(a) || compareStrings(a, b),
  );
  const rank = new Map(order.map((channel, index) => [channel, index]));
  const sources = order.filter((c) => outTotal.has(c));
  const targets = order.filter((c) => inTotal.has(c));
  const total = metrics.transitions.reduce((sum, t) => sum + t.count, 0);
  const nodes = Math.max(sources.length, targets.length);
  const smallest = Math.min(...transitions.map((t) => t.count));
  // Scale: the smallest band gets a readable label if that keeps the flows under 480 px, else fit 480 px.
  const scale = Math.max(Math.min(MIN_LABEL_BAND / smallest, 480 / total), Math.max(200, nodes * 30) / total);
  const flowHeight = total * scale + NODE_GAP * (nodes - 1);

  const labelWidth = Math.min(120, Math.max(...order.map((c) => textWidth(`${c} 000`, 12.5))) + 10);
  const x0 = left + labelWidth;
  const x1 = left + sectionWidth - labelWidth - NODE_WIDTH;
  markup += element(
    "text",
    { x: x0 + NODE_WIDTH / 2, y: top + 4, "text-anchor": "middle", "font-size": 12, fill: INK.muted },
    "from",
  );
  markup += element(
    "text",
    { x: x1 + NODE_WIDTH / 2, y: top + 4, "text-anchor": "middle", "font-size": 12, fill: INK.muted },
    "to",
  );
  top += 16;

  const place = (list: string[], totals: Map<string, number>) => {
    const positions = new Map<string, number>();
    const used = list.reduce((sum, c) => sum + totals.get(c)! * scale, 0) + NODE_GAP * (list.length - 1);
    let cursor = top + (flowHeight - used) / 2;
    for (const channel of list) {
      positions.set(channel, cursor);
      cursor += totals.get(channel)! * scale + NODE_GAP;
    }
    return positions;
  };
  const sourceY = place(sources, outTotal);
  const targetY = place(targets, inTotal);

  // Bands: leave each source in the order of their targets, arrive at each target in the order of sources.
  const sourceCursor = new Map(sourceY);
  const targetCursor = new Map(targetY);
  const bySource = [...transitions].sort(
    (a, b) => rank.get(a.from)! - rank.get(b.from)! || rank.get(a.to)! - rank.get(b.to)!,
  );
  const targetOffset = new Map<string, number>();
  for (const t of [...transitions].sort(
    (a, b) => rank.get(a.to)! - rank.get(b.to)! || rank.get(a.from)! - rank.get(b.from)!,
  )) {
    const yTarget = targetCursor.get(t.to)!;
    targetOffset.set(`${t.from}\u0000${t.to}`, yTarget);
    targetCursor.set(t.to, yTarget + t.count * scale);
  }
  const bandStart = x0 + NODE_WIDTH;
  const bandEnd = x1;
  const middle = (bandStart + bandEnd) / 2;
  let bands = "";
  let labels = "";
  for (const t of bySource) {
    const h = t.count * scale;
    const ys = sourceCursor.get(t.from)!;
    sourceCursor.set(t.from, ys + h);
    const yt = targetOffset.get(`${t.from}\u0000${t.to}`)!;
    const d =
      `M${num(bandStart)},${num(ys)} C${num(middle)},${num(ys)} ${num(middle)},${num(yt)} ${num(bandEnd)},${num(yt)} ` +
      `L${num(bandEnd)},${num(yt + h)} C${num(middle)},${num(yt + h)} ${num(middle)},${num(ys + h)} ${num(bandStart)},${num(ys + h)} Z`;
    bands += element(
      "g",
      { class: "flow", "data-from": t.from, "data-to": t.to, "data-count": t.count },
      tooltip(`${t.from} → ${t.to}: ${t.count} (${formatShare(t.count / total)} of channel changes)`) +
        element("path", { d, fill: channelColour.get(t.from) ?? INK.muted, "fill-opacity": 0.42 }),
    );
    const label = String(t.count);
    if (h >= MIN_LABEL_BAND) {
      labels += element(
        "text",
        {
          x: bandStart + 6,
          y: ys + h / 2,
          "dominant-baseline": "central",
          "font-size": 11.5,
          "font-weight": 700,
          class: "flow-label",
        },
        label,
      );
      labels += element(
        "text",
        {
          x: bandEnd - 6,
          y: yt + h / 2,
          "text-anchor": "end",
          "dominant-baseline": "central",
          "font-size": 11.5,
          "font-weight": 700,
          class: "flow-label",
        },
        label,
      );
    }
  }
  markup += bands + labels;

  const node = (channel: string, x: number, y: number, h: number, side: "from" | "to", n: number) =>
    element(
      "g",
      { class: `node ${side}`, "data-channel": channel },
      tooltip(`${channel}: ${n} channel changes ${side === "from" ? "leaving" : "arriving"}`) +
        element("rect", {
          x,
          y,
          width: NODE_WIDTH,
          height: Math.max(h, 2),
          rx: 2,
          fill: channelColour.get(channel) ?? INK.muted,
        }) +
        element(
          "text",
          {
            x: side === "from" ? x - 8 : x + NODE_WIDTH + 8,
            y: y + h / 2,
            "text-anchor": side === "from" ? "end" : "start",
            "dominant-baseline": "central",
            "font-size": 12.5,
          },
          `<tspan font-weight="600">${escapeXml(truncate(oneLine(channel), 12))}</tspan>` +
            `<tspan fill="${INK.muted}"> ${n}</tspan>`,
        ),
    );
  for (const channel of sources) {
    const n = outTotal.get(channel)!;
    markup += node(channel, x0, sourceY.get(channel)!, n * scale, "from", n);
  }
  for (const channel of targets) {
    const n = inTotal.get(channel)!;
    markup += node(channel, x1, targetY.get(channel)!, n * scale, "to", n);
  }
  return { markup, bottom: top + flowHeight };
}

function channelTable(
  metrics: JourneyMetrics,
  channelColour: ReadonlyMap<string, string>,
  left: number,
  top: number,
  sectionWidth: number,
): Section {
  const response = new Map(metrics.firstResponse.byChannel.map((row) => [row.channel, row]));
  const unanswered = new Map(metrics.unansweredInbound.byChannel.map((row) => [row.channel, row]));
  const channels = [...new Set([...response.keys(), ...unanswered.keys()])].sort(compareStrings);
  let markup = sectionHeading(left, top, "Per channel");
  const note = wrap(
    "n: conversations whose first inbound contact used the channel; their first response is counted there",
    Math.floor(sectionWidth / (12 * 0.56)),
    3,
  );
  note.forEach((line, index) => {
    markup += element("text", { x: left, y: top + 32 + index * 15, "font-size": 12, fill: INK.muted }, escapeXml(line));
  });
  top += 32 + note.length * 15;
  // Columns: channel, then right edges of first contacts, median, p90, unanswered share (count).
  const columnX = [0, 0.3, 0.54, 0.72, 1].map((f) => left + f * sectionWidth);
  const headers: Array<[string, string]> = [
    ["channel", ""],
    ["", "n"],
    ["1st response", "median"],
    ["", "p90"],
    ["unanswered", "inbound"],
  ];
  headers.forEach(([line1, line2], index) => {
    const anchor = index === 0 ? "start" : "end";
    const x = index === 0 ? left : columnX[index]!;
    markup += element(
      "text",
      { x, y: top + 10, "text-anchor": anchor, "font-size": 11.5, fill: INK.muted },
      escapeXml(line1),
    );
    markup += element(
      "text",
      { x, y: top + 24, "text-anchor": anchor, "font-size": 11.5, fill: INK.muted },
      escapeXml(line2),
    );
  });
  top += 30;
  markup += element("line", { x1: left, x2: left + sectionWidth, y1: top + 0.5, y2: top + 0.5, stroke: INK.grid });
  if (channels.length === 0) {
    markup += element("text", { x: left, y: top + 20, "font-size": 12.5, fill: INK.muted }, "No inbound interactions.");
    return { markup, bottom: top + 30 };
  }
  const rowHeight = 22;
  channels.forEach((channel, index) => {
    const r = response.get(channel);
    const u = unanswered.get(channel);
    const cy = top + index * rowHeight + rowHeight / 2 + 1;
    const cells = [
      r ? String(r.conversations) : "0",
      formatDuration(r?.medianSeconds ?? null),
      formatDuration(r?.p90Seconds ?? null),
      u ? `${formatShare(u.rate)} (${u.unanswered}/${u.inbound})` : "—",
    ];
    let row =
      element("rect", {
        x: left,
        y: cy - 5,
        width: 10,
        height: 10,
        rx: 2,
        fill: channelColour.get(channel) ?? INK.muted,
      }) +
      element(
        "text",
        { x: left + 16, y: cy, "dominant-baseline": "central", "font-size": 12.5, "font-weight": 600 },
        escapeXml(truncate(oneLine(channel), Math.max(4, Math.floor((columnX[1]! - left - 60) / (12.5 * 0.62))))),
      );
    cells.forEach((cell, c) => {
      row += element(
        "text",
        {
          x: columnX[c + 1]!,
          y: cy,
          "text-anchor": "end",
          "dominant-baseline": "central",
          "font-size": 12.5,
        },
        escapeXml(cell),
      );
    });
    markup += element(
      "g",
      { class: "channel-row", "data-channel": channel },
      tooltip(
        `${channel}: ${r ? `${r.conversations} conversations started here, ${r.responded} answered; ` : ""}${u ? `${u.unanswered} of ${u.inbound} inbound unanswered` : "no inbound"}`,
      ) + row,
    );
  });
  const bottom = top + channels.length * rowHeight + 4;
  markup += element("line", {
    x1: left,
    x2: left + sectionWidth,
    y1: bottom + 0.5,
    y2: bottom + 0.5,
    stroke: INK.grid,
  });
  return { markup, bottom };
}

function transitionMatrix(
  metrics: JourneyMetrics,
  channels: string[],
  left: number,
  top: number,
  sectionWidth: number,
): Section {
  let markup = sectionHeading(left, top, "Transition matrix", "rows: from · columns: to · every count");
  top += 40;
  if (channels.length === 0) {
    markup += element("text", { x: left, y: top + 20, "font-size": 12.5, fill: INK.muted }, "No channels.");
    return { markup, bottom: top + 30 };
  }
  const counts = new Map(metrics.transitions.map((t) => [`${t.from}\u0000${t.to}`, t.count]));
  const max = Math.max(1, ...metrics.transitions.map((t) => t.count));
  const rowLabelWidth = Math.min(96, Math.max(...channels.map((c) => textWidth(c, 12))) + 12);
  const cell = Math.max(18, Math.min(44, (sectionWidth - rowLabelWidth) / channels.length));
  const headerHeight = Math.min(80, Math.max(...channels.map((c) => textWidth(truncate(c, 12), 11.5))) * 0.72 + 16);
  const gridLeft = left + rowLabelWidth;
  const gridTop = top + headerHeight;
  channels.forEach((channel, index) => {
    const cx = gridLeft + index * cell + cell / 2;
    markup += element(
      "text",
      {
        x: cx,
        y: gridTop - 6,
        "font-size": 11.5,
        transform: `rotate(-45 ${num(cx)} ${num(gridTop - 6)})`,
        class: "matrix-column",
      },
      tooltip(channel) + escapeXml(truncate(oneLine(channel), 12)),
    );
  });
  channels.forEach((from, row) => {
    const cy = gridTop + row * cell;
    markup += element(
      "text",
      {
        x: gridLeft - 8,
        y: cy + cell / 2,
        "text-anchor": "end",
        "dominant-baseline": "central",
        "font-size": 12,
        class: "matrix-row",
      },
      tooltip(from) + escapeXml(truncate(oneLine(from), 12)),
    );
    channels.forEach((to, column) => {
      const cx = gridLeft + column * cell;
      const n = counts.get(`${from}\u0000${to}`) ?? 0;
      const diagonal = from === to;
      const intensity = n / max;
      const fill = diagonal ? "#EEF1F4" : n === 0 ? "#FFFFFF" : mix(intensity);
      markup += element(
        "g",
        { class: "matrix-cell", "data-from": from, "data-to": to, "data-count": n },
        tooltip(diagonal ? `${from}: staying on a channel is not a transition` : `${from} → ${to}: ${n}`) +
          element("rect", { x: cx, y: cy, width: cell, height: cell, fill, stroke: INK.grid }) +
          (diagonal || n === 0
            ? ""
            : element(
                "text",
                {
                  x: cx + cell / 2,
                  y: cy + cell / 2,
                  "text-anchor": "middle",
                  "dominant-baseline": "central",
                  "font-size": cell >= 26 ? 12 : 10,
                  "font-weight": 600,
                  fill: intensity > 0.55 ? "#FFFFFF" : INK.text,
                },
                String(n),
              )),
      );
    });
  });
  return { markup, bottom: gridTop + channels.length * cell };
}

/** A blue of the given intensity in (0, 1], from pale to the palette's dark blue. */
function mix(intensity: number): string {
  const t = 0.15 + 0.85 * Math.min(1, Math.max(0, intensity));
  const channel = (light: number, dark: number) =>
    Math.round(light + (dark - light) * t)
      .toString(16)
      .padStart(2, "0");
  return `#${channel(0xe8, 0x08)}${channel(0xf1, 0x51)}${channel(0xfa, 0x9c)}`;
}
