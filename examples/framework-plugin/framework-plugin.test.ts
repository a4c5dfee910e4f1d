import { type CustomerContext, createCustomerContext, createCustomerStore } from "customer-context";
import { afterEach, describe, expect, it } from "vitest";

const jan = { type: "email", value: "jan@kowalski.pl" } as const;
let cc: CustomerContext;

afterEach(async () => {
  await cc.close();
});

/** Resolves after pending timers and their follow-up work have run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function message(n: number, customer: { type: string; value: string } = jan) {
  return {
    channel: "chat",
    direction: "inbound" as const,
    at: `2026-04-02T10:0${n}:00Z`,
    customer: [customer],
    externalId: `chat-${customer.value}-${n}`,
    text: `message ${n}`,
  };
}

describe("createCustomerStore", () => {
  it("loads, then batches the writes of one tick into one change with every write in it", async () => {
    cc = createCustomerContext();
    await cc.record(message(0));
    const store = createCustomerStore(cc, { identifier: jan });
    expect(store.getSnapshot()).toBeUndefined();

    const seen: number[] = [];
    const stop = store.subscribe(() => seen.push(store.getSnapshot()?.timeline.length ?? -1));
    await settle();
    expect(seen).toEqual([1]);

    await Promise.all([cc.record(message(1)), cc.record(message(2)), cc.record(message(3))]);
    await settle();
    expect(seen).toEqual([1, 4]);
    stop();
  });

  it("does not re-emit an unchanged snapshot, and keeps the same reference for useSyncExternalStore", async () => {
    cc = createCustomerContext();
    await cc.record(message(0));
    const store = createCustomerStore(cc, { identifier: jan });
    let changes = 0;
    const stop = store.subscribe(() => changes++);
    await settle();
    expect(changes).toBe(1);
    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before);

    // A redelivery of the same message and a write about someone else change nothing for Jan.
    const again = await cc.record(message(0));
    expect(again.duplicate).toBe(true);
    await cc.record(message(1, { type: "email", value: "ada@lovelace.pl" }));
    await settle();
    expect(changes).toBe(1);
    expect(store.getSnapshot()).toBe(before);

    await cc.record(message(2));
    await settle();
    expect(changes).toBe(2);
    expect(store.getSnapshot()).not.toBe(before);
    expect(store.getSnapshot()?.timeline).toHaveLength(2);
    stop();
  });

  it("shares one observation between subscribers and stops when the last one leaves", async () => {
    cc = createCustomerContext();
    const store = createCustomerStore(cc, { identifier: jan });
    const a: Array<unknown> = [];
    const b: Array<unknown> = [];
    const stopA = store.subscribe(() => a.push(store.getSnapshot()));
    const stopB = store.subscribe(() => b.push(store.getSnapshot()));
    await settle();
    // An unknown customer is null, not loading.
    expect(a).toEqual([null]);
    expect(b).toEqual([null]);

    await cc.record(message(0));
    await settle();
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(a[1]).toBe(b[1]);

    stopA();
    await cc.record(message(1));
    await settle();
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(3);

    stopB();
    await cc.record(message(2));
    await settle();
    expect(b).toHaveLength(3);
    // The last snapshot stays readable after everyone left.
    expect((store.getSnapshot() as { timeline: unknown[] }).timeline).toHaveLength(2);
  });
});
