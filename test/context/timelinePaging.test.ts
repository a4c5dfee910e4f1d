/**
 * Timeline paging (issue 13 item 6, DECISIONS.md "Mission gaps"): `context(ref, { timeline: {
 * limit?, before? } })` gives the newest `limit` interactions before `before`, oldest first, with
 * `timelineHasMore`; without `limit`, everything.
 */
import { describe, expect, it } from "vitest";
import { type CustomerContext, createCustomerContext, InvalidInputError, memoryAdapter } from "../../src/index.js";

const jan = { type: "email", value: "jan@shop.pl" };
const ref = { identifier: jan };
const at = (day: number, hour = 9) =>
  `2026-04-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;

/** Jan: a web chat and a phone call on day 1, then an email thread on day 20 (a second conversation). */
async function janWithHistory(): Promise<{ cc: CustomerContext; ids: string[] }> {
  const cc = createCustomerContext({ clock: () => new Date(at(28)) });
  const ids: string[] = [];
  const items = [
    { channel: "web", direction: "inbound" as const, at: at(1, 9), text: "my card is blocked" },
    { channel: "phone", direction: "inbound" as const, at: at(1, 10), text: "calling about the card" },
    { channel: "phone", direction: "outbound" as const, at: at(1, 11), text: "unblocked" },
    { channel: "email", direction: "inbound" as const, at: at(20, 9), subject: "New card", text: "where is it" },
    { channel: "chat", direction: "inbound" as const, at: at(20, 10), text: "any news?" },
  ];
  for (const item of items) ids.push((await cc.record({ ...item, customer: [jan] })).interactionId);
  return { cc, ids };
}

describe("context timeline paging", () => {
  it("without options returns the whole timeline and no more to page", async () => {
    const { cc, ids } = await janWithHistory();
    const view = await cc.context(ref);
    expect(view?.timeline.map((i) => i.id)).toEqual(ids);
    expect(view?.timelineHasMore).toBe(false);
    expect(view?.conversations.map((c) => c.interactionIds)).toEqual([ids.slice(0, 3), ids.slice(3)]);
    expect(view?.conversations.map((c) => c.interactionCount)).toEqual([3, 2]);
    expect(view?.channelSwitches.map((s) => `${s.from}>${s.to}`)).toEqual(["web>phone", "email>chat"]);
  });

  it("pages from the newest back with limit and before, oldest first within a page", async () => {
    const { cc, ids } = await janWithHistory();
    const first = await cc.context(ref, { timeline: { limit: 2 } });
    expect(first?.timeline.map((i) => i.id)).toEqual(ids.slice(3, 5));
    expect(first?.timelineHasMore).toBe(true);
    const before = first?.timeline[0]?.at as string;
    const second = await cc.context(ref, { timeline: { limit: 2, before } });
    expect(second?.timeline.map((i) => i.id)).toEqual(ids.slice(1, 3));
    expect(second?.timelineHasMore).toBe(true);
    const third = await cc.context(ref, {
      timeline: { limit: 2, before: new Date(second?.timeline[0]?.at as string) },
    });
    expect(third?.timeline.map((i) => i.id)).toEqual(ids.slice(0, 1));
    expect(third?.timelineHasMore).toBe(false);
    // A page that exactly reaches the start has no more either.
    const exact = await cc.context(ref, { timeline: { limit: 5 } });
    expect(exact?.timeline.map((i) => i.id)).toEqual(ids);
    expect(exact?.timelineHasMore).toBe(false);
  });

  it("keeps the conversations, counts, latest and alerts whole while the timeline is a page", async () => {
    const { cc, ids } = await janWithHistory();
    const whole = await cc.context(ref);
    const page = await cc.context(ref, { timeline: { limit: 1 } });
    expect(page?.timeline.map((i) => i.id)).toEqual([ids[4]]);
    // Each conversation lists its interactions in the page; the count is the conversation's.
    expect(page?.conversations.map((c) => c.interactionIds)).toEqual([[], [ids[4]]]);
    expect(page?.conversations.map((c) => c.interactionCount)).toEqual([3, 2]);
    expect(page?.openConversations.map((c) => c.latest.map((i) => i.id))).toEqual(
      whole?.openConversations.map((c) => c.latest.map((i) => i.id)),
    );
    expect(page?.alerts).toEqual(whole?.alerts);
    expect(page?.alerts.map((a) => a.kind)).toContain("unanswered");
    // Switches into the page only.
    expect(page?.channelSwitches.map((s) => s.interactionId)).toEqual([ids[4]]);
  });

  it("with before and no limit returns everything before that time", async () => {
    const { cc, ids } = await janWithHistory();
    const view = await cc.context(ref, { timeline: { before: at(20, 9) } });
    expect(view?.timeline.map((i) => i.id)).toEqual(ids.slice(0, 3));
    expect(view?.timelineHasMore).toBe(false);
  });

  it("stays correct after a late interaction re-stitches the history", async () => {
    const { cc, ids } = await janWithHistory();
    const late = await cc.record({
      channel: "store",
      direction: "inbound",
      at: at(1, 12),
      customer: [jan],
      text: "came to the branch",
    });
    const view = await cc.context(ref, { timeline: { limit: 3 } });
    expect(view?.timeline.map((i) => i.id)).toEqual([late.interactionId, ids[3], ids[4]]);
    expect(view?.conversations[0]?.interactionCount).toBe(4);
    const conversation = await cc.conversations.get(late.conversationId);
    expect(conversation?.interactionIds).toEqual([...ids.slice(0, 3), late.interactionId]);
  });

  it("forget removes the customer's timeline entries with the interactions", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    await cc.record({ channel: "web", direction: "inbound", at: at(1), customer: [jan] });
    await cc.record({
      channel: "sms",
      direction: "inbound",
      at: at(2),
      customer: [{ type: "phone", value: "+48601234567" }],
    });
    const entries = () => storage.transaction((tx) => tx.scan("interaction_timeline"), { readOnly: true });
    expect(await entries()).toHaveLength(2);
    expect(await cc.profiles.forget(ref)).toBe(true);
    expect((await entries()).map((e) => (e.value as { at: string }).at)).toEqual([at(2)]);
  });

  it("rejects bad timeline options with invalid_input naming the field", async () => {
    const { cc } = await janWithHistory();
    const cases: Array<[unknown, string]> = [
      [{ timeline: { limit: 0 } }, "timeline.limit"],
      [{ timeline: { limit: 2.5 } }, "timeline.limit"],
      [{ timeline: { limit: "10" } }, "timeline.limit"],
      [{ timeline: { before: "yesterday" } }, "timeline.before"],
      [{ timeline: { before: "2026-02-30T10:00:00Z" } }, "timeline.before"],
      [{ timeline: { size: 3 } }, "timeline.size"],
      [{ timeline: 5 }, "timeline"],
      [{ page: 1 }, "page"],
    ];
    for (const [options, path] of cases) {
      const error = await cc.context(ref, options as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(InvalidInputError);
      const paths = (error as InvalidInputError).details.map((d) => d.path.join("."));
      expect(paths, JSON.stringify(options)).toContain(path);
    }
  });
});
