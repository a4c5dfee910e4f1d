import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";
import type { StorageAdapter, StorageTransaction } from "../../src/storage/port.js";

/** Methods of a transaction that count as storage calls (DECISIONS.md: not `transaction` itself). */
const COUNTED = [
  "get",
  "getMany",
  "find",
  "findMany",
  "scan",
  "put",
  "putMany",
  "delete",
  "deleteMany",
  "lock",
  "appendEvent",
  "appendEvents",
] as const;

/** Wraps an adapter and records every call made on its transactions. */
function counting(inner: StorageAdapter): { adapter: StorageAdapter; calls: string[] } {
  const calls: string[] = [];
  const adapter: StorageAdapter = {
    name: inner.name,
    capabilities: inner.capabilities,
    close: () => inner.close(),
    ...(inner.readEvents ? { readEvents: inner.readEvents.bind(inner) } : {}),
    transaction: (fn, options) =>
      inner.transaction((tx) => {
        const wrapped = {} as Record<string, unknown>;
        for (const method of COUNTED) {
          const f = (tx as unknown as Record<string, unknown>)[method];
          if (typeof f !== "function") continue;
          wrapped[method] = (...args: unknown[]) => {
            calls.push(method);
            return (f as (...a: unknown[]) => unknown).apply(tx, args);
          };
        }
        return fn(wrapped as unknown as StorageTransaction);
      }, options),
  };
  return { adapter, calls };
}

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const at = (day: number) => `2026-04-${String(day).padStart(2, "0")}T09:00:00Z`;

/** DESIGN.md §5 and issue 10: about 6 storage calls per single identify. */
const IDENTIFY_BUDGET = 8;
/** An identify with a refused link also raises a review item: one read and one write more. */
const REFUSED_IDENTIFY_BUDGET = IDENTIFY_BUDGET + 2;
/** Emails without the default limit of 5 per profile, so that none of an identify's emails is refused. */
const MANY_EMAILS = { types: { email: { limit: 1000 } } };

describe("storage calls per identify", () => {
  it("stay within the budget for a new customer, a returning one and a growing one", async () => {
    const { adapter, calls } = counting(memoryAdapter());
    const cc = createCustomerContext({ storage: adapter, identity: { defaultRegion: "PL" } });
    const measure = async (identifiers: { type: string; value: string }[], day: number) => {
      calls.length = 0;
      await cc.identify({ identifiers, at: at(day) });
      return [...calls];
    };
    const fresh = await measure([email("a@x.pl"), phone("601234567")], 1);
    expect(fresh.length, fresh.join(", ")).toBeLessThanOrEqual(IDENTIFY_BUDGET);
    const again = await measure([email("a@x.pl"), phone("601234567")], 2);
    expect(again.length, again.join(", ")).toBeLessThanOrEqual(IDENTIFY_BUDGET);
    // A customer with many identifiers: one more costs the same number of calls.
    for (let i = 0; i < 50; i++)
      await cc.identify({ identifiers: [email("a@x.pl"), email(`alias${i}@x.pl`)], at: at(3) });
    // Past the limit of 5 emails per profile, the new email is refused: a refused link is also
    // raised for review, which costs one read and one write more.
    const grown = await measure([email("a@x.pl"), email("one-more@x.pl")], 4);
    expect(grown.length, grown.join(", ")).toBeLessThanOrEqual(REFUSED_IDENTIFY_BUDGET);
  });

  it("stay within the budget when a link is refused (the refusal is raised for review)", async () => {
    const { adapter, calls } = counting(memoryAdapter());
    const cc = createCustomerContext({ storage: adapter });
    for (let i = 0; i < 5; i++)
      await cc.identify({ identifiers: [email("a@x.pl"), email(`alias${i}@x.pl`)], at: at(1) });
    const measure = async (value: string, day: number) => {
      calls.length = 0;
      const { refused } = await cc.identify({ identifiers: [email("a@x.pl"), email(value)], at: at(day) });
      expect(refused.map((r) => r.reason)).toEqual(["limit"]);
      return [...calls];
    };
    const first = await measure("sixth@x.pl", 2);
    expect(first.length, first.join(", ")).toBeLessThanOrEqual(REFUSED_IDENTIFY_BUDGET);
    const seventh = await measure("seventh@x.pl", 3);
    expect(seventh).toEqual(first);
  });

  it("do not grow with the number of identifiers an identify writes", async () => {
    const { adapter, calls } = counting(memoryAdapter());
    const cc = createCustomerContext({ storage: adapter, identity: MANY_EMAILS });
    const measure = async (n: number, prefix: string) => {
      calls.length = 0;
      await cc.identify({ identifiers: Array.from({ length: n }, (_, i) => email(`${prefix}${i}@x.pl`)), at: at(2) });
      return [...calls];
    };
    const two = await measure(2, "a");
    const twenty = await measure(20, "b");
    expect(twenty).toEqual(two);
    expect(twenty.length, twenty.join(", ")).toBeLessThanOrEqual(IDENTIFY_BUDGET);
  });
});
