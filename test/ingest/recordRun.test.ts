/**
 * The bulk record path of `cc.ingest` (a run of record items: one bulk read of what they name,
 * one bulk observation, stitch states and conversations read and written once) ends in the same
 * store as applying the items one by one: every document and every event, in the same order.
 */

import { arbitraries, faultyAdapter } from "customer-context/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";

const OPTIONS = { identity: { defaultRegion: "PL" }, clock: () => new Date("2026-05-01T00:00:00Z") } as const;

/** What the record path writes (identity's own collections are pinned by the identity tests). */
const CONVERSATION_COLLECTIONS = [
  "interactions",
  "interaction_evidence",
  "conversations",
  "conversation_aliases",
  "conversation_decisions",
  "stitch_state",
  "stitch_keys",
  "interaction_timeline",
  "idempotency_keys",
  "identity_reviews",
];

/** The store and what each item returned, ingested in batches of `batchSize`. */
async function ingested(items: readonly IngestItem[], batchSize: number) {
  // The kit's wrapper, for its dump of every collection used and the event log (it injects nothing).
  const storage = faultyAdapter(memoryAdapter());
  const cc = createCustomerContext({ ...OPTIONS, storage });
  const results: unknown[] = [];
  const summary = await cc.ingest(items, {
    batchSize,
    onResult: (index, applied) => results.push([index, applied]),
  });
  return { summary, results, store: await storage.dump() };
}

const records = arbitraries.workload({
  kinds: ["record"],
  customers: 3,
  maxItems: 30,
  channels: ["email", "phone", "chat", "web"],
  spacing: { min: 0, max: 600 },
});

const mixed = arbitraries.workload({
  kinds: ["identify", "record"],
  customers: 3,
  maxItems: 30,
  channels: ["email", "phone", "chat", "web"],
  spacing: { min: 0, max: 600 },
});

describe("a run of record items in one batch", () => {
  it("equals applying them one by one: documents, events and results", async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: 2, max: 40 }), async (items, batchSize) => {
        const one = await ingested(items, 1);
        const bulk = await ingested(items, batchSize);
        expect(bulk.summary.rejected).toEqual(one.summary.rejected);
        expect(bulk.summary.duplicates).toBe(one.summary.duplicates);
        expect(bulk.results).toEqual(one.results);
        expect(bulk.store).toEqual(one.store);
      }),
      { numRuns: 60 },
    );
  }, 180_000);

  // Between record runs, identify runs go through identity's bulk resolver, which may file a
  // merged profile's identifiers under another member group than one by one (an internal key):
  // here the conversation side, the events and the results are compared.
  it("equals applying them one by one between identify items: conversations, events and results", async () => {
    await fc.assert(
      fc.asyncProperty(mixed, fc.integer({ min: 2, max: 40 }), async (items, batchSize) => {
        const one = await ingested(items, 1);
        const bulk = await ingested(items, batchSize);
        expect(bulk.summary.rejected).toEqual(one.summary.rejected);
        expect(bulk.results).toEqual(one.results);
        expect(bulk.store.events).toEqual(one.store.events);
        for (const c of CONVERSATION_COLLECTIONS) expect(bulk.store.collections[c]).toEqual(one.store.collections[c]);
      }),
      { numRuns: 60 },
    );
  }, 180_000);

  it("equals one by one when interactions share a time and customers are new (identity events by time)", async () => {
    const at = "2026-04-01T09:00:00.000Z";
    const items: IngestItem[] = Array.from({ length: 6 }, (_, i) => ({
      kind: "record",
      channel: i % 2 === 0 ? "email" : "chat",
      direction: "inbound",
      at: i < 4 ? at : "2026-04-01T10:00:00.000Z",
      customer: [{ type: "email", value: `p${i % 3}@x.pl` }],
      externalId: `t${i}`,
      text: "same minute",
    }));
    const one = await ingested(items, 1);
    const bulk = await ingested(items, items.length);
    expect(bulk.results).toEqual(one.results);
    expect(bulk.store).toEqual(one.store);
  });
});

describe("a run mixing identify and record items", () => {
  // Sign-ups and their first messages, interleaved, as an event export gives them.
  const items: IngestItem[] = Array.from({ length: 120 }, (_, i) => {
    const c = Math.floor(i / 2);
    const at = new Date(Date.UTC(2026, 3, 1) + i * 60_000).toISOString();
    return i % 2 === 0
      ? {
          kind: "identify",
          id: `signup-${c}`,
          identifiers: [
            { type: "email", value: `c${c}@x.pl` },
            { type: "phone", value: `+48601${String(c).padStart(6, "0")}` },
          ],
          at,
          channel: "web",
        }
      : {
          kind: "record",
          channel: "email",
          direction: "inbound",
          at,
          customer: [{ type: "email", value: `c${c}@x.pl` }],
          externalId: `m${c}`,
          text: "Hello",
        };
  });

  it("is applied as one bulk run, and equals one by one", async () => {
    const locks = async (batchSize: number) => {
      const storage = faultyAdapter(memoryAdapter(), { methods: ["lock"] });
      const cc = createCustomerContext({ ...OPTIONS, storage });
      const results: unknown[] = [];
      await cc.ingest(items, { batchSize, onResult: (index, applied) => results.push([index, applied]) });
      return { locks: storage.calls, results, store: await storage.dump() };
    };
    const one = await locks(1);
    const bulk = await locks(items.length);
    expect(one.locks).toBe(items.length);
    // One lock per bulk run or single item: one run, not one per item.
    expect(bulk.locks).toBe(1);
    expect(bulk.results).toEqual(one.results);
    expect(bulk.store).toEqual(one.store);
  });
});
