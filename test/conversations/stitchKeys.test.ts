/**
 * Stitch keys (`stitch_keys`): a profile's thread keys and case references are documents of
 * their own, not maps in its stitch state. A store written before them is re-stitched once, and
 * forget takes them with the customer.
 */
import { describe, expect, it } from "vitest";
import { createCustomerContext, memoryAdapter } from "../../src/index.js";

const customer = [{ type: "email", value: "jan@shop.pl" }];
const ref = { identifier: { type: "email", value: "jan@shop.pl" } };
const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
const chat = (day: number, threadKey: string, caseRef?: string) => ({
  channel: "chat",
  direction: "inbound" as const,
  at: at(day),
  customer,
  externalId: `chat-${day}`,
  threadKey,
  ...(caseRef === undefined ? {} : { caseRef }),
});

async function keys(storage: ReturnType<typeof memoryAdapter>) {
  return storage.transaction((tx) => tx.scan<{ profileId: string; conversationId: string }>("stitch_keys"));
}

describe("stitch keys", () => {
  it("keep one document per thread key and case reference, pointing at its latest conversation", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    const first = await cc.record(chat(1, "T-1", "CASE-1"));
    const second = await cc.record(chat(10, "T-2"));
    // Ten days later, in the first thread: back to the first conversation.
    const again = await cc.record(chat(11, "T-1"));
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(again.conversationId).toBe(first.conversationId);
    const stored = await keys(storage);
    expect(stored.map((d) => d.value.conversationId).sort()).toEqual(
      [first.conversationId, first.conversationId, second.conversationId].sort(),
    );
    const [state] = await storage.transaction((tx) => tx.scan<Record<string, unknown>>("stitch_state"));
    expect(Object.keys(state?.value ?? {}).sort()).toEqual(["lastAt", "lastDecisionAt", "lastId", "open"]);
  });

  it("a stitch state written before them (threads and cases inside) is re-stitched once by the next record", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    const first = await cc.record(chat(1, "T-1", "CASE-1"));
    const second = await cc.record(chat(10, "T-2"));
    // What an older version stored: the maps in the state, no stitch keys.
    await storage.transaction(async (tx) => {
      const [state] = await tx.scan<Record<string, unknown>>("stitch_state");
      if (!state) throw new Error("no stitch state");
      await tx.put("stitch_state", state.key, {
        ...state.value,
        threads: { "chat\u0000T-1": first.conversationId },
        cases: { "CASE-1": first.conversationId },
      });
      for (const { key } of await tx.scan("stitch_keys")) await tx.delete("stitch_keys", key);
    });
    // The case reference still leads to the first conversation, through the re-stitch.
    const later = await cc.record({ ...chat(20, "T-3", "CASE-1"), externalId: "chat-20" });
    expect(later.conversationId).toBe(first.conversationId);
    const [state] = await storage.transaction((tx) => tx.scan<Record<string, unknown>>("stitch_state"));
    expect(state?.value.threads).toBeUndefined();
    expect(state?.value.cases).toBeUndefined();
    expect(await keys(storage)).toHaveLength(4);
    // From then on, incrementally.
    const reply = await cc.record({ ...chat(21, "T-2"), externalId: "chat-21" });
    expect(reply.conversationId).toBe(second.conversationId);
  });

  it("are erased with the customer", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    await cc.record(chat(1, "T-1", "CASE-1"));
    await cc.record({ ...chat(2, "T-1"), customer: [{ type: "email", value: "other@shop.pl" }], externalId: "o" });
    expect(await keys(storage)).toHaveLength(3);
    await cc.profiles.forget(ref);
    const left = await keys(storage);
    expect(left).toHaveLength(1);
    const other = await cc.profiles.get({ identifier: { type: "email", value: "other@shop.pl" } });
    expect(left[0]?.value.profileId).toBe(other?.id);
  });

  it("move to the surviving profile when two customers merge", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    await cc.record(chat(1, "T-1"));
    await cc.record({ ...chat(2, "T-2"), customer: [{ type: "phone", value: "+48600100200" }], externalId: "p" });
    await cc.identify({
      identifiers: [customer[0] as { type: string; value: string }, { type: "phone", value: "+48600100200" }],
      at: at(3),
    });
    const profile = await cc.profiles.get(ref);
    const stored = await keys(storage);
    expect(stored).toHaveLength(2);
    expect(stored.every((d) => d.value.profileId === profile?.id)).toBe(true);
  });
});
