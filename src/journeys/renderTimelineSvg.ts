import { compareStrings } from "../_lib/hash.js";
import { checkTimeZone, zoneLabel } from "../format/_lib/zone.js";
import type { Alert, Conversation, CustomerSnapshot, Interaction, Presentation, Violation } from "../schema/outputs.js";
import { checkSnapshot } from "./_lib/checkInput.js";
import { dodge } from "./_lib/dodge.js";
import { formatZonedDate, formatZonedStamp } from "./_lib/format.js";
import { colour, INK } from "./_lib/palette.js";
import { svgDocument } from "./_lib/svgDocument.js";
import { timeTicks } from "./_lib/timeAxis.js";
import { element, escapeXml, num, oneLine, textWidth, tooltip, truncate } from "./_lib/xml.js";

/** Options of {@link renderTimelineSvg}. */
export interface RenderTimelineSvgOptions {
  /** Width of the picture in pixels, clamped to 480–4000. Default `960`. The height follows the content. */
  width?: number;
  /** Heading of the picture. Default: "Customer timeline — " and the profile's `name` trait or id. */
  title?: string;
  /** IANA time zone for the labels and day boundaries, such as `"Europe/Warsaw"`. Default `"UTC"`. */
  timeZone?: string;
  /**
   * Violations to show (for example `cc.offers.audit()`): an offer whose presentation broke a rule
   * is drawn in red with a cross, and its tooltip lists the rules. Default: none.
   */
  violations?: readonly Violation[];
}

/** What {@link renderTimelineSvg} draws: a snapshot from `cc.context(ref)`, or the parts it needs. */
export type TimelineSnapshot = Pick<CustomerSnapshot, "profile" | "timeline" | "conversations"> &
  Partial<CustomerSnapshot>;

const MIN_WIDTH = 480;
const MAX_WIDTH = 4000;
const LEFT = 128;
const RIGHT = 28;
const ROW_STEP = 15;
const MARK_GAP = 13;
const MAX_ROWS = 6;
const MINUTE = 60_000;

interface Mark {
  kind: "inbound" | "outbound" | "offer";
  broken?: boolean;
  id: string;
  ms: number;
  lane: string;
  colour: string;
  conversationId?: string;
  tip: string;
  x: number;
  y: number;
}

/**
 * Draws a customer's timeline as a standalone SVG string: one lane per channel, every interaction as a mark
 * on a time axis in `timeZone` (default UTC; inbound: filled circle, outbound: hollow square), conversations
 * told apart by colour and joined by lines in time order, offers shown to the customer as diamonds in their
 * channel's lane (red with a cross when `violations` says the presentation broke a rule), alerts as red
 * triangles in a row above the lanes, and a legend. The subtitle counts the channels that carry
 * interactions; a lane that holds only offers is drawn but not counted as a channel. The first day is
 * always named on the axis. Marks that would overlap are stacked;
 * every mark has a `<title>` tooltip with the full subject and text. All text is XML-escaped. Pure: no
 * DOM, no browser.
 *
 * @param snapshot - The customer's snapshot (`cc.context(ref)`); `offers` and `alerts` are optional.
 * @param options - `width` in pixels (default 960), `title`, `timeZone` and `violations`.
 * @returns An SVG document as a string, with `width`, `height` and `viewBox` set.
 * @throws {InvalidInputError} naming the field when the snapshot or an option is malformed (for
 *   example a timeline entry without `at`, or an unknown time zone).
 *
 * @example
 * ```ts
 * const svg = renderTimelineSvg({
 *   profile: { id: "p1", traits: { name: "Ada" }, createdAt: "2026-04-02T10:00:00.000Z", updatedAt: "2026-04-02T10:00:00.000Z" },
 *   conversations: [],
 *   timeline: [{
 *     id: "i1", profileId: "p1", conversationId: "c1", channel: "web", direction: "inbound",
 *     at: "2026-04-02T10:00:00.000Z", identifiers: [], tags: [], subject: "Loan <application>",
 *   }],
 * });
 * svg.startsWith("<svg");                 // true
 * svg.includes("Loan &lt;application&gt;"); // true
 * ```
 */
export function renderTimelineSvg(snapshot: TimelineSnapshot, options: RenderTimelineSvgOptions = {}): string {
  checkSnapshot(snapshot, options, "timeline SVG input");
  const timeZone = checkTimeZone(options.timeZone, "timeline SVG input", ["options", "timeZone"]);
  const broken = new Map<string, Violation[]>();
  for (const violation of options.violations ?? []) {
    if (violation.presentationId === undefined) continue;
    const list = broken.get(violation.presentationId);
    if (list === undefined) broken.set(violation.presentationId, [violation]);
    else list.push(violation);
  }
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, options.width ?? 960)));
  const name = snapshot.profile.traits.name;
  const title =
    options.title ?? `Customer timeline — ${typeof name === "string" && name !== "" ? name : snapshot.profile.id}`;

  const interactions = timed(
    snapshot.timeline,
    (i) => i.at,
    (i) => i.id,
  );
  const offers = timed(
    snapshot.offers ?? [],
    (o) => o.at,
    (o) => o.id,
  );
  const alerts = timed(snapshot.alerts ?? [], (a) => a.since, alertId);
  const conversationsById = new Map<string, Conversation>();
  for (const conversation of snapshot.conversations) conversationsById.set(conversation.id, conversation);

  // Conversations in order of their first interaction get colours; lanes in order of first use.
  const conversationOrder: string[] = [];
  const lanes: string[] = [];
  for (const { item } of interactions) {
    if (!conversationOrder.includes(item.conversationId)) conversationOrder.push(item.conversationId);
    if (!lanes.includes(item.channel)) lanes.push(item.channel);
  }
  const channelCount = lanes.length;
  for (const { item } of offers) if (!lanes.includes(item.channel)) lanes.push(item.channel);
  const conversationColour = new Map(conversationOrder.map((id, index) => [id, colour(index)]));

  const plotLeft = LEFT;
  const plotRight = width - RIGHT;
  const times = [...interactions, ...offers, ...alerts].map((t) => t.ms);
  const first = times.length > 0 ? Math.min(...times) : 0;
  const last = times.length > 0 ? Math.max(...times) : 0;
  const span = last - first;
  const pad = span === 0 ? 30 * MINUTE : span * 0.04;
  const domainStart = first - pad;
  const domainEnd = last + pad;
  const x = (ms: number) => plotLeft + ((ms - domainStart) / (domainEnd - domainStart)) * (plotRight - plotLeft);

  const titleSize = 18;
  let body = element(
    "text",
    { x: 20, y: 32, "font-size": titleSize, "font-weight": 700, class: "title" },
    escapeXml(truncate(oneLine(title), Math.floor((width - 40) / (titleSize * 0.6)))),
  );
  const subtitle =
    times.length === 0
      ? "No interactions recorded"
      : `${count(interactions.length, "interaction")} · ${count(channelCount, "channel")} · ${count(conversationOrder.length, "conversation")} · ${formatZonedDate(first, timeZone)}${formatZonedDate(first, timeZone) === formatZonedDate(last, timeZone) ? "" : ` – ${formatZonedDate(last, timeZone)}`} (${zoneLabel(timeZone)})`;
  body += element("text", { x: 20, y: 54, "font-size": 13, fill: INK.muted, class: "subtitle" }, escapeXml(subtitle));

  // Marks per lane, stacked where they would overlap.
  const marks: Mark[] = [];
  const laneRows = new Map<string, number>();
  for (const lane of lanes) {
    const laneMarks: Mark[] = [
      ...interactions
        .filter(({ item }) => item.channel === lane)
        .map(({ item, ms }) =>
          interactionMark(item, ms, conversationColour.get(item.conversationId)!, conversationsById, timeZone),
        ),
      ...offers
        .filter(({ item }) => item.channel === lane)
        .map(({ item, ms }) => offerMark(item, ms, timeZone, broken.get(item.id))),
    ].sort((a, b) => a.ms - b.ms || compareStrings(a.kind, b.kind) || compareStrings(a.id, b.id));
    for (const mark of laneMarks) mark.x = x(mark.ms);
    const placed = dodge(
      laneMarks.map((m) => m.x),
      MARK_GAP,
      MAX_ROWS,
      plotRight - 6,
    );
    laneMarks.forEach((mark, index) => {
      const placement = placed.placements[index]!;
      mark.x = placement.x;
      mark.y = placement.row;
    });
    laneRows.set(lane, placed.count);
    marks.push(...laneMarks);
  }

  let y = 72;
  const alertRowHeight = alerts.length > 0 ? 34 : 0;
  const lanesTop = y + alertRowHeight;
  const laneHeights = lanes.map((lane) => Math.max(44, (laneRows.get(lane) ?? 1) * ROW_STEP + 24));
  const lanesBottom = lanesTop + laneHeights.reduce((a, b) => a + b, 0);
  const ticks =
    times.length === 0
      ? []
      : timeTicks(domainStart, domainEnd, Math.max(2, Math.floor((plotRight - plotLeft) / 110)), timeZone);

  // Lane backgrounds and labels.
  let lanesMarkup = "";
  let laneTop = lanesTop;
  const laneCentre = new Map<string, number>();
  lanes.forEach((lane, index) => {
    const height = laneHeights[index]!;
    laneCentre.set(lane, laneTop + height / 2);
    const label = truncate(oneLine(lane), Math.floor((LEFT - 24) / (13 * 0.66)));
    lanesMarkup += element(
      "g",
      index < channelCount
        ? { class: "lane", "data-channel": lane }
        : { class: "lane offers-only", "data-channel": lane },
      element("rect", {
        x: plotLeft,
        y: laneTop + 2,
        width: plotRight - plotLeft,
        height: height - 4,
        rx: 4,
        fill: index % 2 === 0 ? INK.lane : "#FFFFFF",
        stroke: INK.grid,
      }) +
        element(
          "text",
          {
            x: LEFT - 12,
            y: laneTop + height / 2,
            "text-anchor": "end",
            "dominant-baseline": "central",
            "font-size": 13,
            "font-weight": 600,
            class: "lane-label",
          },
          tooltip(lane) + escapeXml(label),
        ),
    );
    laneTop += height;
  });
  body += lanesMarkup;

  // Grid lines at the ticks, over the lane backgrounds.
  for (const tick of ticks) {
    if (tick.edge) continue;
    body += element("line", {
      x1: x(tick.ms),
      x2: x(tick.ms),
      y1: lanesTop,
      y2: lanesBottom,
      stroke: INK.grid,
      "stroke-width": 1,
    });
  }

  // Alerts row.
  if (alerts.length > 0) {
    body += element(
      "text",
      {
        x: LEFT - 12,
        y: y + alertRowHeight / 2,
        "text-anchor": "end",
        "dominant-baseline": "central",
        "font-size": 13,
        "font-weight": 600,
        fill: INK.alert,
      },
      "alerts",
    );
    for (const { item, ms } of alerts) {
      const ax = x(ms);
      const ay = y + alertRowHeight / 2;
      const tip = `${item.severity === "error" ? "Alert" : "Warning"} (${item.kind}) since ${formatZonedStamp(ms, timeZone)}${item.channel ? ` · ${item.channel}` : ""}\n${oneLine(item.message)}`;
      body += element(
        "g",
        { class: "mark alert", "data-kind": item.kind },
        tooltip(tip) +
          element("line", {
            x1: ax,
            x2: ax,
            y1: ay + 8,
            y2: lanesBottom,
            stroke: INK.alert,
            "stroke-width": 1,
            "stroke-dasharray": "3 3",
            opacity: 0.7,
          }) +
          element("path", {
            d: `M${num(ax)},${num(ay - 8)} L${num(ax + 8)},${num(ay + 7)} L${num(ax - 8)},${num(ay + 7)} Z`,
            fill: INK.alert,
            stroke: "#FFFFFF",
            "stroke-width": 1,
          }) +
          element(
            "text",
            { x: ax, y: ay + 4.5, "text-anchor": "middle", "font-size": 10, "font-weight": 700, fill: "#FFFFFF" },
            "!",
          ),
      );
    }
  }

  // Resolve mark positions: row index to y inside its lane.
  for (const mark of marks) {
    const rows = laneRows.get(mark.lane) ?? 1;
    mark.y = laneCentre.get(mark.lane)! + (mark.y - (rows - 1) / 2) * ROW_STEP;
  }

  // Lines joining each conversation's interactions in time order, under the marks.
  for (const id of conversationOrder) {
    const points = marks
      .filter((m) => m.kind !== "offer" && m.conversationId === id)
      .sort((a, b) => a.ms - b.ms || compareStrings(a.id, b.id));
    if (points.length < 2) continue;
    body += element("polyline", {
      class: "conversation-line",
      "data-conversation-id": id,
      points: points.map((p) => `${num(p.x)},${num(p.y)}`).join(" "),
      fill: "none",
      stroke: conversationColour.get(id)!,
      "stroke-width": 2,
      "stroke-opacity": 0.55,
      "stroke-linejoin": "round",
    });
  }

  for (const mark of marks) body += drawMark(mark);

  // Time axis.
  y = lanesBottom;
  body += element("line", { x1: plotLeft, x2: plotRight, y1: y + 0.5, y2: y + 0.5, stroke: INK.muted });
  for (const tick of ticks) {
    const tx = x(tick.ms);
    if (tick.edge) {
      // The first day's name where no tick falls on it: text at the axis start, no tick mark.
      body += element(
        "g",
        { class: "tick edge" },
        element(
          "text",
          { x: plotLeft + 2, y: y + 20, "text-anchor": "start", "font-size": 12 },
          escapeXml(tick.label),
        ) +
          (tick.sublabel
            ? element(
                "text",
                { x: plotLeft + 2, y: y + 35, "text-anchor": "start", "font-size": 11.5, fill: INK.muted },
                escapeXml(tick.sublabel),
              )
            : ""),
      );
      continue;
    }
    body += element(
      "g",
      { class: "tick" },
      element("line", { x1: tx, x2: tx, y1: y, y2: y + 6, stroke: INK.muted }) +
        element("text", { x: tx, y: y + 20, "text-anchor": "middle", "font-size": 12 }, escapeXml(tick.label)) +
        (tick.sublabel
          ? element(
              "text",
              { x: tx, y: y + 35, "text-anchor": "middle", "font-size": 11.5, fill: INK.muted },
              escapeXml(tick.sublabel),
            )
          : ""),
    );
  }
  body += element(
    "text",
    { x: plotRight, y: y + 52, "text-anchor": "end", "font-size": 11.5, fill: INK.muted },
    escapeXml(`time (${zoneLabel(timeZone)})`),
  );
  y += 64;

  // Legend: shapes, then one entry per conversation.
  const legendItems: string[] = [];
  const shapeKey: Array<[Mark["kind"] | "alert" | "broken", string]> = [
    ["inbound", "inbound (from customer)"],
    ["outbound", "outbound (to customer)"],
  ];
  if (offers.length > 0) shapeKey.push(["offer", "offer shown"]);
  if (marks.some((m) => m.broken === true)) shapeKey.push(["broken", "offer that broke a rule"]);
  if (alerts.length > 0) shapeKey.push(["alert", "alert"]);
  let lx = 20;
  let legend = "";
  for (const [kind, label] of shapeKey) {
    legend += legendShape(kind, lx + 7, y) + element("text", { x: lx + 20, y: y + 4.5, "font-size": 12.5 }, label);
    lx += 20 + textWidth(label, 12.5) + 24;
  }
  legendItems.push(legend);
  y += 26;

  const maxEntries = 12;
  const shown = conversationOrder.slice(0, conversationOrder.length > maxEntries ? maxEntries - 1 : maxEntries);
  const columnWidth = width >= 800 && shown.length > 6 ? (width - 40) / 2 : width - 40;
  const perRow = Math.max(1, Math.floor((width - 40) / columnWidth));
  const labelChars = Math.floor((columnWidth - 34) / (12.5 * 0.58));
  shown.forEach((id, index) => {
    const conversation = conversationsById.get(id);
    const cx = 20 + (index % perRow) * columnWidth;
    const cy = y + Math.floor(index / perRow) * 22;
    const n = interactions.filter(({ item }) => item.conversationId === id).length;
    const subject = oneLine(conversation?.subject ?? `conversation ${id}`);
    const suffix = ` · ${conversation ? `${conversation.status}, ` : ""}${count(n, "interaction")}`;
    const label = `${truncate(subject, Math.max(8, labelChars - Array.from(suffix).length))}${suffix}`;
    legendItems.push(
      element(
        "g",
        { class: "legend-conversation", "data-conversation-id": id },
        tooltip(`${subject}${suffix}\n${conversation ? conversation.channels.join(" → ") : ""}`) +
          element("rect", { x: cx, y: cy - 7, width: 22, height: 14, rx: 3, fill: conversationColour.get(id)! }) +
          element("text", { x: cx + 30, y: cy + 4.5, "font-size": 12.5 }, escapeXml(label)),
      ),
    );
  });
  const rowsUsed = Math.ceil(shown.length / perRow);
  y += rowsUsed * 22;
  if (shown.length < conversationOrder.length) {
    legendItems.push(
      element(
        "text",
        { x: 20, y: y + 4.5, "font-size": 12.5, fill: INK.muted },
        `+ ${conversationOrder.length - shown.length} more conversations`,
      ),
    );
    y += 22;
  }
  body += element("g", { class: "legend" }, legendItems.join(""));

  return svgDocument(width, Math.ceil(y + 6), oneLine(title), body);
}

interface TimedItem<T> {
  item: T;
  ms: number;
  id: string;
}

function timed<T>(items: readonly T[], at: (item: T) => string, id: (item: T) => string): Array<TimedItem<T>> {
  return items
    .map((item) => ({ item, ms: Date.parse(at(item)), id: id(item) }))
    .filter((t) => Number.isFinite(t.ms))
    .sort((a, b) => a.ms - b.ms || compareStrings(a.id, b.id));
}

function alertId(alert: Alert): string {
  return `${alert.conversationId}\u0000${alert.interactionId ?? ""}\u0000${alert.kind}`;
}

function interactionMark(
  interaction: Interaction,
  ms: number,
  fill: string,
  conversations: ReadonlyMap<string, Conversation>,
  timeZone: string,
): Mark {
  const conversation = conversations.get(interaction.conversationId);
  const lines = [
    `${formatZonedStamp(ms, timeZone)} · ${interaction.channel} · ${interaction.direction}`,
    interaction.subject ? oneLine(interaction.subject) : "",
    interaction.text ? truncate(oneLine(interaction.text), 400) : "",
    interaction.agent ? `agent: ${interaction.agent}` : "",
    `conversation: ${conversation?.subject ? oneLine(conversation.subject) : interaction.conversationId}`,
  ];
  return {
    kind: interaction.direction,
    id: interaction.id,
    ms,
    lane: interaction.channel,
    colour: fill,
    conversationId: interaction.conversationId,
    tip: lines.filter((line) => line !== "").join("\n"),
    x: 0,
    y: 0,
  };
}

function offerMark(offer: Presentation, ms: number, timeZone: string, violations: Violation[] | undefined): Mark {
  const terms = Object.entries(offer.terms)
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(", ");
  return {
    kind: "offer",
    id: offer.id,
    ms,
    lane: offer.channel,
    colour: violations === undefined ? OFFER : INK.alert,
    broken: violations !== undefined,
    tip: `${formatZonedStamp(ms, timeZone)} · ${offer.channel} · offer ${offer.offerId} (v${offer.offerVersion})\n${truncate(terms, 400)}${offer.agent ? `\nagent: ${offer.agent}` : ""}${(violations ?? []).map((v) => `\n✖ ${v.rule} (${v.severity}): ${truncate(oneLine(v.message), 300)}`).join("")}`,
    x: 0,
    y: 0,
  };
}

function drawMark(mark: Mark): string {
  const attributes =
    mark.kind === "offer"
      ? {
          class: mark.broken === true ? "mark offer violation" : "mark offer",
          "data-presentation-id": mark.id,
          ...(mark.broken === true ? { "data-violation": "true" } : {}),
        }
      : {
          class: `mark interaction ${mark.kind}`,
          "data-interaction-id": mark.id,
          "data-conversation-id": mark.conversationId,
        };
  const kind = mark.broken === true ? "broken" : mark.kind;
  return element("g", attributes, tooltip(mark.tip) + shape(kind, mark.x, mark.y, mark.colour));
}

function shape(kind: Mark["kind"] | "alert" | "broken", cx: number, cy: number, fill: string): string {
  switch (kind) {
    case "inbound":
      return element("circle", { cx, cy, r: 6.5, fill, stroke: "#FFFFFF", "stroke-width": 1.5 });
    case "outbound":
      return element("rect", {
        x: cx - 5.5,
        y: cy - 5.5,
        width: 11,
        height: 11,
        fill: "#FFFFFF",
        stroke: fill,
        "stroke-width": 3,
      });
    case "offer":
      return element("path", {
        d: `M${num(cx)},${num(cy - 7.5)} L${num(cx + 7.5)},${num(cy)} L${num(cx)},${num(cy + 7.5)} L${num(cx - 7.5)},${num(cy)} Z`,
        fill,
        stroke: INK.text,
        "stroke-width": 1.2,
      });
    case "alert":
      return element("path", {
        d: `M${num(cx)},${num(cy - 7)} L${num(cx + 7)},${num(cy + 6)} L${num(cx - 7)},${num(cy + 6)} Z`,
        fill: INK.alert,
      });
    case "broken":
      // A red diamond with a white cross: told apart by shape as well as colour.
      return (
        element("path", {
          d: `M${num(cx)},${num(cy - 8)} L${num(cx + 8)},${num(cy)} L${num(cx)},${num(cy + 8)} L${num(cx - 8)},${num(cy)} Z`,
          fill: INK.alert,
          stroke: INK.text,
          "stroke-width": 1.2,
        }) +
        element("path", {
          d: `M${num(cx - 3)},${num(cy - 3)} L${num(cx + 3)},${num(cy + 3)} M${num(cx + 3)},${num(cy - 3)} L${num(cx - 3)},${num(cy + 3)}`,
          stroke: "#FFFFFF",
          "stroke-width": 1.8,
        })
      );
  }
}

const OFFER = "#FFC107";

function legendShape(kind: Mark["kind"] | "alert" | "broken", cx: number, cy: number): string {
  return shape(kind, cx, cy, kind === "offer" ? OFFER : INK.muted);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
