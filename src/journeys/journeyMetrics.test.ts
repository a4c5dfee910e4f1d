import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatedJourneys, loanJourneySnapshot } from "../../test/journeys/_fixtures.js";
import { InvalidInputError } from "../errors.js";
import type { Conversation, Interaction } from "../schema/outputs.js";
import { journeyMetrics } from "./journeyMetrics.js";

const T0 = Date.UTC(2026, 3, 2, 10, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function conv(id: string, profileId: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    profileId,
    status: "open",
    channels: [],
    interactionIds: [],
    tags: [],
    startedAt: at(0),
    lastAt: at(0),
    ...extra,
  };
}

function ix(
  id: string,
  conversationId: string,
  channel: string,
  direction: "inbound" | "outbound",
  minutes: number,
  profileId = "p1",
): Interaction {
  return { id, profileId, conversationId, channel, direction, at: at(minutes), identifiers: [], tags: [] };
}

describe("journeyMetrics", () => {
  it("runs the JSDoc example as written", () => {
    const base = { profileId: "p1", conversationId: "c1", identifiers: [], tags: [] };
    const metrics = journeyMetrics({
      conversations: [
        {
          id: "c1",
          profileId: "p1",
          status: "resolved",
          channels: ["web", "phone"],
          interactionIds: ["i1", "i2", "i3"],
          tags: [],
          startedAt: "2026-04-02T10:00:00.000Z",
          lastAt: "2026-04-02T10:05:00.000Z",
          resolvedAt: "2026-04-02T10:05:00.000Z",
        },
      ],
      interactions: [
        { ...base, id: "i1", channel: "web", direction: "inbound", at: "2026-04-02T10:00:00.000Z" },
        { ...base, id: "i2", channel: "phone", direction: "inbound", at: "2026-04-02T10:02:00.000Z" },
        { ...base, id: "i3", channel: "phone", direction: "outbound", at: "2026-04-02T10:05:00.000Z" },
      ],
    });
    expect(metrics.transitions).toEqual([{ from: "web", to: "phone", count: 1 }]);
    expect(metrics.multiChannel.share).toBe(1);
    expect(metrics.firstResponse.medianSeconds).toBe(300);
    expect(metrics.unansweredInbound.rate).toBe(0);
  });

  it("computes every metric exactly on a hand-built example", () => {
    // c1 (p1, resolved at +60): web in 0, web out 10, phone in 20, phone out 25, email out 30, web in 40
    //   transitions: web→phone, phone→email, email→web  (3 switches)
    // c2 (p1, open, started +2 days): phone in, no reply — p1 came back within 7 days of c1's resolution
    // c3 (p2, resolved at +100): email in 50, email out 170          (0 switches), first response 120 min
    // c4 (p3, resolved at +200): chat out 195, chat in 196, phone in 197, phone out 199
    //   transitions: chat→phone (1 switch); first inbound is chat at 196, reply at 199 = 3 min
    const conversations = [
      conv("c1", "p1", { status: "resolved", startedAt: at(0), lastAt: at(40), resolvedAt: at(60) }),
      conv("c2", "p1", { startedAt: at(2 * 1440), lastAt: at(2 * 1440) }),
      conv("c3", "p2", { status: "resolved", startedAt: at(50), lastAt: at(170), resolvedAt: at(100) }),
      conv("c4", "p3", { status: "resolved", startedAt: at(195), lastAt: at(199), resolvedAt: at(200) }),
    ];
    const interactions = [
      ix("a1", "c1", "web", "inbound", 0),
      ix("a2", "c1", "web", "outbound", 10),
      ix("a3", "c1", "phone", "inbound", 20),
      ix("a4", "c1", "phone", "outbound", 25),
      ix("a5", "c1", "email", "outbound", 30),
      ix("a6", "c1", "web", "inbound", 40),
      ix("b1", "c2", "phone", "inbound", 2 * 1440),
      ix("c1i", "c3", "email", "inbound", 50, "p2"),
      ix("c1o", "c3", "email", "outbound", 170, "p2"),
      ix("d1", "c4", "chat", "outbound", 195, "p3"),
      ix("d2", "c4", "chat", "inbound", 196, "p3"),
      ix("d3", "c4", "phone", "inbound", 197, "p3"),
      ix("d4", "c4", "phone", "outbound", 199, "p3"),
    ];
    const metrics = journeyMetrics({ conversations, interactions });
    expect(metrics).toEqual({
      range: { from: null, to: null },
      conversations: 4,
      interactions: 13,
      channels: ["chat", "email", "phone", "web"],
      transitions: [
        { from: "chat", to: "phone", count: 1 },
        { from: "email", to: "web", count: 1 },
        { from: "phone", to: "email", count: 1 },
        { from: "web", to: "phone", count: 1 },
      ],
      totalTransitions: 4,
      multiChannel: { conversations: 4, multiChannel: 2, share: 0.5 },
      // c1 resolved at +60, p1 writes again at +2 days (c2): repeat. c3: p2 never again. c4: p3 never again.
      repeatContact: { windowDays: 7, resolved: 3, repeated: 1, rate: 1 / 3 },
      firstResponse: {
        conversations: 4,
        responded: 3,
        // sorted: 180 s (c4), 600 s (c1), 7200 s (c3)
        medianSeconds: 600,
        p90Seconds: 5880, // 600 + (7200 - 600) * 0.8, type-7 interpolation
        byChannel: [
          { channel: "chat", conversations: 1, responded: 1, medianSeconds: 180, p90Seconds: 180 },
          { channel: "email", conversations: 1, responded: 1, medianSeconds: 7200, p90Seconds: 7200 },
          { channel: "phone", conversations: 1, responded: 0, medianSeconds: null, p90Seconds: null },
          { channel: "web", conversations: 1, responded: 1, medianSeconds: 600, p90Seconds: 600 },
        ],
      },
      // inbound: a1 (answered), a3 (answered), a6 (not), b1 (not), c1i (answered), d2, d3 (answered by d4)
      unansweredInbound: {
        inbound: 7,
        unanswered: 2,
        rate: 2 / 7,
        byChannel: [
          { channel: "chat", inbound: 1, unanswered: 0, rate: 0 },
          { channel: "email", inbound: 1, unanswered: 0, rate: 0 },
          { channel: "phone", inbound: 3, unanswered: 1, rate: 1 / 3 },
          { channel: "web", inbound: 2, unanswered: 1, rate: 0.5 },
        ],
      },
      switchesPerResolved: {
        resolved: 3,
        mean: 4 / 3,
        distribution: [
          { switches: 0, conversations: 1 },
          { switches: 1, conversations: 1 },
          { switches: 3, conversations: 1 },
        ],
      },
    });
    expect(JSON.parse(JSON.stringify(metrics))).toEqual(metrics);
  });

  it("orders equal times by interaction id", () => {
    const metrics = journeyMetrics({
      conversations: [conv("c", "p1")],
      interactions: [ix("b", "c", "phone", "inbound", 0), ix("a", "c", "web", "inbound", 0)],
    });
    expect(metrics.transitions).toEqual([{ from: "web", to: "phone", count: 1 }]);
  });

  it("selects conversations by startedAt in [from, to) and still sees repeat contacts after `to`", () => {
    const conversations = [
      conv("early", "p1", { startedAt: at(-1), lastAt: at(-1) }),
      conv("first", "p1", { status: "resolved", startedAt: at(0), lastAt: at(5), resolvedAt: at(5) }),
      conv("later", "p1", { startedAt: at(60), lastAt: at(60) }),
    ];
    const interactions = [
      ix("e", "early", "sms", "inbound", -1),
      ix("f", "first", "web", "inbound", 0),
      ix("g", "first", "web", "outbound", 5),
      ix("l", "later", "phone", "inbound", 60),
    ];
    const metrics = journeyMetrics({ conversations, interactions, from: at(0), to: new Date(T0 + 60 * 60_000) });
    expect(metrics.range).toEqual({ from: at(0), to: at(60) });
    expect(metrics.conversations).toBe(1);
    expect(metrics.interactions).toBe(2);
    expect(metrics.channels).toEqual(["web"]);
    expect(metrics.repeatContact).toEqual({ windowDays: 7, resolved: 1, repeated: 1, rate: 1 });
  });

  it("counts a repeat only strictly after the resolution and within the window", () => {
    const conversations = [conv("c", "p1", { status: "resolved", startedAt: at(0), lastAt: at(0), resolvedAt: at(0) })];
    const repeatAt = (minutes: number, windowDays?: number) =>
      journeyMetrics(
        {
          conversations,
          interactions: [ix("a", "c", "web", "inbound", 0), ix("b", "other", "web", "inbound", minutes)],
        },
        windowDays === undefined ? {} : { repeatWindowDays: windowDays },
      ).repeatContact.repeated;
    expect(repeatAt(7 * 1440)).toBe(1);
    expect(repeatAt(7 * 1440 + 1)).toBe(0);
    expect(repeatAt(0)).toBe(0);
    expect(repeatAt(61, 1 / 24)).toBe(0);
    expect(repeatAt(59, 1 / 24)).toBe(1);
  });

  it("ignores outbound contacts and other customers when looking for repeats", () => {
    const conversations = [conv("c", "p1", { status: "resolved", startedAt: at(0), lastAt: at(0), resolvedAt: at(0) })];
    const metrics = journeyMetrics({
      conversations,
      interactions: [
        ix("a", "c", "web", "inbound", 0),
        ix("b", "x", "email", "outbound", 10),
        ix("c", "y", "email", "inbound", 10, "p2"),
      ],
    });
    expect(metrics.repeatContact.repeated).toBe(0);
  });

  it("falls back to a conversation's channels when none of its interactions are given", () => {
    const metrics = journeyMetrics({
      conversations: [conv("c", "p1", { channels: ["web", "phone"] }), conv("d", "p1", { channels: ["sms"] })],
      interactions: [],
    });
    expect(metrics.multiChannel).toEqual({ conversations: 2, multiChannel: 1, share: 0.5 });
    expect(metrics.channels).toEqual(["phone", "sms", "web"]);
    expect(metrics.transitions).toEqual([]);
  });

  it("returns null rates, not NaN, when there is nothing to measure", () => {
    const metrics = journeyMetrics({ conversations: [], interactions: [] });
    expect(metrics.multiChannel.share).toBeNull();
    expect(metrics.repeatContact.rate).toBeNull();
    expect(metrics.firstResponse.medianSeconds).toBeNull();
    expect(metrics.unansweredInbound.rate).toBeNull();
    expect(metrics.switchesPerResolved.mean).toBeNull();
    expect(JSON.stringify(metrics)).not.toContain("NaN");
  });

  it("rejects a bad range, window or time with an InvalidInputError naming the field", () => {
    const empty = { conversations: [], interactions: [] };
    expect(() => journeyMetrics({ ...empty, from: "yesterday" })).toThrow(InvalidInputError);
    expect(() => journeyMetrics({ ...empty, to: new Date(Number.NaN) })).toThrow(/to/);
    expect(() => journeyMetrics(empty, { repeatWindowDays: -1 })).toThrow(/repeatWindowDays/);
    expect(() => journeyMetrics(empty, { repeatWindowDays: Number.POSITIVE_INFINITY })).toThrow(InvalidInputError);
    expect(() =>
      journeyMetrics({
        conversations: [conv("c", "p1")],
        interactions: [{ ...ix("i", "c", "web", "inbound", 0), at: "no" }],
      }),
    ).toThrow(/interactions\[i\]\.at/);
  });

  it("measures the loan journey: web → phone → email → store in one conversation", () => {
    const snapshot = loanJourneySnapshot();
    const metrics = journeyMetrics({ conversations: snapshot.conversations, interactions: snapshot.timeline });
    expect(metrics.transitions).toEqual([
      { from: "email", to: "store", count: 1 },
      { from: "phone", to: "email", count: 1 },
      { from: "web", to: "phone", count: 1 },
    ]);
    expect(metrics.multiChannel).toEqual({ conversations: 3, multiChannel: 1, share: 1 / 3 });
    // The social complaint's last message is unanswered.
    expect(metrics.unansweredInbound.byChannel.find((row) => row.channel === "social")).toEqual({
      channel: "social",
      inbound: 2,
      unanswered: 1,
      rate: 0.5,
    });
    // Web: the application at 09:14:00 was acknowledged at 09:14:30.
    expect(metrics.firstResponse.byChannel.find((row) => row.channel === "web")?.medianSeconds).toBe(30);
  });
});

// Property tests over random journeys.
const channelArb = fc.constantFrom("web", "phone", "email", "store", "social", "a&b", "<x>");
const interactionArb = fc.record({
  conversation: fc.integer({ min: 0, max: 5 }),
  profile: fc.integer({ min: 0, max: 2 }),
  channel: channelArb,
  direction: fc.constantFrom("inbound" as const, "outbound" as const),
  minute: fc.integer({ min: 0, max: 20 * 1440 }),
});
const datasetArb = fc
  .record({
    rows: fc.array(interactionArb, { maxLength: 40 }),
    resolved: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .map(({ rows, resolved }) => {
    const interactions = rows.map((row, index) =>
      ix(`i${index}`, `c${row.conversation}`, row.channel, row.direction, row.minute, `p${row.conversation % 3}`),
    );
    const conversations: Conversation[] = [];
    for (let c = 0; c < 6; c += 1) {
      const own = interactions.filter((i) => i.conversationId === `c${c}`);
      const times = own.map((i) => Date.parse(i.at));
      const start = times.length > 0 ? Math.min(...times) : T0;
      const end = times.length > 0 ? Math.max(...times) : T0;
      conversations.push(
        conv(`c${c}`, `p${c % 3}`, {
          status: resolved[c] ? "resolved" : "open",
          startedAt: new Date(start).toISOString(),
          lastAt: new Date(end).toISOString(),
          channels: [...new Set(own.map((i) => i.channel))],
          ...(resolved[c] ? { resolvedAt: new Date(end).toISOString() } : {}),
        }),
      );
    }
    return { conversations, interactions };
  });

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("journeyMetrics properties", () => {
  it("transition counts sum to the channel changes between consecutive interactions", () => {
    fc.assert(
      fc.property(datasetArb, ({ conversations, interactions }) => {
        const metrics = journeyMetrics({ conversations, interactions });
        let changes = 0;
        for (const conversation of conversations) {
          const own = interactions
            .filter((i) => i.conversationId === conversation.id)
            .sort((a, b) => a.at.localeCompare(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          for (let k = 1; k < own.length; k += 1) if (own[k]!.channel !== own[k - 1]!.channel) changes += 1;
        }
        expect(metrics.totalTransitions).toBe(changes);
        expect(metrics.transitions.reduce((sum, t) => sum + t.count, 0)).toBe(changes);
        expect(metrics.transitions.every((t) => t.from !== t.to && t.count > 0)).toBe(true);
        const sumDistribution = metrics.switchesPerResolved.distribution.reduce((sum, d) => sum + d.conversations, 0);
        expect(sumDistribution).toBe(metrics.switchesPerResolved.resolved);
      }),
    );
  });

  it("keeps every rate in [0, 1], every time non-negative and p90 >= median", () => {
    fc.assert(
      fc.property(datasetArb, ({ conversations, interactions }) => {
        const m = journeyMetrics({ conversations, interactions });
        const rates = [
          m.multiChannel.share,
          m.repeatContact.rate,
          m.unansweredInbound.rate,
          ...m.unansweredInbound.byChannel.map((r) => r.rate),
        ];
        for (const rate of rates) if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
        for (const row of [m.firstResponse, ...m.firstResponse.byChannel]) {
          if (row.medianSeconds === null) {
            expect(row.responded).toBe(0);
            continue;
          }
          expect(row.medianSeconds).toBeGreaterThanOrEqual(0);
          expect(row.p90Seconds!).toBeGreaterThanOrEqual(row.medianSeconds);
          expect(row.responded).toBeLessThanOrEqual(row.conversations);
        }
        expect(m.firstResponse.conversations).toBe(
          m.firstResponse.byChannel.reduce((sum, row) => sum + row.conversations, 0),
        );
        expect(m.unansweredInbound.inbound).toBe(interactions.filter((i) => i.direction === "inbound").length);
      }),
    );
  });

  it("does not depend on the order of the input arrays", () => {
    fc.assert(
      fc.property(datasetArb, fc.integer(), ({ conversations, interactions }, seed) => {
        const a = journeyMetrics({ conversations, interactions });
        const b = journeyMetrics({
          conversations: shuffle(conversations, seed),
          interactions: shuffle(interactions, seed + 1),
        });
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
    );
  });

  it("splits into ranges that add up: [from, mid) + [mid, to) = [from, to)", () => {
    fc.assert(
      fc.property(datasetArb, fc.integer({ min: 0, max: 20 * 1440 }), ({ conversations, interactions }, mid) => {
        const whole = journeyMetrics({ conversations, interactions, from: at(0), to: at(30 * 1440) });
        const first = journeyMetrics({ conversations, interactions, from: at(0), to: at(mid) });
        const second = journeyMetrics({ conversations, interactions, from: at(mid), to: at(30 * 1440) });
        expect(first.conversations + second.conversations).toBe(whole.conversations);
        expect(first.totalTransitions + second.totalTransitions).toBe(whole.totalTransitions);
        expect(first.repeatContact.repeated + second.repeatContact.repeated).toBe(whole.repeatContact.repeated);
        expect(first.unansweredInbound.unanswered + second.unansweredInbound.unanswered).toBe(
          whole.unansweredInbound.unanswered,
        );
      }),
    );
  });

  it("is stable on the generated 50-conversation data set", () => {
    const data = generatedJourneys(50);
    const metrics = journeyMetrics(data);
    expect(metrics.conversations).toBe(50);
    expect(metrics.interactions).toBe(data.interactions.length);
    expect(journeyMetrics(data)).toEqual(metrics);
  });
});
