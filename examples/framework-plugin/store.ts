/**
 * A minimal external store over `cc.observe`, as a UI framework plugin would write it. Its
 * `subscribe` / `getSnapshot` pair is what React's `useSyncExternalStore` expects, and works as
 * well for a Svelte store, a Vue `shallowRef` or a Solid signal.
 *
 * @module
 */
import type { CustomerContext, CustomerRef, CustomerSnapshot } from "../../src/index.js";

/** What {@link CustomerStore.getSnapshot} returns: `undefined` while loading, `null` for an unknown customer. */
export type CustomerStoreSnapshot = CustomerSnapshot | null | undefined;

/** A store of one customer's context. */
export interface CustomerStore {
  /**
   * Registers a change callback and returns the function that removes it. The first subscriber
   * starts observing the customer; when the last one leaves, observing stops.
   */
  subscribe(onChange: () => void): () => void;
  /** The latest snapshot. The same object until something about the customer changes. */
  getSnapshot(): CustomerStoreSnapshot;
}

/**
 * Creates a store of one customer's context over `cc.observe`. The library batches changes (all
 * writes of one tick give at most one refresh) and never re-emits an unchanged snapshot, so every
 * `onChange` call means a new snapshot, and `getSnapshot()` returns a stable reference in between,
 * as `useSyncExternalStore` requires.
 *
 * @param cc - the customer context
 * @param ref - which customer: `{ profileId }` or `{ identifier: { type, value } }`
 * @returns the store
 *
 * @example
 * ```ts
 * // React: const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
 * const store = createCustomerStore(cc, { identifier: { type: "email", value: "jan@kowalski.pl" } });
 * const stop = store.subscribe(() => console.log(store.getSnapshot()?.timeline.length));
 * stop();
 * ```
 */
export function createCustomerStore(cc: CustomerContext, ref: CustomerRef): CustomerStore {
  const listeners = new Set<() => void>();
  let snapshot: CustomerStoreSnapshot;
  let stopObserving: (() => void) | undefined;

  const subscribe = (onChange: () => void): (() => void) => {
    // A wrapper per subscription, so the same callback subscribed twice needs two unsubscribes.
    const entry = () => onChange();
    listeners.add(entry);
    stopObserving ??= cc.observe(ref, (next) => {
      snapshot = next;
      for (const listener of [...listeners]) listener();
    });
    return () => {
      listeners.delete(entry);
      if (listeners.size === 0 && stopObserving) {
        stopObserving();
        stopObserving = undefined;
      }
    };
  };
  const getSnapshot = (): CustomerStoreSnapshot => snapshot;
  return { subscribe, getSnapshot };
}
