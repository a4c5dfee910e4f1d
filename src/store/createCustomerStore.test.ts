import { afterEach, describe, expect, it } from "vitest";
import { type CustomerContext, createCustomerContext } from "../context.js";
import { isCustomerContextError } from "../errors.js";
import { createCustomerStore } from "./createCustomerStore.js";

const jan = { type: "email", value: "jan@kowalski.pl" } as const;
let cc: CustomerContext;

afterEach(async () => {
  await cc?.close();
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
  it("loads, then batches the writes of one tick into one change carrying the new snapshot", async () => {
    cc = createCustomerContext();
    await cc.record(message(0));
    const store = createCustomerStore(cc, { identifier: jan });
    expect(store.getSnapshot()).toBeUndefined();

    const seen: number[] = [];
    const stop = store.subscribe((view) => {
      expect(view).toBe(store.getSnapshot());
      seen.push(view?.timeline.length ?? -1);
    });
    expect(seen).toEqual([]);
    await settle();
    expect(seen).toEqual([1]);

    await Promise.all([cc.record(message(1)), cc.record(message(2)), cc.record(message(3))]);
    await settle();
    expect(seen).toEqual([1, 4]);
    stop();
  });

  it("keeps the same reference until the customer changes, as useSyncExternalStore requires", async () => {
    cc = createCustomerContext();
    await cc.record(message(0));
    const { subscribe, getSnapshot } = createCustomerStore(cc, { identifier: jan });
    let changes = 0;
    const stop = subscribe(() => changes++);
    await settle();
    const before = getSnapshot();
    await cc.record(message(0)); // a redelivery
    await cc.record(message(1, { type: "email", value: "ada@lovelace.pl" })); // someone else
    await settle();
    expect(changes).toBe(1);
    expect(getSnapshot()).toBe(before);
    await cc.record(message(2));
    await settle();
    expect(changes).toBe(2);
    expect(getSnapshot()?.timeline).toHaveLength(2);
    stop();
  });

  it("shares one observation, stops when the last subscriber leaves and restarts for the next", async () => {
    cc = createCustomerContext();
    let observing = 0;
    const counting = {
      observe: (...args: Parameters<CustomerContext["observe"]>) => {
        observing++;
        const stop = cc.observe(...args);
        return () => {
          observing--;
          stop();
        };
      },
    };
    const store = createCustomerStore(counting, { identifier: jan });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = store.subscribe((v) => a.push(v));
    const stopB = store.subscribe((v) => b.push(v));
    expect(observing).toBe(1);
    await settle();
    expect(a).toEqual([null]); // unknown customer: null, not loading
    await cc.record(message(0));
    await settle();
    expect(a[1]).toBe(b[1]);
    stopA();
    stopA(); // a second call changes nothing
    expect(observing).toBe(1);
    stopB();
    expect(observing).toBe(0);
    await cc.record(message(1));
    await settle();
    expect(b).toHaveLength(2);
    expect((store.getSnapshot() as { timeline: unknown[] }).timeline).toHaveLength(1);

    const c: unknown[] = [];
    const stopC = store.subscribe((v) => c.push(v));
    expect(observing).toBe(1);
    await settle();
    expect((c[0] as { timeline: unknown[] }).timeline).toHaveLength(2);
    stopC();
  });

  it("counts the same callback subscribed twice as two subscriptions", async () => {
    cc = createCustomerContext();
    const store = createCustomerStore(cc, { identifier: jan });
    let calls = 0;
    const onChange = () => calls++;
    const first = store.subscribe(onChange);
    const second = store.subscribe(onChange);
    await settle();
    expect(calls).toBe(2);
    first();
    await cc.record(message(0));
    await settle();
    expect(calls).toBe(3);
    second();
  });

  it("destroy stops observing, drops every subscriber, and makes later subscriptions inert", async () => {
    cc = createCustomerContext();
    const store = createCustomerStore(cc, { identifier: jan });
    const seen: unknown[] = [];
    store.subscribe((v) => seen.push(v));
    await settle();
    expect(seen).toHaveLength(1);
    store.destroy();
    store.destroy();
    const late = store.subscribe((v) => seen.push(v));
    await cc.record(message(0));
    await settle();
    expect(seen).toHaveLength(1);
    late();
  });

  it("works as a Svelte store and a Vue-style ref through subscribe", async () => {
    cc = createCustomerContext();
    await cc.record(message(0));
    const store = createCustomerStore(cc, { identifier: jan });
    // Svelte: readable(store.getSnapshot(), (set) => store.subscribe(set)); here `set` is a plain setter.
    const ref = { value: store.getSnapshot() };
    const stop = store.subscribe((next) => {
      ref.value = next;
    });
    await settle();
    expect(ref.value?.timeline).toHaveLength(1);
    stop();
  });

  it("rejects a malformed customer reference, a non-context and a non-function subscriber", () => {
    cc = createCustomerContext();
    const refError = (() => {
      try {
        createCustomerStore(cc, { identifier: { type: "email" } } as never);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isCustomerContextError(refError, "invalid_input")).toBe(true);
    expect((refError as { details: { path: unknown[] }[] }).details[0]?.path[0]).toBe("identifier");

    expect(() => createCustomerStore({} as never, { identifier: jan })).toThrow(/observe/);
    const store = createCustomerStore(cc, { identifier: jan });
    expect(() => store.subscribe("nope" as never)).toThrow(/must be a function/);
  });
});
