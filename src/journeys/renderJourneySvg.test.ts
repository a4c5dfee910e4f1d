import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatedJourneys } from "../../test/journeys/_fixtures.js";
import { byClass, parseSvg, titleOf, type XmlElement } from "../../test/journeys/_svgTestKit.js";
import { InvalidInputError } from "../errors.js";
import { formatDuration } from "../format/_lib/units.js";
import type { Conversation, Interaction } from "../schema/outputs.js";
import { type JourneyMetrics, journeyMetrics } from "./journeyMetrics.js";
import { renderJourneySvg } from "./renderJourneySvg.js";

function check(svg: string): XmlElement {
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  const root = parseSvg(svg);
  const [x, y, w, h] = (root.attributes.viewBox ?? "").split(" ").map(Number);
  expect([x, y]).toEqual([0, 0]);
  expect(w).toBe(Number(root.attributes.width));
  expect(h).toBe(Number(root.attributes.height));
  return root;
}

/** Band thickness of a flow path: the distance between its first point and its last point. */
function thickness(flow: XmlElement): number {
  const d = flow.children.find((c) => c.name === "path")!.attributes.d!;
  const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return numbers[numbers.length - 1]! - numbers[1]!;
}

describe("renderJourneySvg", () => {
  it("runs the JSDoc example as written", () => {
    const metrics = journeyMetrics({ conversations: [], interactions: [] });
    const svg = renderJourneySvg(metrics, { title: "Journeys, March 2026" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.includes("No conversation changed channel.")).toBe(true);
  });

  it("draws every transition as a band proportional to its count, and the full matrix", () => {
    const metrics = journeyMetrics(generatedJourneys(50));
    const root = check(renderJourneySvg(metrics));
    const flows = byClass(root, "flow");
    expect(
      flows.map((f) => `${f.attributes["data-from"]}>${f.attributes["data-to"]}:${f.attributes["data-count"]}`).sort(),
    ).toEqual(metrics.transitions.map((t) => `${t.from}>${t.to}:${t.count}`).sort());
    const perUnit = flows.map((flow) => thickness(flow) / Number(flow.attributes["data-count"]));
    for (const value of perUnit) expect(value).toBeCloseTo(perUnit[0]!, 1);
    // Node totals shown next to each node equal the sums of their bands.
    for (const node of byClass(root, "node", "from")) {
      const channel = node.attributes["data-channel"]!;
      const out = metrics.transitions.filter((t) => t.from === channel).reduce((sum, t) => sum + t.count, 0);
      expect(node.children.find((c) => c.name === "text")?.text).toBe(`${channel} ${out}`);
    }
    const cells = byClass(root, "matrix-cell");
    expect(cells).toHaveLength(metrics.channels.length ** 2);
    for (const t of metrics.transitions) {
      const cell = cells.find((c) => c.attributes["data-from"] === t.from && c.attributes["data-to"] === t.to)!;
      expect(cell.attributes["data-count"]).toBe(String(t.count));
      expect(cell.text).toContain(String(t.count));
    }
    // Bands with room for a label carry their count.
    const labels = byClass(root, "flow-label").map((l) => l.text);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((label) => metrics.transitions.some((t) => String(t.count) === label))).toBe(true);
  });

  it("shows the headline figures and a row per channel", () => {
    const metrics = journeyMetrics(generatedJourneys(50));
    const root = check(renderJourneySvg(metrics, { width: 1100, title: "March 2026" }));
    expect(titleOf(root)).toBe("March 2026");
    const headlines = byClass(root, "headline");
    expect(headlines).toHaveLength(5);
    const text = headlines.map((h) => h.text).join(" | ");
    expect(text).toContain(`${Math.round(metrics.multiChannel.share! * 100)}%`);
    expect(text).toContain(
      `${metrics.multiChannel.multiChannel} of ${metrics.multiChannel.conversations} conversations`,
    );
    expect(text).toContain(`${metrics.repeatContact.repeated} of ${metrics.repeatContact.resolved} resolved`);
    const rows = byClass(root, "channel-row").map((row) => row.attributes["data-channel"]);
    expect(rows).toEqual(metrics.unansweredInbound.byChannel.map((row) => row.channel));
  });

  it("escapes channel names and titles", () => {
    const metrics: JourneyMetrics = {
      ...journeyMetrics({ conversations: [], interactions: [] }),
      channels: ["a&b", "<script>"],
      transitions: [
        { from: "<script>", to: "a&b", count: 3 },
        { from: "a&b", to: "<script>", count: 1 },
      ],
      totalTransitions: 4,
    };
    const svg = renderJourneySvg(metrics, { title: `Q1 <"A&B"> \u0007` });
    const root = check(svg);
    expect(svg).not.toContain("<script>");
    expect(titleOf(root)).toBe(`Q1 <"A&B"> \uFFFD`);
    expect(
      byClass(root, "node", "from")
        .map((n) => n.attributes["data-channel"])
        .sort(),
    ).toEqual(["<script>", "a&b"]);
  });

  it("renders empty metrics with dashes instead of numbers", () => {
    const root = check(renderJourneySvg(journeyMetrics({ conversations: [], interactions: [] }), { width: 300 }));
    expect(root.attributes.width).toBe("480");
    expect(
      byClass(root, "headline")
        .map((h) => h.text)
        .join(" "),
    ).toContain("—");
  });

  it("produces well-formed SVG for any data set and width", () => {
    const channel = fc.constantFrom("web", "phone", "email", "a&b", "<x>", "very-long-channel-name-indeed");
    const rows = fc.array(
      fc.record({
        conversation: fc.integer({ min: 0, max: 8 }),
        channel,
        direction: fc.constantFrom("inbound" as const, "outbound" as const),
        ms: fc.integer({ min: 0, max: 90 * 86_400_000 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(rows, fc.integer({ min: 200, max: 2400 }), (items, width) => {
        const t0 = Date.UTC(2026, 0, 1);
        const interactions: Interaction[] = items.map((row, k) => ({
          id: `i${k}`,
          profileId: `p${row.conversation % 4}`,
          conversationId: `c${row.conversation}`,
          channel: row.channel,
          direction: row.direction,
          at: new Date(t0 + row.ms).toISOString(),
          identifiers: [],
          tags: [],
        }));
        const conversations: Conversation[] = Array.from({ length: 9 }, (_, c) => ({
          id: `c${c}`,
          profileId: `p${c % 4}`,
          status: c % 2 === 0 ? "resolved" : "open",
          channels: [],
          interactionIds: [],
          tags: [],
          startedAt: new Date(t0).toISOString(),
          lastAt: new Date(t0).toISOString(),
          ...(c % 2 === 0 ? { resolvedAt: new Date(t0 + 30 * 86_400_000).toISOString() } : {}),
        }));
        const metrics = journeyMetrics({ conversations, interactions });
        const root = check(renderJourneySvg(metrics, { width }));
        expect(byClass(root, "flow")).toHaveLength(metrics.transitions.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe("renderJourneySvg display options and input", () => {
  it("writes the range in the given time zone", () => {
    const metrics = journeyMetrics({
      conversations: [],
      interactions: [],
      from: "2026-03-31T22:30:00.000Z",
      to: "2026-04-30T22:00:00.000Z",
    });
    const utc = parseSvg(renderJourneySvg(metrics)).text;
    const warsaw = parseSvg(renderJourneySvg(metrics, { timeZone: "Europe/Warsaw" })).text;
    expect(utc).toContain("from 31 Mar 2026 to before 30 Apr 2026 (UTC)");
    expect(warsaw).toContain("from 1 Apr 2026 to before 1 May 2026 (Europe/Warsaw)");
  });

  it("rejects malformed metrics and options with a typed error naming the field", () => {
    const metrics = journeyMetrics({ conversations: [], interactions: [] });
    const pathOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).details[0]?.path;
      }
      return null;
    };
    expect(pathOf(() => renderJourneySvg(undefined as never))).toEqual(["metrics"]);
    expect(pathOf(() => renderJourneySvg({ ...metrics, channels: null } as never))).toEqual(["metrics", "channels"]);
    expect(pathOf(() => renderJourneySvg(metrics, { timeZone: "Nowhere/Land" }))).toEqual(["options", "timeZone"]);
    expect(pathOf(() => renderJourneySvg(metrics, { title: 7 } as never))).toEqual(["options", "title"]);
    expect(pathOf(() => journeyMetrics(null as never))).toEqual(["input"]);
    expect(pathOf(() => journeyMetrics({ conversations: [], interactions: [{ id: "i1" }] } as never))).toEqual([
      "input",
      "interactions",
      0,
      "conversationId",
    ]);
    expect(pathOf(() => journeyMetrics({ conversations: [], interactions: [], from: 5 } as never))).toEqual([
      "input",
      "from",
    ]);
  });

  it("formats durations like the terminal views: one formatter", () => {
    expect(formatDuration(47.7 * 3600)).toBe("48\u00A0h");
    expect(formatDuration(25.9 * 3600)).toBe("26\u00A0h");
    expect(formatDuration(2.5 * 86_400)).toBe("2.5\u00A0d");
    expect(formatDuration(90)).toBe("1.5\u00A0min");
    expect(formatDuration(null)).toBe("—");
  });
});
