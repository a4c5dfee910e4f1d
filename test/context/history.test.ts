/**
 * History can be imported: every operation that records a decision takes an optional `at`, and
 * the derived state (conversation status, offer checks, explanations) sees the decision from that
 * time on. The clock stands in December, long after the imported April history, as it does when
 * a helpdesk export is loaded today.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CustomerContextEvent,
  createCustomerContext,
  InvalidInputError,
  isCustomerContextError,
} from "../../src/index.js";

const NOW = "2026-12-01T00:00:00.000Z";
const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const apr = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00.000Z`;

function setup() {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(NOW) });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events };
}

const loan = { id: "loan", name: "Personal loan", category: "marketing" as const, terms: { apr: 5.9 } };
const jan = [email("jan@poczta.pl")];

/** The error `fn` rejects with (fails the test when it resolves). */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  return fn().then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e,
  );
}

function expectInvalidAt(error: unknown): void {
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).details.map((i) => i.path)).toEqual([["at"]]);
}

async function complaint(cc: ReturnType<typeof setup>["cc"], at = apr(2)) {
  await cc.offers.define({ ...loan, at: "2026-01-01T00:00:00Z" });
  return cc.record({ channel: "email", direction: "inbound", at, customer: jan, subject: "Fee", tags: ["complaint"] });
}

const checkAt = (cc: ReturnType<typeof setup>["cc"], at: string) =>
  cc.offers.check({ customer: jan, offerId: "loan", channel: "web", at, terms: loan.terms });

describe("conversations.resolve(id, { at })", () => {
  it("keeps an imported resolution time: a historical check sees the complaint resolved from `at` on", async () => {
    const { cc, events } = setup();
    const { conversationId } = await complaint(cc);
    const resolved = await cc.conversations.resolve(conversationId, { at: "2026-04-04T10:00:00+02:00" });
    expect(resolved).toMatchObject({ status: "resolved", resolvedAt: apr(4, 8) });
    expect(events.filter((e) => e.type === "conversation.resolved").map((e) => e.at)).toEqual([apr(4, 8)]);
    expect((await checkAt(cc, apr(3))).violations.map((v) => v.rule)).toEqual(["complaint-suppression"]);
    expect(await checkAt(cc, apr(4, 8))).toEqual({ ok: true, violations: [] });
    expect(await checkAt(cc, apr(5))).toEqual({ ok: true, violations: [] });
  });

  it("without `at` resolves now, after everything recorded, so April checks still see the complaint open", async () => {
    const { cc } = setup();
    const { conversationId } = await complaint(cc);
    expect((await cc.conversations.resolve(conversationId)).resolvedAt).toBe(NOW);
    expect((await checkAt(cc, apr(5))).violations.map((v) => v.rule)).toEqual(["complaint-suppression"]);
  });

  it("covers the interactions up to `at`: a later one starts anew, as if recorded after the resolution", async () => {
    const later = { channel: "chat", direction: "inbound" as const, at: apr(9), customer: jan, text: "one more thing" };
    const imported = setup().cc;
    const { conversationId } = await complaint(imported);
    await imported.record(later);
    await imported.conversations.resolve(conversationId, { at: apr(3) });

    const live = setup().cc;
    const first = await complaint(live);
    await live.conversations.resolve(first.conversationId, { at: apr(3) });
    await live.record(later);

    const shape = async (cc: typeof live) =>
      (await cc.conversations.list({ identifier: jan[0] as { type: string; value: string } })).map((c) => ({
        status: c.status,
        resolvedAt: c.resolvedAt,
        channels: c.channels,
      }));
    const expected = [
      { status: "resolved", resolvedAt: apr(3), channels: ["email"] },
      { status: "open", resolvedAt: undefined, channels: ["chat"] },
    ];
    expect(await shape(imported)).toEqual(expected);
    expect(await shape(live)).toEqual(expected);
  });

  it("property: resolving at `at` after importing everything equals resolving live at `at`", async () => {
    const hour = (h: number) => new Date(Date.UTC(2026, 3, 1, h)).toISOString();
    const interaction = fc.record({
      h: fc.integer({ min: 0, max: 24 * 20 }),
      channel: fc.constantFrom("email", "phone", "chat"),
      thread: fc.option(fc.constantFrom("t1", "t2"), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(interaction, { minLength: 1, maxLength: 6, selector: (i) => i.h }),
        fc.integer({ min: 0, max: 24 * 20 }),
        async (items, offset) => {
          const sorted = [...items].sort((a, b) => a.h - b.h);
          const first = sorted[0] as (typeof sorted)[number];
          const at = hour(first.h + offset);
          const input = (i: (typeof sorted)[number]) => ({
            channel: i.channel,
            direction: "inbound" as const,
            at: hour(i.h),
            customer: jan,
            ...(i.thread !== undefined ? { threadKey: i.thread } : {}),
          });
          const imported = setup().cc;
          const { conversationId } = await imported.record(input(first));
          for (const i of sorted.slice(1)) await imported.record(input(i));
          await imported.conversations.resolve(conversationId, { at });

          const live = setup().cc;
          for (const i of sorted.filter((x) => hour(x.h) <= at)) await live.record(input(i));
          await live.conversations.resolve(conversationId, { at });
          for (const i of sorted.filter((x) => hour(x.h) > at)) await live.record(input(i));

          const shape = async (cc: typeof live) =>
            (await cc.conversations.list({ identifier: email("jan@poczta.pl") })).map((c) => ({
              id: c.id,
              status: c.status,
              resolvedAt: c.resolvedAt,
              interactions: [...c.interactionIds].sort(),
            }));
          expect(await shape(imported)).toEqual(await shape(live));
          await imported.close();
          await live.close();
        },
      ),
      { numRuns: 30 },
    );
  });

  it("rejects a bad `at` naming the field, and writes nothing", async () => {
    const { cc, events } = setup();
    const { conversationId } = await complaint(cc);
    const quiet = events.length;
    for (const at of ["2026-02-30T00:00:00Z", "yesterday", "2026-04-05T10:00:00", 5]) {
      expectInvalidAt(await rejection(() => cc.conversations.resolve(conversationId, { at } as never)));
    }
    // Before the conversation started: nothing to resolve yet.
    expectInvalidAt(await rejection(() => cc.conversations.resolve(conversationId, { at: apr(1) })));
    const unknown = await rejection(() => cc.conversations.resolve(conversationId, { when: apr(5) } as never));
    expect((unknown as InvalidInputError).details).toEqual([
      { path: ["when"], code: "unrecognized_key", message: 'unknown key "when"' },
    ]);
    expect(events.length).toBe(quiet);
    expect((await cc.conversations.get(conversationId))?.status).toBe("open");
  });

  it("ingest `resolve` items keep their `at`; one before the conversation started is rejected by index", async () => {
    const { cc } = setup();
    const { conversationId } = await complaint(cc);
    const summary = await cc.ingest([
      { kind: "resolve", conversationId, at: apr(1), id: "r-0" },
      { kind: "resolve", conversationId, at: apr(4), id: "r-1" },
    ]);
    expect(summary.kept).toBe(1);
    expect(
      summary.rejected.map((r) => [r.index, r.error.code, (r.error.details as { path: unknown[] }[])[0]?.path]),
    ).toEqual([[0, "invalid_input", ["at"]]]);
    expect((await cc.conversations.get(conversationId))?.resolvedAt).toBe(apr(4));
    expect(await checkAt(cc, apr(5))).toEqual({ ok: true, violations: [] });
  });
});

describe("conversations.merge(a, b, { at })", () => {
  async function twoConversations(cc: ReturnType<typeof setup>["cc"]) {
    const a = await cc.record({ channel: "email", direction: "inbound", at: apr(2), customer: jan, subject: "Card" });
    const b = await cc.record({ channel: "chat", direction: "inbound", at: apr(8), customer: jan, threadKey: "t-1" });
    expect(a.conversationId).not.toBe(b.conversationId);
    await cc.conversations.resolve(a.conversationId, { at: apr(10) });
    return { a: a.conversationId, b: b.conversationId };
  }

  it("dates the merge: merged before the resolution, the merged conversation stays resolved", async () => {
    const { cc } = setup();
    const { a, b } = await twoConversations(cc);
    const merged = await cc.conversations.merge(b, a, { at: apr(9) });
    expect(merged).toMatchObject({ id: a, status: "resolved", resolvedAt: apr(10), channels: ["email", "chat"] });
    expect((await cc.conversations.get(b))?.id).toBe(a);
  });

  it("without `at` merges now: an open conversation merged into a resolved one reopens it", async () => {
    const { cc } = setup();
    const { a, b } = await twoConversations(cc);
    const merged = await cc.conversations.merge(b, a);
    expect(merged).toMatchObject({ id: a, status: "open", channels: ["email", "chat"] });
    expect(merged.resolvedAt).toBeUndefined();
  });

  it("rejects a bad `at`, or one before both conversations started, naming the field, and writes nothing", async () => {
    const { cc } = setup();
    const { a, b } = await twoConversations(cc);
    expectInvalidAt(await rejection(() => cc.conversations.merge(b, a, { at: "2026-04-31T00:00:00Z" })));
    expectInvalidAt(await rejection(() => cc.conversations.merge(b, a, { at: new Date(Number.NaN) })));
    expectInvalidAt(await rejection(() => cc.conversations.merge(b, a, { at: apr(5) })));
    expect((await cc.conversations.get(b))?.id).toBe(b);
  });
});

describe("profiles.merge / profiles.unmerge with { at }", () => {
  it("an imported merge keeps its time in the explanation, the event and the ingest item", async () => {
    const { cc, events } = setup();
    const { profileId: a } = await cc.identify({ identifiers: jan, at: apr(1) });
    const { profileId: b } = await cc.identify({ identifiers: [phone("601234567")], at: apr(2) });
    const result = await cc.profiles.merge(a, b, { reason: "same person", by: "agent-7", at: "2026-04-03T12:00:00Z" });
    expect(result).toEqual({ profileId: a, merged: [b] });
    const why = await cc.profiles.explain(a);
    expect(why.edges.filter((e) => e.kind === "operator").map((e) => [e.at, e.reason])).toEqual([
      [apr(3, 12), "same person"],
    ]);
    expect(events.filter((e) => e.type === "profile.merged").map((e) => e.at)).toEqual([apr(3, 12)]);

    const viaIngest = setup().cc;
    const x = await viaIngest.identify({ identifiers: jan, at: apr(1) });
    const y = await viaIngest.identify({ identifiers: [phone("601234567")], at: apr(2) });
    await viaIngest.ingest([{ kind: "merge", a: x.profileId, b: y.profileId, reason: "same person", at: apr(3, 12) }]);
    const edges = (await viaIngest.profiles.explain(x.profileId)).edges.filter((e) => e.kind === "operator");
    expect(edges.map((e) => e.at)).toEqual([apr(3, 12)]);
  });

  it("an imported unmerge keeps its time in the separation and the event", async () => {
    const { cc, events } = setup();
    const { profileId } = await cc.identify({ identifiers: [...jan, phone("601234567")], at: apr(1) });
    const { detachedProfileId } = await cc.profiles.unmerge(profileId, phone("601234567"), {
      reason: "shared phone",
      at: apr(6),
    });
    expect(detachedProfileId).not.toBe(profileId);
    const why = await cc.profiles.explain(profileId);
    expect(why.separations.map((s) => [s.at, s.reason, s.active])).toEqual([[apr(6), "shared phone", true]]);
    expect(events.filter((e) => e.type === "profile.split").map((e) => e.at)).toEqual([apr(6)]);
  });

  it("rejects a bad `at` naming `at`, and writes nothing", async () => {
    const { cc, events } = setup();
    const { profileId: a } = await cc.identify({ identifiers: jan, at: apr(1) });
    const { profileId: b } = await cc.identify({ identifiers: [phone("601234567")], at: apr(2) });
    const quiet = events.length;
    expectInvalidAt(await rejection(() => cc.profiles.merge(a, b, { reason: "x", at: "2026-04-03" })));
    expectInvalidAt(await rejection(() => cc.profiles.merge(a, b, { reason: "x", at: "2026-04-03T25:00:00Z" })));
    expectInvalidAt(
      await rejection(() =>
        cc.profiles.unmerge(a, email("jan@poczta.pl"), { reason: "x", at: "10000-01-01T00:00:00Z" }),
      ),
    );
    expect(events.length).toBe(quiet);
    expect((await cc.profiles.get({ profileId: b }))?.id).toBe(b);
  });
});

describe("offers.define({ at }): the version in effect at a time", () => {
  const v1 = { ...loan, terms: { apr: 5.9 }, at: "2026-03-01T00:00:00Z" };
  const v2 = { ...loan, terms: { apr: 6.9 }, at: "2026-04-01T00:00:00Z" };
  const quote = (cc: ReturnType<typeof setup>["cc"], at: string, aprValue: number) =>
    cc.offers.check({ customer: jan, offerId: "loan", channel: "web", at, terms: { apr: aprValue } });

  it.each([
    ["in order", [v1, v2]],
    ["out of order", [v2, v1]],
  ])("checks before, between and after two versions defined %s", async (_name, definitions) => {
    const { cc } = setup();
    for (const d of definitions) await cc.offers.define(d);
    // Before the first version was recorded: the latest one applies (as without any `at`).
    expect((await quote(cc, "2026-02-01T00:00:00Z", 6.9)).ok).toBe(true);
    expect((await quote(cc, "2026-02-01T00:00:00Z", 5.9)).violations.map((v) => v.rule)).toEqual(["parity"]);
    expect((await quote(cc, "2026-03-15T00:00:00Z", 5.9)).ok).toBe(true);
    expect((await quote(cc, "2026-03-15T00:00:00Z", 6.9)).violations.map((v) => v.rule)).toEqual(["parity"]);
    expect((await quote(cc, "2026-04-01T00:00:00Z", 6.9)).ok).toBe(true);
    expect((await quote(cc, "2026-04-20T00:00:00Z", 5.9)).violations.map((v) => v.rule)).toEqual(["parity"]);
  });

  it("records the version at `at`; replaying the same catalogue history changes nothing", async () => {
    const { cc, events } = setup();
    expect(await cc.offers.define(v2)).toMatchObject({ version: 1, definedAt: "2026-04-01T00:00:00.000Z" });
    expect(await cc.offers.define(v1)).toMatchObject({ version: 2, definedAt: "2026-03-01T00:00:00.000Z" });
    const defined = events.filter((e) => e.type === "offer.defined").length;
    expect(await cc.offers.define(v1)).toMatchObject({ version: 2 });
    expect(await cc.offers.define(v2)).toMatchObject({ version: 1 });
    const summary = await cc.ingest([
      { kind: "offer", ...v1 },
      { kind: "offer", ...v2 },
    ]);
    expect(summary.duplicates).toBe(2);
    expect(events.filter((e) => e.type === "offer.defined").length).toBe(defined);
    expect(events.filter((e) => e.type === "offer.defined").map((e) => e.at)).toEqual([
      "2026-04-01T00:00:00.000Z",
      "2026-03-01T00:00:00.000Z",
    ]);
  });

  it("present and audit use the version in effect at the presentation, also one imported later", async () => {
    const { cc } = setup();
    await cc.offers.define(v1);
    const shown = await cc.offers.present({
      customer: jan,
      offerId: "loan",
      channel: "web",
      at: apr(20),
      terms: { apr: 6.9 },
    });
    expect(shown.violations.map((v) => [v.rule, v.presentationId])).toEqual([["parity", shown.presentationId]]);
    // The April price list arrives later in the import: the April presentation was compliant.
    await cc.offers.define(v2);
    expect(await cc.offers.audit()).toEqual([]);
    const view = await cc.context({ identifier: email("jan@poczta.pl") });
    expect(view?.offers.map((p) => p.offerVersion)).toEqual([2]);
    // A presentation before the April version is still held to the March one.
    await cc.offers.present({
      customer: jan,
      offerId: "loan",
      channel: "phone",
      at: "2026-03-20T00:00:00Z",
      terms: { apr: 6.9 },
    });
    const audited = await cc.offers.audit();
    expect(audited.map((v) => [v.rule, v.channel])).toEqual([["parity", "phone"]]);
    expect(audited[0]?.presentationId).toEqual(expect.any(String));
  });

  it("a catalogue defined after its history without `at`: each presentation keeps the version current when it was made", async () => {
    const { cc } = setup();
    const ewa = [email("ewa@poczta.pl")];
    await cc.offers.define(loan);
    const early = await cc.offers.present({
      customer: jan,
      offerId: "loan",
      channel: "web",
      at: apr(1),
      terms: { apr: 5.9 },
    });
    expect(early.violations).toEqual([]);
    await cc.offers.define({ ...loan, terms: { apr: 6.9 } });
    const late = await cc.offers.present({
      customer: ewa,
      offerId: "loan",
      channel: "web",
      at: apr(3),
      terms: { apr: 6.9 },
    });
    expect(late.violations).toEqual([]);
    // No version was recorded by April (both at the clock's December): the latest one applies to checks.
    expect(
      (await cc.offers.check({ customer: ewa, offerId: "loan", channel: "web", at: apr(1), terms: { apr: 6.9 } })).ok,
    ).toBe(true);
    expect(await cc.offers.audit()).toEqual([]);
    expect((await cc.context({ identifier: email("jan@poczta.pl") }))?.offers.map((p) => p.offerVersion)).toEqual([1]);
  });

  it("property: a check at T uses the latest version recorded at or before T, in any definition order", async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 70 }),
        fc.func(fc.integer()),
        async (days, t, shuffle) => {
          const { cc } = setup();
          // Version recorded on day d offers apr d + 1: the expected terms name the version.
          const defs = days.map((d) => ({ ...loan, terms: { apr: d + 1 }, at: day(d) }));
          const order = [...defs].sort((a, b) => shuffle(a.at) - shuffle(b.at) || a.at.localeCompare(b.at));
          for (const d of order) await cc.offers.define(d);
          const sorted = [...days].sort((a, b) => a - b);
          const inEffect = [...sorted].reverse().find((d) => d <= t) ?? (sorted[sorted.length - 1] as number);
          const result = await quote(cc, day(t), inEffect + 1);
          expect(result).toEqual({ ok: true, violations: [] });
          if (sorted.length > 1) {
            const other = sorted.find((d) => d !== inEffect) as number;
            expect((await quote(cc, day(t), other + 1)).violations.map((v) => v.rule)).toEqual(["parity"]);
          }
          await cc.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("rejects a bad `at` naming the field, and writes nothing", async () => {
    const { cc, events } = setup();
    for (const at of ["2026-13-01T00:00:00Z", "2026-03-01", "", null]) {
      expectInvalidAt(await rejection(() => cc.offers.define({ ...loan, at } as never)));
    }
    const summary = await cc.ingest([{ kind: "offer", ...loan, at: "1 March" }]);
    expect(summary.rejected.map((r) => (r.error as InvalidInputError).details.map((i) => i.path))).toEqual([[["at"]]]);
    expect(events).toEqual([]);
    const missing = await rejection(() => checkAt(cc, apr(1)));
    expect(isCustomerContextError(missing, "not_found")).toBe(true);
  });
});

describe("offers.check has no presentation id", () => {
  it("check violations carry none, present and audit violations do", async () => {
    const { cc } = setup();
    await cc.offers.define(loan);
    await cc.identify({ identifiers: jan, at: apr(1) });
    const checked = await cc.offers.check({
      customer: jan,
      offerId: "loan",
      channel: "web",
      at: apr(2),
      terms: { apr: 7 },
    });
    expect(checked.violations.map((v) => v.rule)).toEqual(["parity"]);
    for (const v of checked.violations) expect(Object.keys(v)).not.toContain("presentationId");
    const unknown = await cc.offers.check({
      customer: [email("nobody@poczta.pl")],
      offerId: "loan",
      channel: "web",
      at: apr(2),
      terms: { apr: 7 },
    });
    for (const v of unknown.violations) expect(Object.keys(v)).not.toContain("presentationId");
    const shown = await cc.offers.present({
      customer: jan,
      offerId: "loan",
      channel: "web",
      at: apr(2),
      terms: { apr: 7 },
    });
    expect(shown.violations.map((v) => v.presentationId)).toEqual([shown.presentationId]);
    expect((await cc.offers.audit()).map((v) => v.presentationId)).toEqual([shown.presentationId]);
  });
});
