/**
 * I7 with the fault injector: every public write operation, with a fault at each of its storage
 * calls in turn (and at its commit), rejects with `storage_failure` and leaves the store exactly
 * as it was: the same documents, the same events, the same `context()` for every known customer.
 */
import { describe, expect, it } from "vitest";
import { createCustomerContext, memoryAdapter } from "../../src/index.js";
import { FaultInjectedError, type FaultyAdapter, faultyAdapter } from "../../src/testing/index.js";

type Context = ReturnType<typeof createCustomerContext>;
interface Seeded {
  jan: string;
  ola: string;
  first: string;
  second: string;
}

const janEmail = { type: "email", value: "jan@shop.pl" };
const janPhone = { type: "phone", value: "+48601234567" };
const olaEmail = { type: "email", value: "ola@shop.pl" };
const refs = [janEmail, janPhone, olaEmail].map((identifier) => ({ identifier }));

function fresh(): { cc: Context; storage: FaultyAdapter } {
  const storage = faultyAdapter(memoryAdapter());
  const cc = createCustomerContext({
    storage,
    clock: () => new Date("2026-05-01T12:00:00Z"),
    onListenerError: () => undefined,
  });
  return { cc, storage };
}

async function seed(cc: Context): Promise<Seeded> {
  const jan = await cc.identify({
    identifiers: [janEmail, janPhone],
    at: "2026-04-01T10:00:00Z",
    traits: { name: "Jan" },
  });
  const ola = await cc.identify({ identifiers: [olaEmail], at: "2026-04-01T11:00:00Z" });
  const first = await cc.record({
    channel: "email",
    direction: "inbound",
    at: "2026-04-02T10:00:00Z",
    customer: [janEmail],
    subject: "Loan",
    text: "About my loan",
    externalId: "m-1",
  });
  const second = await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-25T10:00:00Z",
    customer: [janPhone],
    text: "A new question",
    externalId: "c-1",
  });
  await cc.offers.define({ id: "loan", name: "Personal loan", category: "marketing", terms: { apr: 5.9 } });
  return { jan: jan.profileId, ola: ola.profileId, first: first.conversationId, second: second.conversationId };
}

const operations: Record<string, (cc: Context, s: Seeded) => Promise<unknown>> = {
  identify: (cc) =>
    cc.identify({ identifiers: [janEmail, olaEmail], at: "2026-04-26T10:00:00Z", traits: { city: "Gdańsk" } }),
  record: (cc) =>
    cc.record({
      channel: "chat",
      direction: "inbound",
      at: "2026-04-02T12:00:00Z",
      customer: [janEmail, olaEmail],
      text: "Still about the loan",
      externalId: "x-1",
    }),
  consent: (cc) => cc.consent({ customer: [janEmail], channel: "email", granted: false, at: "2026-04-03T10:00:00Z" }),
  "offers.define": (cc) =>
    cc.offers.define({ id: "loan", name: "Personal loan", category: "marketing", terms: { apr: 6.9 } }),
  "offers.present": (cc) =>
    cc.offers.present({
      customer: [janPhone],
      offerId: "loan",
      channel: "phone",
      at: "2026-04-03T09:00:00Z",
      terms: { apr: 6.9 },
    }),
  "conversations.resolve": (cc, s) => cc.conversations.resolve(s.first),
  "conversations.merge": (cc, s) => cc.conversations.merge(s.second, s.first),
  "profiles.merge": (cc, s) => cc.profiles.merge(s.jan, s.ola, { reason: "same person, confirmed by phone" }),
  "profiles.unmerge": (cc, s) => cc.profiles.unmerge(s.jan, janPhone, { reason: "shared family phone" }),
  "profiles.forget": (cc, s) => cc.profiles.forget({ profileId: s.jan }),
};

/** Everything observable: the raw store, the event log and what an agent sees for each customer. */
async function state(cc: Context, storage: FaultyAdapter) {
  const views = [];
  for (const ref of refs) views.push(await cc.context(ref));
  return { dump: await storage.dump(), views, audit: await cc.offers.audit() };
}

describe("faultyAdapter", () => {
  it("fails the Nth counted call of the chosen methods, then lets calls through again", async () => {
    const storage = faultyAdapter(memoryAdapter(), { methods: ["put"], call: 2 });
    await storage.transaction(async (tx) => tx.put("c", "a", 1));
    await expect(storage.transaction(async (tx) => tx.put("c", "b", 2))).rejects.toBeInstanceOf(FaultInjectedError);
    await storage.transaction(async (tx) => tx.put("c", "d", 3));
    expect(storage.faults).toEqual([{ method: "put", count: 2 }]);
    expect(Object.keys((await storage.dump()).collections.c ?? [])).toHaveLength(2);
    expect((await storage.dump()).collections.c?.map((d) => d.key)).toEqual(["a", "d"]);
  });

  it("fails at commit: the function ran, nothing it wrote is kept", async () => {
    const storage = faultyAdapter(memoryAdapter(), { commit: 1 });
    let ran = false;
    await expect(
      storage.transaction(async (tx) => {
        await tx.put("c", "a", 1);
        ran = true;
      }),
    ).rejects.toThrow(/commit #1/);
    expect(ran).toBe(true);
    expect((await storage.dump()).collections).toEqual({});
  });

  it("counts only the chosen methods, fails `times` calls in a row, and uses a custom error", async () => {
    const storage = faultyAdapter(memoryAdapter());
    storage.inject({ methods: ["get"], call: 2, times: 2, error: (at) => new RangeError(`boom ${at.count}`) });
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await storage
          .transaction(async (tx) => {
            await tx.put("c", `k${i}`, i);
            return tx.get("c", `k${i}`);
          })
          .catch((e: Error) => e.message),
      );
    }
    expect(outcomes).toEqual([0, "boom 2", "boom 3", 3]);
    expect(storage.calls).toBe(4);
  });

  it("reads through a read-only transaction without counting it as a commit", async () => {
    const storage = faultyAdapter(memoryAdapter(), { commit: 1 });
    await storage.transaction(async (tx) => tx.get("c", "a"), { readOnly: true });
    expect(storage.commits).toBe(0);
  });
});

describe("a fault at any storage call leaves no partial state", () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(`${name}: at every call and at commit`, async () => {
      // How many storage calls the operation makes when nothing fails.
      const probe = fresh();
      const probeSeed = await seed(probe.cc);
      probe.storage.inject({});
      await operation(probe.cc, probeSeed);
      const total = probe.storage.calls;
      expect(total).toBeGreaterThan(0);

      for (let call = 0; call <= total; call++) {
        const { cc, storage } = fresh();
        const seeded = await seed(cc);
        const before = await state(cc, storage);
        // call 0 stands for the commit.
        storage.inject(call === 0 ? { commit: 1 } : { call });
        const where = call === 0 ? "commit" : `call ${call} of ${total}`;
        await expect(operation(cc, seeded), where).rejects.toMatchObject({ code: "storage_failure" });
        expect(storage.faults, where).toHaveLength(1);
        storage.clear();
        expect(await state(cc, storage), where).toEqual(before);
        // The store is still usable: the same operation now succeeds.
        await operation(cc, seeded);
      }
    });
  }
});
