/**
 * Flat cost (issue 10 item 4, DESIGN.md §2 "The write path"): one `identify` touching a profile
 * with 10k identifiers reads and writes no more documents than at 10, late evidence included. Timing-free: a counting
 * wrapper around the memory adapter counts storage calls and the documents they read and write.
 */
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";
import type { StorageAdapter, StorageTransaction } from "../../src/storage/port.js";

interface Tally {
  calls: number;
  read: number;
  written: number;
  /** Documents written per collection. */
  writtenIn: Record<string, number>;
}

const tally = (): Tally => ({ calls: 0, read: 0, written: 0, writtenIn: {} });

/** Wraps an adapter: every call on a transaction, and every document it returns or writes, counts. */
function counting(inner: StorageAdapter): { adapter: StorageAdapter; current: { t: Tally } } {
  const current = { t: tally() };
  const wrote = (collection: string, n: number) => {
    current.t.written += n;
    current.t.writtenIn[collection] = (current.t.writtenIn[collection] ?? 0) + n;
  };
  const readCount = (result: unknown): number => {
    if (result instanceof Map) return result.size;
    if (Array.isArray(result)) return result.length;
    return result === null || result === undefined ? 0 : 1;
  };
  const adapter: StorageAdapter = {
    name: inner.name,
    capabilities: inner.capabilities,
    close: () => inner.close(),
    transaction: (fn, options) =>
      inner.transaction((tx) => {
        const call = <R>(f: () => Promise<R>, count: (r: R) => void) => {
          current.t.calls++;
          return f().then((r) => {
            count(r);
            return r;
          });
        };
        const read = (r: unknown) => {
          current.t.read += readCount(r);
        };
        const wrapped: StorageTransaction = {
          get: (c, k) => call(() => tx.get(c, k), read),
          getMany: (c, ks) => call(() => tx.getMany(c, ks), read),
          find: (c, i, v, o) => call(() => tx.find(c, i, v, o), read),
          scan: (c, o) => call(() => tx.scan(c, o), read),
          lock: (ks) =>
            call(
              () => tx.lock(ks),
              () => {},
            ),
          put: (c, k, v, o) =>
            call(
              () => tx.put(c, k, v, o),
              () => wrote(c, 1),
            ),
          delete: (c, k) =>
            call(
              () => tx.delete(c, k),
              () => wrote(c, 1),
            ),
        };
        if (tx.findMany)
          wrapped.findMany = (c, i, vs) => call(() => tx.findMany?.(c, i, vs) ?? Promise.resolve([]), read);
        if (tx.putMany)
          wrapped.putMany = (c, es) =>
            call(
              () => tx.putMany?.(c, es) ?? Promise.resolve(),
              () => wrote(c, es.length),
            );
        if (tx.deleteMany)
          wrapped.deleteMany = (c, ks) =>
            call(
              () => tx.deleteMany?.(c, ks) ?? Promise.resolve(0),
              () => wrote(c, ks.length),
            );
        if (tx.appendEvents)
          wrapped.appendEvents = (es) =>
            call(
              () => tx.appendEvents?.(es) ?? Promise.resolve([]),
              () => wrote("events", es.length),
            );
        return fn(wrapped);
      }, options),
  };
  return { adapter, current };
}

const email = { type: "email", value: "jan@x.pl" };
/** Identifier types of the large customer: each type allows at most 1000 values. */
const TYPES = 11;
const member = (i: number) => ({ type: `device${i % TYPES}`, value: `d${i}` });
const cookie = (value: string) => ({ type: "cookie", value });
const phone = (value: string) => ({ type: "phone", value });
const day = (d: number, minute = 0) => new Date(Date.UTC(2026, 3, d, 9, minute)).toISOString();

/**
 * A context whose customer (anchored by `email`) holds `size` identifiers, plus a small profile
 * seen before it (`phone:+48600000001` with one cookie) and one seen after it.
 */
async function customerOf(size: number) {
  const { adapter, current } = counting(memoryAdapter());
  const cc = createCustomerContext({
    storage: adapter,
    identity: {
      defaultRegion: "PL",
      // One customer really holds all these devices: none of them is a shared one.
      autoBlock: false,
      types: Object.fromEntries(Array.from({ length: TYPES }, (_, j) => [`device${j}`, { limit: 1000 }])),
    },
  });
  await cc.identify({ identifiers: [phone("600000001"), cookie("early")], at: day(1) });
  await cc.identify({ identifiers: [email], at: day(2) });
  const cookies = Array.from({ length: size - 1 }, (_, i) => member(i));
  for (let i = 0; i < cookies.length; i += 31) {
    await cc.identify({ identifiers: [email, ...cookies.slice(i, i + 31)], at: day(3, i / 31) });
  }
  await cc.identify({ identifiers: [phone("600000002"), cookie("late")], at: day(4) });
  const profile = await cc.profiles.find(email);
  expect(profile?.identifiers).toHaveLength(size);
  /** The tally of one operation. */
  const measure = async (op: () => Promise<unknown>): Promise<Tally> => {
    current.t = tally();
    await op();
    const t = current.t;
    // Whatever runs after the operation counts elsewhere.
    current.t = tally();
    return t;
  };
  return { cc, measure };
}

/** A small constant allowed on top of the cost at 10 identifiers. */
const SLACK = 2;

describe("flat cost of identify", () => {
  it("reads and writes no more documents at 10k identifiers than at 10", async () => {
    const results: Record<number, Record<string, Tally>> = {};
    for (const size of [10, 10_000]) {
      const { cc, measure } = await customerOf(size);
      results[size] = {
        newIdentifier: await measure(() => cc.identify({ identifiers: [email, cookie("new")], at: day(5) })),
        returning: await measure(() => cc.identify({ identifiers: [email, member(3)], at: day(5, 1) })),
        traits: await measure(() => cc.identify({ identifiers: [email], traits: { tier: "gold" }, at: day(5, 2) })),
        again: await measure(() => cc.identify({ identifiers: [email], traits: { tier: "gold" }, at: day(5, 3) })),
        // Late evidence: older than the profile's newest link, then older than the profile itself
        // (the new cookie becomes its earliest identifier, so the profile is re-anchored).
        late: await measure(() => cc.identify({ identifiers: [email, cookie("older")], at: day(3, 7) })),
        earliest: await measure(() => cc.identify({ identifiers: [email, cookie("first")], at: day(1, 30) })),
      };
      if (size === 10_000) {
        const profile = await cc.profiles.find(email);
        expect(profile?.id).toBe((await cc.profiles.find(cookie("first")))?.id);
        expect(profile?.createdAt).toBe(day(1, 30));
        expect(profile?.identifiers).toHaveLength(size + 3);
      }
      await cc.close();
    }
    const small = results[10] as Record<string, Tally>;
    const large = results[10_000] as Record<string, Tally>;
    for (const op of Object.keys(small)) {
      const at10 = small[op] as Tally;
      const at10k = large[op] as Tally;
      expect(at10k.calls, op).toBeLessThanOrEqual(at10.calls);
      expect(at10k.read, op).toBeLessThanOrEqual(at10.read + SLACK);
      expect(at10k.written, op).toBeLessThanOrEqual(at10.written + SLACK);
    }
  }, 120_000);

  it("a merge refiles only the smaller side's identifiers, whichever profile survives", async () => {
    const written: Record<number, { absorbsSmall: Tally; absorbedByEarlier: Tally }> = {};
    for (const size of [10, 10_000]) {
      const { cc, measure } = await customerOf(size);
      // The late small profile joins the large one (the large one keeps its id).
      const absorbsSmall = await measure(() => cc.identify({ identifiers: [email, phone("600000002")], at: day(6) }));
      // The early small profile's anchor is older: it keeps its id, but the large side's
      // identifiers stay where they are filed.
      const absorbedByEarlier = await measure(() =>
        cc.identify({ identifiers: [email, phone("600000001")], at: day(7) }),
      );
      const merged = await cc.profiles.find(email);
      expect(merged?.identifiers).toHaveLength(size + 4);
      expect(await cc.profiles.find(phone("600000001"))).toEqual(merged);
      written[size] = { absorbsSmall, absorbedByEarlier };
      await cc.close();
    }
    for (const op of ["absorbsSmall", "absorbedByEarlier"] as const) {
      const at10 = written[10]?.[op] as Tally;
      const at10k = written[10_000]?.[op] as Tally;
      // The observation's identifiers and the small side's cookie: a constant, at any size.
      expect(at10k.writtenIn.identifiers, op).toBeLessThanOrEqual(3);
      expect(at10k.writtenIn.identifiers, op).toBe(at10.writtenIn.identifiers);
      expect(at10k.writtenIn.profiles, op).toBe(at10.writtenIn.profiles);
    }
  }, 120_000);
});

describe("ingest of identify items", () => {
  it("makes the same number of storage calls for a batch of 20 as for a batch of 400", async () => {
    const calls: Record<number, number> = {};
    for (const n of [20, 400]) {
      const { adapter, current } = counting(memoryAdapter());
      const cc = createCustomerContext({ storage: adapter });
      const items = Array.from({ length: n }, (_, i) => ({
        kind: "identify" as const,
        identifiers: [{ type: "email", value: `u${i}@x.pl` }, cookie(`k${i}`)],
        at: day(1, i % 60),
        id: `row-${i}`,
      }));
      current.t = tally();
      const summary = await cc.ingest(items, { batchSize: 1000 });
      expect(summary.profilesCreated).toBe(n);
      calls[n] = current.t.calls;
      // The same as one by one: every customer is one profile.
      expect((await cc.profiles.find(cookie(`k${n - 1}`)))?.identifiers).toHaveLength(2);
      await cc.close();
    }
    expect(calls[400]).toBe(calls[20]);
  });
});
