/**
 * Several processes, one PostgreSQL: four worker processes, each with its own adapter and pool,
 * run `identify`, `record` and `offers.present` at once on overlapping customers (every 4th
 * operation of one deterministic workload each, two in flight per worker). The final state must
 * equal a single in-memory run of the same operations: the same `context()` for every identifier
 * (ids are deterministic, so nothing is normalised), no identifier owned by two profiles, no lost
 * or duplicated interaction, no conversation split by a race, and no error reported by any worker.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { createCustomerContext, memoryAdapter, type StorageAdapter } from "../../src/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl } from "../setup/fresh-postgres.js";
import { applyConcurrent, concurrentWorkload, defineOffers, FIXED_NOW, universe } from "./concurrent-workload.js";

const WORKERS = 4;
const CONCURRENCY = 2;
const SEED = 20260401;
const CUSTOMERS = 30;
const COUNT = 600;
const worker = fileURLToPath(new URL("./workers/concurrent-worker.ts", import.meta.url));
const schema = freshSchemaName("cc_multi");
afterAll(() => dropPostgresSchema(schema));

interface Done {
  type: "done";
  ops: number;
  ms: number;
  errors: string[];
}

/** Forks the workers, starts them together once all are ready, and collects their reports. */
async function runWorkers(): Promise<Done[]> {
  const children = Array.from({ length: WORKERS }, (_, index) =>
    fork(worker, [postgresUrl(), schema, SEED, CUSTOMERS, COUNT, index, WORKERS, CONCURRENCY].map(String), {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const ready = children.map((child) => new Promise<void>((resolve) => child.once("message", () => resolve())));
  const done = children.map(
    (child, i) =>
      new Promise<Done>((resolve, reject) => {
        child.on("message", (m: Done | { type: "ready" }) => {
          if (m.type === "done") resolve(m);
        });
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`worker ${i} exited with ${code} before reporting`)));
      }),
  );
  await Promise.all(ready);
  for (const child of children) child.send("go");
  return Promise.all(done);
}

/**
 * The stored documents, typed only as far as this test reads them (the storage layout is not
 * public API, so the test declares the fields it checks instead of importing the shell's types).
 */
type StoredProfile = { id: string; group: string; counts: Record<string, number> };
type StoredIdentifier = { key: string; type: string; value: string; group: string; seenWith: Record<string, unknown> };

async function finalState(storage: StorageAdapter) {
  const cc = createCustomerContext({ storage, clock: () => new Date(FIXED_NOW) });
  const contexts: Record<string, unknown> = {};
  for (const identifier of universe(CUSTOMERS)) {
    contexts[`${identifier.type}:${identifier.value}`] = await cc.context({ identifier });
  }
  const audit = await cc.offers.audit();
  const identifierDocs = await storage.transaction(async (tx) =>
    (await tx.scan<StoredIdentifier>("identifiers")).map((d) => d.value),
  );
  // The member group a profile files its identifiers under depends on the order of merges (union
  // by size): compare the profile each identifier belongs to, read through the public API.
  const owners = new Map<string, string | undefined>();
  for (const d of identifierDocs) {
    owners.set(d.key, (await cc.profiles.get({ identifier: { type: d.type, value: d.value } }))?.id);
  }
  const raw = await storage.transaction(async (tx) => ({
    profiles: (await tx.scan<StoredProfile>("profiles")).map(({ value: { group: _g, ...rest } }) => rest),
    // Stored docs compared field by field: `seenWith` is keyed in arrival order (a JSON key order,
    // never shown), and a presentation stores the profile id it had when presented (a hint that
    // reads replace with the current one).
    identifiers: identifierDocs.map(({ seenWith, group: _g, ...rest }) => ({
      ...rest,
      profileId: owners.get(rest.key),
      seenWith: Object.fromEntries(Object.entries(seenWith).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    })),
    interactions: (await tx.scan("interactions")).map((d) => d.key),
    conversations: (await tx.scan("conversations")).map((d) => d.value),
    // Membership: one timeline entry per interaction, naming its conversation.
    timeline: (await tx.scan<{ id: string; conversationId: string }>("interaction_timeline")).map((d) => d.value),
    presentations: (await tx.scan<{ profileId: string }>("presentations")).map(
      ({ value: { profileId: _, ...rest } }) => rest,
    ),
  }));
  await cc.close();
  return { contexts, audit, raw };
}

describe("PostgreSQL, several processes at once", () => {
  it(`${WORKERS} processes on overlapping customers end in the state of one in-memory run`, async () => {
    const setup = createCustomerContext({
      storage: postgresAdapter({ connectionString: postgresUrl() }, { schema, poolSize: 1 }),
      clock: () => new Date(FIXED_NOW),
    });
    await defineOffers(setup);
    await setup.close();

    const reports = await runWorkers();
    // No error surfaced to any worker (a deadlock or serialization failure after retries would).
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    expect(reports.reduce((n, r) => n + r.ops, 0)).toBe(COUNT);

    const memory = memoryAdapter();
    const single = createCustomerContext({ storage: memory, clock: () => new Date(FIXED_NOW) });
    await defineOffers(single);
    for (const o of concurrentWorkload(SEED, CUSTOMERS, COUNT)) await applyConcurrent(single, o);

    const expected = await finalState(memory);
    const actual = await finalState(postgresAdapter({ connectionString: postgresUrl() }, { schema, poolSize: 2 }));

    // No identifier owned by two profiles, and the identifier index agrees with the profiles.
    const live = new Set(actual.raw.profiles.map((p) => p.id));
    const size = new Map<string, number>();
    for (const doc of actual.raw.identifiers) {
      expect(live.has(doc.profileId ?? ""), doc.key).toBe(true);
      size.set(doc.profileId ?? "", (size.get(doc.profileId ?? "") ?? 0) + 1);
    }
    for (const p of actual.raw.profiles) {
      expect(
        Object.values(p.counts).reduce((a, b) => a + b, 0),
        p.id,
      ).toBe(size.get(p.id));
    }
    // No lost or duplicated interaction, each in exactly one conversation.
    expect(actual.raw.interactions).toEqual(expected.raw.interactions);
    const conversationIds = new Set(actual.raw.conversations.map((c) => (c as { id: string }).id));
    const inConversation = actual.raw.timeline.filter((e) => conversationIds.has(e.conversationId)).map((e) => e.id);
    expect(inConversation.sort()).toEqual([...actual.raw.interactions].sort());
    // No conversation split by a race: the same conversations, with the same members.
    expect(actual.raw.conversations).toEqual(expected.raw.conversations);
    expect(actual.raw.presentations).toEqual(expected.raw.presentations);
    expect(actual.raw.identifiers).toEqual(expected.raw.identifiers);
    // The same profiles, and what an agent sees of every customer is the same.
    expect(actual.raw.profiles).toEqual(expected.raw.profiles);
    expect(actual.contexts).toEqual(expected.contexts);
    expect(actual.audit).toEqual(expected.audit);
    // The workload really overlapped: profiles were assembled from parts seen separately, and
    // some deliveries were duplicates.
    expect([...size.values()].filter((n) => n >= 3).length).toBeGreaterThan(CUSTOMERS / 2);
    const records = concurrentWorkload(SEED, CUSTOMERS, COUNT).filter((o) => o.kind === "record");
    expect(actual.raw.interactions.length).toBeLessThan(records.length);
  }, 120_000);
});
