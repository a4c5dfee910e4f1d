/**
 * `cc.ingest`: batching equals one by one and a rebuild (I1, I2), replay changes nothing (I9),
 * bad and conflicting items are reported by index and skipped, a storage failure keeps exactly
 * the committed batches and a re-run completes, abort stops between items.
 */

import { arbitraries } from "customer-context/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import {
  type CustomerContextError,
  createCustomerContext,
  type Identifier,
  isCustomerContextError,
  type StorageAdapter,
  type StorageTransaction,
} from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";

const FIXED = () => new Date("2026-05-01T00:00:00Z");
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });
const IDENTS: Identifier[] = [
  email("a@x.pl"),
  email("b@x.pl"),
  email("c@x.pl"),
  phone("+48601234567"),
  phone("+48601234568"),
  { type: "crm", value: "C-1" },
];
const at = (h: number) => new Date(Date.UTC(2026, 3, 1, h)).toISOString();

/**
 * Items as the CLI would give them, from the kit: three people seen by any subset of their
 * identifiers, limit conflicts, shared phones and blocked placeholders; interactions on four
 * channels with threads, cases, subjects and replies; every item with its idempotency key, some
 * redelivered, some late, hours apart.
 */
const workload = arbitraries.workload({
  kinds: ["identify", "record"],
  customers: 3,
  maxItems: 25,
  channels: ["email", "phone", "chat", "web"],
  spacing: { min: 0, max: 600 },
});
/** The national phone numbers of the workload are Polish. */
const OPTIONS = { identity: { defaultRegion: "PL" }, clock: FIXED } as const;

/** Every identifier the items name. */
const universe = (items: readonly IngestItem[]): Identifier[] =>
  items.flatMap((i) =>
    "identifiers" in i ? i.identifiers : "customer" in i && Array.isArray(i.customer) ? i.customer : [],
  );

/** What a user can see: each identifier's profile (as its identifier set), conversations and timeline. */
async function observable(cc: ReturnType<typeof createCustomerContext>, items: readonly IngestItem[]) {
  const out: Record<string, unknown> = {};
  for (const i of universe(items)) {
    const view = await cc.context({ identifier: i });
    out[i.value] = view && {
      identifiers: view.identifiers.map((x) => `${x.type}:${x.value}:${x.count}:${x.firstSeen}:${x.lastSeen}`).sort(),
      traits: view.profile.traits,
      conversations: view.conversations.map((c) => [c.channels, c.interactionIds.length, c.status]),
      timeline: view.timeline.map((t) => t.id),
    };
  }
  return out;
}

async function oneByOne(items: readonly IngestItem[]) {
  const cc = createCustomerContext(OPTIONS);
  for (const item of items) {
    const { kind, ...input } = item;
    if (kind === "identify") await cc.identify(input as Parameters<typeof cc.identify>[0]);
    else if (kind === "record") await cc.record(input as Parameters<typeof cc.record>[0]);
  }
  return cc;
}

function canonical(items: readonly IngestItem[]): IngestItem[] {
  const when = (i: IngestItem) => String((i as { at?: unknown }).at);
  return [...items].sort(
    (a, b) => when(a).localeCompare(when(b)) || JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );
}

/** All documents and events of a memory store. */
async function dump(adapter: StorageAdapter) {
  const collections = [
    "identifiers",
    "links",
    "profiles",
    "profile_aliases",
    "identity_decisions",
    "interactions",
    "interaction_evidence",
    "conversations",
    "conversation_aliases",
    "stitch_state",
    "stitch_keys",
    "interaction_timeline",
    "consents",
    "presentations",
    "offers",
    "idempotency_keys",
  ];
  const docs = await adapter.transaction(async (tx) => {
    const out: Record<string, unknown> = {};
    for (const c of collections) out[c] = await tx.scan(c);
    return out;
  });
  return { docs, events: await adapter.readEvents?.(0, 1_000_000) };
}

describe("cc.ingest", () => {
  it("I1/I2: any batching equals applying the items one by one, and equals a rebuild in canonical order", async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.integer({ min: 1, max: 30 }), async (items, batchSize) => {
        const batched = createCustomerContext(OPTIONS);
        const summary = await batched.ingest(items, { batchSize });
        expect(summary.rejected).toEqual([]);
        expect(summary.read).toBe(items.length);
        expect(summary.kept).toBe(items.length);
        const expected = await observable(await oneByOne(items), items);
        expect(await observable(batched, items)).toEqual(expected);
        const rebuild = createCustomerContext(OPTIONS);
        await rebuild.ingest(canonical(items), { batchSize: items.length });
        expect(await observable(rebuild, items)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("I9: ingesting the same source twice equals ingesting it once (no count, document or event differs)", async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.integer({ min: 1, max: 10 }), async (items, batchSize) => {
        const storage = memoryAdapter();
        const cc = createCustomerContext({ ...OPTIONS, storage });
        await cc.ingest(items, { batchSize });
        const once = await dump(storage);
        const again = await cc.ingest(items, { batchSize: batchSize + 1 });
        expect(again.duplicates).toBe(items.length);
        expect(again.profilesCreated + again.merges + again.conversations).toBe(0);
        expect(await dump(storage)).toEqual(once);
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it("reports bad items by index with a typed error naming the field, and keeps the good ones around them", async () => {
    const cc = createCustomerContext({ clock: FIXED });
    const progress: number[] = [];
    const summary = await cc.ingest(
      [
        { kind: "identify", identifiers: [email("a@x.pl")] },
        { kind: "identify", identifiers: [] },
        { kind: "nope" },
        "not an object",
        { kind: "record", channel: "email", direction: "sideways", at: at(1), customer: [email("a@x.pl")] },
        { kind: "revoke" },
        { kind: "identify", identifiers: [email("b@x.pl")], traits: { name: "B" } },
      ],
      { batchSize: 2, onProgress: (p) => progress.push(p.committed) },
    );
    expect(summary.read).toBe(7);
    expect(summary.kept).toBe(2);
    expect(summary.profilesCreated).toBe(2);
    expect(summary.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [1, "invalid_input"],
      [2, "invalid_input"],
      [3, "invalid_input"],
      [4, "invalid_input"],
      [5, "invalid_input"],
    ]);
    const details = (i: number) => summary.rejected[i]?.error.details;
    expect(details(0)).toEqual([expect.objectContaining({ path: ["identifiers"], code: "too_small" })]);
    expect(details(1)).toEqual([expect.objectContaining({ path: ["kind"], code: "invalid_value" })]);
    expect(details(3)).toEqual([expect.objectContaining({ path: ["direction"] })]);
    expect(progress[progress.length - 1]).toBe(7);
    expect(await cc.profiles.get({ identifier: email("b@x.pl") })).toMatchObject({ traits: { name: "B" } });
  });

  it("treats the same idempotency key with other content as a conflict naming the first, and writes nothing for it", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage, clock: FIXED });
    const first = await cc.identify({ id: "row-1", identifiers: [email("a@x.pl")], at: at(1) });
    const before = await dump(storage);
    const again = await cc.identify({ id: "row-1", identifiers: [email("a@x.pl")], at: at(1) });
    expect(again).toEqual({ ...first, created: false });
    await expect(cc.identify({ id: "row-1", identifiers: [email("z@x.pl")], at: at(1) })).rejects.toMatchObject({
      code: "conflict",
      details: { kind: "identify", id: "row-1", existing: { profileId: first.profileId } },
    });
    await expect(
      cc.consent({ id: "c-1", customer: [email("a@x.pl")], channel: "email", granted: true, at: at(2) }),
    ).resolves.toMatchObject({ granted: true });
    const afterConsent = await dump(storage);
    await cc.consent({ id: "c-1", customer: [email("a@x.pl")], channel: "email", granted: true, at: at(2) });
    expect(await dump(storage)).toEqual(afterConsent);
    await expect(
      cc.consent({ id: "c-1", customer: [email("a@x.pl")], channel: "email", granted: false, at: at(2) }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(before.events?.length).toBeLessThan(afterConsent.events?.length ?? 0);
  });

  it("never drops a record whose externalId another customer already used: it is a conflict (issue 11)", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage, clock: FIXED });
    const base = { channel: "sms", direction: "inbound" as const, at: at(3), externalId: "wh-1", text: "hello" };
    const first = await cc.record({ ...base, customer: [phone("+48601234567")] });
    expect(await cc.record({ ...base, customer: [phone("+48 601 234 567")] })).toEqual({ ...first, duplicate: true });
    const before = await dump(storage);
    const summary = await cc.ingest([
      { kind: "record", ...base, customer: [phone("+48601234568")] },
      { kind: "record", ...base, text: "other words", customer: [phone("+48601234567")] },
      { kind: "record", ...base, externalId: "wh-2", customer: [phone("+48601234568")] },
    ]);
    expect(
      summary.rejected.map((r) => [r.index, r.error.code, (r.error.details as { reason: string }).reason]),
    ).toEqual([
      [0, "conflict", "customer"],
      [1, "conflict", "content"],
    ]);
    expect(summary.rejected[0]?.error.details).toMatchObject({
      existing: { interactionId: first.interactionId, profileId: first.profileId },
    });
    expect(summary.kept).toBe(1);
    // The unknown customer of the conflicting item was not created; only the third item wrote.
    const after = await dump(storage);
    expect((after.docs.interactions as unknown[]).length).toBe((before.docs.interactions as unknown[]).length + 1);
    expect(await cc.profiles.get({ identifier: phone("+48601234568") })).not.toBeNull();
  });

  it("never drops a presentation whose externalId another customer already used: it is a conflict (issue 11)", async () => {
    const cc = createCustomerContext({ clock: FIXED });
    await cc.offers.define({ id: "loan", name: "Loan", category: "service", terms: { apr: 5 } });
    const p = { offerId: "loan", channel: "web", at: at(4), terms: { apr: 5 }, externalId: "pres-1" };
    const first = await cc.offers.present({ ...p, customer: [email("a@x.pl")] });
    await expect(cc.offers.present({ ...p, customer: [email("a@x.pl")] })).resolves.toEqual(first);
    await expect(cc.offers.present({ ...p, customer: [email("b@x.pl")] })).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "customer", existing: { presentationId: first.presentationId } },
    });
    await expect(cc.offers.present({ ...p, terms: { apr: 9 }, customer: [email("a@x.pl")] })).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "content" },
    });
    expect(await cc.profiles.get({ identifier: email("b@x.pl") })).toBeNull();
  });

  it("a storage failure keeps exactly the committed batches, says how many, and a re-run completes the work", async () => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(workload, fc.integer({ min: 1, max: 6 }), fc.nat(), async (items, batchSize, pick) => {
        // The write transaction that fails: one of the ingest's batches, so that most runs fail.
        const failAt = 1 + (pick % Math.ceil(items.length / batchSize));
        const inner = memoryAdapter();
        const flaky = failingAdapter(inner, failAt);
        const cc = createCustomerContext({ ...OPTIONS, storage: flaky.adapter });
        let committed = items.length;
        try {
          await cc.ingest(items, { batchSize });
        } catch (error) {
          expect(isCustomerContextError(error, "storage_failure")).toBe(true);
          failures++;
          committed = (error as CustomerContextError<{ committed: number }>).details.committed;
        }
        expect(committed % batchSize === 0 || committed === items.length).toBe(true);
        const partial = createCustomerContext(OPTIONS);
        await partial.ingest(items.slice(0, committed), { batchSize });
        expect(await observable(cc, items)).toEqual(await observable(partial, items));
        flaky.heal();
        await cc.ingest(items, { batchSize });
        expect(await observable(cc, items)).toEqual(await observable(await oneByOne(items), items));
      }),
      { numRuns: 30 },
    );
    expect(failures).toBeGreaterThan(5);
  }, 120_000);

  it("stops when aborted, with aborted and the number of committed items", async () => {
    const cc = createCustomerContext({ clock: FIXED });
    const controller = new AbortController();
    const items = IDENTS.map((i, n): IngestItem => ({ kind: "identify", identifiers: [i], at: at(n) }));
    const error = await cc
      .ingest(items, { batchSize: 2, signal: controller.signal, onProgress: () => controller.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "aborted", details: { committed: 2 } });
    expect(await cc.profiles.get({ identifier: IDENTS[1] as Identifier })).not.toBeNull();
    expect(await cc.profiles.get({ identifier: IDENTS[2] as Identifier })).toBeNull();
  });

  it("reads async sources and validates its options", async () => {
    const cc = createCustomerContext({ clock: FIXED });
    async function* rows() {
      yield { kind: "identify", identifiers: [email("a@x.pl")] };
      yield { kind: "forget", identifier: email("a@x.pl") };
    }
    expect(await cc.ingest(rows())).toMatchObject({ read: 2, kept: 2, profilesCreated: 1 });
    expect(await cc.profiles.get({ identifier: email("a@x.pl") })).toBeNull();
    await expect(cc.ingest([], { batchSize: 0 })).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ path: ["batchSize"], code: "invalid_value" }],
    });
  });
});

/** A memory adapter whose `failAt`-th write transaction fails when it flushes (until healed). */
function failingAdapter(inner: StorageAdapter, failAt: number) {
  let writes = 0;
  let healed = false;
  const adapter: StorageAdapter = {
    name: "failing",
    capabilities: inner.capabilities,
    close: () => inner.close(),
    readEvents: (after, limit) => inner.readEvents?.(after, limit) ?? Promise.resolve([]),
    transaction: (fn, options) =>
      inner.transaction((tx) => {
        if (options?.readOnly) return fn(tx);
        const n = ++writes;
        const wrapped: StorageTransaction = new Proxy(tx, {
          get(target, prop, receiver) {
            const member = Reflect.get(target, prop, receiver);
            if (typeof member !== "function") return member;
            if (!healed && n === failAt && (prop === "putMany" || prop === "put")) {
              return () => Promise.reject(new Error("disk full"));
            }
            return member.bind(target);
          },
        });
        return fn(wrapped);
      }, options),
  };
  return { adapter, heal: () => (healed = true) };
}
