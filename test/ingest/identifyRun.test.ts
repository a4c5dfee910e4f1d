/**
 * The bulk identify path of `cc.ingest` goes on through merges when none of the merging profiles
 * has conversations (nothing to re-stitch), so a merge-heavy import of customers reads and
 * resolves a batch at once; with conversations it ends each run at its first merge, as before.
 * Either way the results and the store equal applying the items one by one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";
import { arbitraries, faultyAdapter } from "../../src/testing/index.js";

const OPTIONS = { clock: () => new Date("2026-05-01T00:00:00Z") } as const;
const start = Date.UTC(2026, 0, 1);

/** Each observation names two of a customer's four identifiers: profiles assemble from parts and merge. */
function assembling(customers: number, perCustomer: number): IngestItem[] {
  const ids = (c: number) => [
    { type: "email", value: `c${c}@x.pl` },
    { type: "crmId", value: `C-${c}` },
    { type: "cookie", value: `ck-${c}` },
    { type: "device", value: `d-${c}` },
  ];
  const items: IngestItem[] = [];
  for (let round = 0; round < perCustomer; round++) {
    for (let c = 0; c < customers; c++) {
      const all = ids(c);
      // Rounds 0 and 1 create two parts; round 2 joins them; later rounds repeat.
      const pair = round === 0 ? [all[0], all[1]] : round === 1 ? [all[2], all[3]] : [all[1], all[2]];
      items.push({
        kind: "identify",
        identifiers: pair as IngestItem extends { identifiers: infer I } ? I : never,
        at: new Date(start + (round * customers + c) * 1000).toISOString(),
      });
    }
  }
  return items;
}

async function ingested(items: readonly IngestItem[], batchSize: number, before: readonly IngestItem[] = []) {
  // Counts the lock calls: one per bulk run or single item.
  const storage = faultyAdapter(memoryAdapter(), { methods: ["lock"] });
  const cc = createCustomerContext({ ...OPTIONS, storage });
  if (before.length > 0) await cc.ingest(before, { batchSize: 1 });
  storage.inject({ methods: ["lock"] });
  const results: unknown[] = [];
  const summary = await cc.ingest(items, { batchSize, onResult: (index, applied) => results.push([index, applied]) });
  const profiles = [];
  for (let c = 0; c < 40; c++) profiles.push(await cc.profiles.find({ type: "email", value: `c${c}@x.pl` }));
  const conversations = await storage.transaction((tx) => tx.scan("conversations"));
  const events = await storage.readEvents?.(0, 1_000_000);
  await cc.close();
  return { summary, results, profiles, conversations, events, locks: storage.calls };
}

describe("a run of identify items that merges profiles", () => {
  const items = assembling(40, 4);

  it("goes on through the merges when no merging profile has conversations: one run per batch", async () => {
    const one = await ingested(items, 1);
    const bulk = await ingested(items, items.length);
    expect(bulk.summary.merges).toBe(40);
    expect(bulk.results).toEqual(one.results);
    expect(bulk.profiles).toEqual(one.profiles);
    expect(bulk.events).toEqual(one.events);
    // One lock for the run (not one run per merge, as before).
    expect(bulk.locks).toBe(1);
  });

  it("ends at each merge when the profiles have conversations, and still equals one by one", async () => {
    const before: IngestItem[] = Array.from({ length: 40 }, (_, c) => ({
      kind: "record",
      channel: "chat",
      direction: "inbound",
      at: new Date(start - 3_600_000 + c * 1000).toISOString(),
      customer: [{ type: "cookie", value: `ck-${c}` }],
      externalId: `chat-${c}`,
      text: "hello",
    }));
    const one = await ingested(items, 1, before);
    const bulk = await ingested(items, items.length, before);
    expect(bulk.results).toEqual(one.results);
    expect(bulk.profiles).toEqual(one.profiles);
    expect(bulk.conversations).toEqual(one.conversations);
    expect(bulk.events).toEqual(one.events);
    expect(bulk.locks).toBeGreaterThanOrEqual(40);
  });
});

describe("identify items with traits while fuzzy matching is on", () => {
  // Review-only fuzzy matching (no autoMergeAbove): one by one, each item is matched against the
  // profiles of its time and a likely duplicate becomes a review item. The bulk resolver does no
  // matching, so such items must not go through it (they once did, and the review was lost).
  const fuzzy = {
    fields: { firstName: "name", lastName: "name", birthDate: "date" } as const,
    threshold: 0.5,
    blocking: [["lastName"]],
  };
  const person = { firstName: "Anna", lastName: "Kowalska", birthDate: "1990-04-12" };
  const items: IngestItem[] = [
    {
      kind: "identify",
      identifiers: [{ type: "email", value: "anna@x.pl" }],
      traits: person,
      at: "2026-01-01T00:00:00Z",
    },
    {
      kind: "identify",
      identifiers: [{ type: "email", value: "a.k@y.pl" }],
      traits: person,
      at: "2026-01-01T00:01:00Z",
    },
    { kind: "identify", identifiers: [{ type: "email", value: "other@z.pl" }], at: "2026-01-01T00:02:00Z" },
  ];

  it("raises the same review items in one batch as one by one", async () => {
    const reviewsAfter = async (batchSize: number) => {
      const cc = createCustomerContext({ ...OPTIONS, identity: { fuzzy } });
      await cc.ingest(items, { batchSize });
      const found = (await cc.profiles.reviews()).map((r) => r.evidence);
      await cc.close();
      return found;
    };
    const one = await reviewsAfter(1);
    expect(one).toHaveLength(1);
    expect(await reviewsAfter(items.length)).toEqual(one);
  });

  it("any batching of a workload with names equals one by one: results (auto-merges included) and reviews", async () => {
    // The kit's workloads carry no traits: give identify items one of a few names (or none), so
    // that profiles of different people and parts of one person look alike.
    const names = fc.array(fc.constantFrom(undefined, "Anna Nowak", "Anna Nowak", "Ana Nowak", "Jan Kowalski"), {
      minLength: 25,
      maxLength: 25,
    });
    const workload = fc
      .tuple(arbitraries.workload({ kinds: ["identify", "record"], customers: 3, maxItems: 25 }), names)
      .map(([items, name]) =>
        items.map((item, i): IngestItem => {
          const n = name[i];
          return item.kind === "identify" && n !== undefined ? { ...item, traits: { name: n } } : item;
        }),
      );
    const outcome = async (items: readonly IngestItem[], batchSize: number, autoMergeAbove: number | undefined) => {
      const cc = createCustomerContext({
        ...OPTIONS,
        identity: {
          defaultRegion: "PL",
          fuzzy: {
            fields: { name: "name" },
            blocking: [["name"]],
            threshold: 0.3,
            ...(autoMergeAbove === undefined ? {} : { autoMergeAbove }),
          },
        },
      });
      const results: unknown[] = [];
      await cc.ingest(items, { batchSize, onResult: (index, applied) => results.push([index, applied]) });
      const reviews = (await cc.profiles.reviews()).map((r) => [r.status, r.identifiers, r.evidence]);
      await cc.close();
      return { results, reviews };
    };
    await fc.assert(
      fc.asyncProperty(
        workload,
        fc.integer({ min: 2, max: 30 }),
        fc.constantFrom(undefined, 0.6, 0.95),
        async (items, batchSize, autoMergeAbove) => {
          expect(await outcome(items, batchSize, autoMergeAbove)).toEqual(await outcome(items, 1, autoMergeAbove));
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
