import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loanJourneySnapshot } from "../../test/journeys/_fixtures.js";
import { byClass, findAll, parseSvg, titleOf, type XmlElement } from "../../test/journeys/_svgTestKit.js";
import { InvalidInputError } from "../errors.js";
import type { Interaction } from "../schema/outputs.js";
import { renderTimelineSvg, type TimelineSnapshot } from "./renderTimelineSvg.js";

const profile = { id: "p1", traits: {}, createdAt: "2026-04-02T10:00:00.000Z", updatedAt: "2026-04-02T10:00:00.000Z" };

function interaction(id: string, channel: string, at: string, extra: Partial<Interaction> = {}): Interaction {
  return {
    id,
    profileId: "p1",
    conversationId: "c1",
    channel,
    direction: "inbound",
    at,
    identifiers: [],
    tags: [],
    ...extra,
  };
}

function snapshot(timeline: Interaction[], extra: Partial<TimelineSnapshot> = {}): TimelineSnapshot {
  return { profile, conversations: [], timeline, ...extra };
}

/** Checks what every timeline must satisfy and returns the parsed document. */
function checkTimeline(svg: string, input: TimelineSnapshot): XmlElement {
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  const root = parseSvg(svg);
  const [, , w, h] = (root.attributes.viewBox ?? "").split(" ").map(Number);
  expect(w).toBe(Number(root.attributes.width));
  expect(h).toBe(Number(root.attributes.height));
  const lanes = byClass(root, "lane").map((lane) => lane.attributes["data-channel"]);
  const channels = new Set([...input.timeline.map((i) => i.channel), ...(input.offers ?? []).map((o) => o.channel)]);
  expect(lanes.sort()).toEqual([...channels].sort());
  const marks = byClass(root, "mark", "interaction").map((mark) => mark.attributes["data-interaction-id"]);
  expect(marks.sort()).toEqual(input.timeline.map((i) => i.id).sort());
  // Every drawn point lies inside the picture.
  for (const shape of findAll(root, (e) => e.name === "circle" || e.name === "rect")) {
    const x = Number(shape.attributes.cx ?? shape.attributes.x);
    const y = Number(shape.attributes.cy ?? shape.attributes.y);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(w!);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(y).toBeLessThanOrEqual(h!);
  }
  return root;
}

describe("renderTimelineSvg", () => {
  it("runs the JSDoc example as written", () => {
    const svg = renderTimelineSvg({
      profile: {
        id: "p1",
        traits: { name: "Ada" },
        createdAt: "2026-04-02T10:00:00.000Z",
        updatedAt: "2026-04-02T10:00:00.000Z",
      },
      conversations: [],
      timeline: [
        {
          id: "i1",
          profileId: "p1",
          conversationId: "c1",
          channel: "web",
          direction: "inbound",
          at: "2026-04-02T10:00:00.000Z",
          identifiers: [],
          tags: [],
          subject: "Loan <application>",
        },
      ],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.includes("Loan &lt;application&gt;")).toBe(true);
  });

  it("draws the loan journey: a lane per channel, a mark per interaction, offers and alerts", () => {
    const input = loanJourneySnapshot();
    const svg = renderTimelineSvg(input);
    const root = checkTimeline(svg, input);
    expect(root.attributes.viewBox).toMatch(/^0 0 960 \d+$/);
    expect(byClass(root, "lane").map((lane) => lane.attributes["data-channel"])).toEqual([
      "social",
      "web",
      "phone",
      "email",
      "store",
      "sms",
    ]);
    expect(byClass(root, "mark", "inbound")).toHaveLength(
      input.timeline.filter((i) => i.direction === "inbound").length,
    );
    expect(byClass(root, "mark", "offer")).toHaveLength(2);
    expect(byClass(root, "mark", "alert")).toHaveLength(2);
    // Inbound marks are circles, outbound marks hollow squares.
    for (const mark of byClass(root, "mark", "inbound"))
      expect(mark.children.some((c) => c.name === "circle")).toBe(true);
    for (const mark of byClass(root, "mark", "outbound")) {
      const square = mark.children.find((c) => c.name === "rect");
      expect(square?.attributes.fill).toBe("#FFFFFF");
    }
    // Conversation membership: one colour per conversation, and a line joining each multi-interaction one.
    const colours = new Map<string, Set<string>>();
    for (const mark of byClass(root, "mark", "interaction")) {
      const shape = mark.children.find((c) => c.name === "circle" || c.name === "rect")!;
      const colour = shape.name === "circle" ? shape.attributes.fill! : shape.attributes.stroke!;
      const id = mark.attributes["data-conversation-id"]!;
      colours.set(id, (colours.get(id) ?? new Set()).add(colour));
    }
    expect([...colours.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set([...colours.values()].map((set) => [...set][0])).size).toBe(3);
    expect(
      byClass(root, "conversation-line")
        .map((line) => line.attributes["data-conversation-id"])
        .sort(),
    ).toEqual(["c-card", "c-complaint", "c-loan"]);
    // Title, legend, escaped subject text round-trips through the parser.
    expect(titleOf(root)).toBe("Customer timeline — Jan Kowalski");
    expect(byClass(root, "legend-conversation")).toHaveLength(3);
    expect(svg).not.toContain("<urgent>");
    expect(root.text).toContain("Complaint: card blocked abroad & fees <urgent>");
    // Tick labels name dates in UTC.
    expect(byClass(root, "tick").map((tick) => tick.text)).toContain("2 Mar");
  });

  it("escapes channel names, subjects and titles, and drops characters XML cannot carry", () => {
    const nasty = `Tom & Jerry's "deal" <b>bold</b> ]]> \u0001\uD800 end`;
    const input = snapshot(
      [
        interaction("i&1", "a&b <c>", "2026-04-02T10:00:00.000Z", { subject: nasty, text: nasty, agent: nasty }),
        interaction("i2", "x\"y'", "2026-04-02T11:00:00.000Z", { conversationId: "c<2>", direction: "outbound" }),
      ],
      {
        conversations: [
          {
            id: "c1",
            profileId: "p1",
            status: "open",
            channels: ["a&b <c>"],
            interactionIds: ["i&1"],
            tags: [],
            subject: nasty,
            startedAt: "2026-04-02T10:00:00.000Z",
            lastAt: "2026-04-02T10:00:00.000Z",
          },
        ],
      },
    );
    const svg = renderTimelineSvg(input, { title: nasty });
    const root = checkTimeline(svg, input);
    expect(byClass(root, "lane").map((lane) => lane.attributes["data-channel"])).toEqual(["a&b <c>", "x\"y'"]);
    expect(titleOf(root)).toBe(`Tom & Jerry's "deal" <b>bold</b> ]]> \uFFFD\uFFFD end`);
    expect(findAll(root, (e) => e.name === "b")).toHaveLength(0);
  });

  it("draws a single interaction with ticks around it", () => {
    const input = snapshot([interaction("only", "web", "2026-04-02T10:00:00.000Z")]);
    const root = checkTimeline(renderTimelineSvg(input), input);
    const ticks = byClass(root, "tick");
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks[0]!.text).toContain("2 Apr 2026");

    const blink = snapshot([
      interaction("a", "web", "2026-04-02T10:00:00.100Z"),
      interaction("b", "web", "2026-04-02T10:00:00.200Z"),
    ]);
    expect(byClass(checkTimeline(renderTimelineSvg(blink), blink), "tick").length).toBeGreaterThanOrEqual(1);
  });

  it("stacks many interactions in the same minute so that each stays visible", () => {
    const timeline = Array.from({ length: 30 }, (_, k) =>
      interaction(`i${k}`, "chat", `2026-04-02T10:00:${String(k).padStart(2, "0")}.000Z`, {
        direction: k % 2 === 0 ? "inbound" : "outbound",
      }),
    );
    const input = snapshot([...timeline, interaction("later", "chat", "2026-04-05T10:00:00.000Z")]);
    const root = checkTimeline(renderTimelineSvg(input), input);
    const ys = new Set(
      byClass(root, "mark", "interaction").map((mark) => {
        const shape = mark.children.find((c) => c.name === "circle" || c.name === "rect")!;
        return Math.round(Number(shape.attributes.cy ?? Number(shape.attributes.y) + 5.5));
      }),
    );
    expect(ys.size).toBeGreaterThan(1);
  });

  it("labels the time axis readably for spans of minutes and of months", () => {
    const minutes = snapshot([
      interaction("a", "web", "2026-04-02T10:00:00.000Z"),
      interaction("b", "phone", "2026-04-02T10:12:00.000Z"),
    ]);
    const minuteTicks = byClass(checkTimeline(renderTimelineSvg(minutes), minutes), "tick").map((t) => t.text);
    expect(minuteTicks.length).toBeGreaterThanOrEqual(3);
    expect(minuteTicks.every((label) => /^\d\d:\d\d/.test(label))).toBe(true);
    expect(new Set(minuteTicks).size).toBe(minuteTicks.length);

    const months = snapshot([
      interaction("a", "web", "2025-11-20T10:00:00.000Z"),
      interaction("b", "store", "2026-05-02T10:00:00.000Z"),
    ]);
    const monthTicks = byClass(checkTimeline(renderTimelineSvg(months), months), "tick").map((t) => t.text);
    expect(monthTicks).toContain("Jan 2026");
    expect(monthTicks.length).toBeLessThanOrEqual(8);
  });

  it("truncates a long subject in the legend and keeps the full text in the tooltip", () => {
    const subject = `Mortgage ${"very ".repeat(60)}long subject`;
    const input = snapshot([interaction("a", "email", "2026-04-02T10:00:00.000Z", { subject })], {
      conversations: [
        {
          id: "c1",
          profileId: "p1",
          status: "open",
          channels: ["email"],
          interactionIds: ["a"],
          tags: [],
          subject,
          startedAt: "2026-04-02T10:00:00.000Z",
          lastAt: "2026-04-02T10:00:00.000Z",
        },
      ],
    });
    const root = checkTimeline(renderTimelineSvg(input, { width: 600 }), input);
    const entry = byClass(root, "legend-conversation")[0]!;
    const label = entry.children.find((c) => c.name === "text")!.text;
    expect(label).toContain("…");
    expect(label.length).toBeLessThan(100);
    expect(titleOf(entry)).toContain(subject);
    expect(titleOf(byClass(root, "mark", "interaction")[0]!)).toContain(subject);
  });

  it("renders an empty timeline without failing", () => {
    const input = snapshot([]);
    const root = checkTimeline(renderTimelineSvg(input), input);
    expect(root.text).toContain("No interactions recorded");
  });

  it("produces well-formed SVG with one mark per interaction for any timeline", () => {
    const arb = fc.array(
      fc.record({
        channel: fc.string({ minLength: 1, maxLength: 12 }),
        subject: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        direction: fc.constantFrom("inbound" as const, "outbound" as const),
        ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        conversation: fc.integer({ min: 0, max: 15 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 100, max: 3000 }), (rows, width) => {
        const timeline = rows.map((row, k) =>
          interaction(`i${k}`, row.channel, new Date(row.ms).toISOString(), {
            direction: row.direction,
            conversationId: `c${row.conversation}`,
            ...(row.subject === undefined ? {} : { subject: row.subject }),
          }),
        );
        const input = snapshot(timeline);
        checkTimeline(renderTimelineSvg(input, { width }), input);
      }),
      { numRuns: 60 },
    );
  });
});

describe("renderTimelineSvg display options", () => {
  const offer = (id: string, channel: string, at: string) => ({
    id,
    profileId: "p1",
    offerId: "loan",
    offerVersion: 1,
    channel,
    at,
    terms: { apr: 5.9 },
  });

  it("labels and splits days in the given time zone, UTC by default", () => {
    // 21:30 UTC on 1 Apr is 23:30 in Warsaw; 22:30 UTC is 00:30 on 2 Apr there.
    const input = snapshot([
      interaction("i1", "web", "2026-04-01T21:30:00.000Z"),
      interaction("i2", "phone", "2026-04-01T22:30:00.000Z"),
    ]);
    const utc = parseSvg(renderTimelineSvg(input));
    const warsaw = parseSvg(renderTimelineSvg(input, { timeZone: "Europe/Warsaw" }));
    const subtitle = (root: XmlElement) => byClass(root, "subtitle")[0]?.text ?? "";
    expect(subtitle(utc)).toContain("1 Apr 2026 (UTC)");
    expect(subtitle(warsaw)).toContain("1 Apr 2026 – 2 Apr 2026 (Europe/Warsaw)");
    const tip = (root: XmlElement) => titleOf(byClass(root, "mark", "interaction")[1] as XmlElement) ?? "";
    expect(tip(utc)).toMatch(/^2026-04-01 22:30 UTC/);
    expect(tip(warsaw)).toMatch(/^2026-04-02 00:30 Europe\/Warsaw/);
    const tickText = (root: XmlElement) => byClass(root, "tick").map((t) => t.text);
    expect(tickText(warsaw).some((t) => t.includes("2 Apr 2026"))).toBe(true);
    expect(tickText(utc).some((t) => t.includes("2 Apr 2026"))).toBe(false);
    expect(warsaw.text).toContain("time (Europe/Warsaw)");
  });

  it("rejects an unknown time zone and malformed input with a typed error naming the field", () => {
    const input = snapshot([interaction("i1", "web", "2026-04-01T21:30:00.000Z")]);
    const fail = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as InvalidInputError;
      }
      return null;
    };
    expect(fail(() => renderTimelineSvg(input, { timeZone: "Mars/Olympus" }))?.details[0]?.path).toEqual([
      "options",
      "timeZone",
    ]);
    expect(fail(() => renderTimelineSvg(null as never))?.details[0]?.path).toEqual(["snapshot"]);
    const noAt = snapshot([{ ...interaction("i1", "web", "x"), at: undefined } as never]);
    expect(fail(() => renderTimelineSvg(noAt))?.details[0]?.path).toEqual(["snapshot", "timeline", 0, "at"]);
    expect(fail(() => renderTimelineSvg(input, { width: "wide" } as never))?.details[0]?.path).toEqual([
      "options",
      "width",
    ]);
    expect(fail(() => renderTimelineSvg(input, { violations: [null] } as never))).toBeInstanceOf(InvalidInputError);
  });

  it("draws an offer that broke a rule differently from a compliant one", () => {
    const input = snapshot([interaction("i1", "web", "2026-04-01T09:00:00.000Z")], {
      offers: [offer("o1", "web", "2026-04-01T09:05:00.000Z"), offer("o2", "web", "2026-04-01T10:05:00.000Z")],
    });
    const violations = [
      {
        rule: "parity",
        severity: "error" as const,
        message: "APR 6.9 differs from 5.9",
        presentationId: "o2",
        evidence: {},
      },
    ];
    const root = checkTimeline(renderTimelineSvg(input, { violations }), input);
    const offers = byClass(root, "mark", "offer");
    const broken = byClass(root, "mark", "offer", "violation");
    expect(offers).toHaveLength(2);
    expect(broken.map((o) => o.attributes["data-presentation-id"])).toEqual(["o2"]);
    expect(titleOf(broken[0] as XmlElement)).toContain("✖ parity (error): APR 6.9 differs from 5.9");
    const fillOf = (g: XmlElement) => g.children.find((c) => c.name === "path")?.attributes.fill;
    const compliant = offers.find((o) => o.attributes["data-presentation-id"] === "o1") as XmlElement;
    expect(fillOf(compliant)).not.toBe(fillOf(broken[0] as XmlElement));
    expect(root.text).toContain("offer that broke a rule");
    // Without violations nothing is marked.
    expect(byClass(parseSvg(renderTimelineSvg(input)), "violation")).toHaveLength(0);
  });

  it("does not count a lane that holds only offers as a channel", () => {
    const input = snapshot([interaction("i1", "web", "2026-04-01T09:00:00.000Z")], {
      offers: [offer("o1", "branch", "2026-04-01T09:05:00.000Z")],
    });
    const root = checkTimeline(renderTimelineSvg(input), input);
    expect(byClass(root, "subtitle")[0]?.text).toContain("1 interaction · 1 channel ·");
    expect(byClass(root, "lane", "offers-only").map((l) => l.attributes["data-channel"])).toEqual(["branch"]);
  });

  it("labels the first day even when the first tick falls on the next day", () => {
    const input = snapshot([
      interaction("i1", "web", "2026-04-01T23:40:00.000Z"),
      interaction("i2", "web", "2026-04-03T10:00:00.000Z"),
    ]);
    const root = parseSvg(renderTimelineSvg(input));
    const ticks = byClass(root, "tick");
    expect(ticks[0]?.text).toContain("1 Apr");
    for (const t of ticks.slice(1)) expect(t.text).not.toContain("1 Apr");
  });
});
