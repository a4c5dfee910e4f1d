import { InvalidInputError } from "../errors.js";
import type { CustomerSnapshot } from "../schema/outputs.js";
import { parseInput } from "../schema/parse.js";
import { CustomerRef } from "../schema/primitives.js";

/** What {@link CustomerStore.getSnapshot} returns: `undefined` while loading, `null` for an unknown customer. */
export type CustomerStoreSnapshot = CustomerSnapshot | null | undefined;

/** The part of a customer context a store needs: `observe` (so any object that has it will do). */
export interface ObservableCustomerContext {
  observe(ref: CustomerRef, listener: (snapshot: CustomerSnapshot | null) => void): () => void;
}

/**
 * A store of one customer's context, for UI frameworks. `subscribe` and `getSnapshot` are the pair
 * React's `useSyncExternalStore` takes; both are bound, so they can be passed around as they are.
 */
export interface CustomerStore {
  /**
   * Registers a change callback and returns the function that removes it. The callback gets the new
   * snapshot (it is not called at subscribe time). The first subscriber starts observing the
   * customer; when the last one leaves, observing stops, and the next subscriber starts it again.
   */
  subscribe(onChange: (snapshot: CustomerStoreSnapshot) => void): () => void;
  /** The latest snapshot: the same object until something about the customer changes. */
  getSnapshot(): CustomerStoreSnapshot;
  /** Stops observing and drops every subscriber; later `subscribe` calls are inert. Idempotent. */
  destroy(): void;
}

/**
 * Creates a store of one customer's context over `cc.observe`, shaped for UI frameworks: React's
 * `useSyncExternalStore(store.subscribe, store.getSnapshot)`, a Svelte store
 * (`readable(store.getSnapshot(), (set) => store.subscribe(set))`), a Vue `shallowRef` updated from
 * `subscribe`, or a Solid signal.
 *
 * The context batches changes (all writes of one tick give at most one refresh) and never re-emits
 * an unchanged snapshot, so every `onChange` call means a new snapshot, and `getSnapshot()` returns
 * the same reference in between, as `useSyncExternalStore` requires. The last snapshot stays
 * readable after everyone has left.
 *
 * @param cc - the customer context (anything with its `observe` method)
 * @param ref - which customer: `{ profileId }` or `{ identifier: { type, value } }`
 * @returns the store
 * @throws {InvalidInputError} `invalid_input` for a malformed `ref` or a `cc` without `observe`
 *
 * @example
 * ```ts
 * import { createCustomerContext, createCustomerStore } from "customer-context";
 *
 * const cc = createCustomerContext();
 * const store = createCustomerStore(cc, { identifier: { type: "email", value: "jan@kowalski.pl" } });
 * // React: const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
 * const stop = store.subscribe((view) => console.log(view?.timeline.length));
 * stop();
 * store.destroy();
 * ```
 */
export function createCustomerStore(cc: ObservableCustomerContext, ref: CustomerRef): CustomerStore {
  if (typeof (cc as Partial<ObservableCustomerContext> | null)?.observe !== "function") {
    throw new InvalidInputError("customer store", [
      { path: ["cc"], code: "invalid_type", message: "must be a customer context (an object with observe)" },
    ]);
  }
  const customer = parseInput(CustomerRef, ref, "customer reference");
  const listeners = new Set<{ onChange: (snapshot: CustomerStoreSnapshot) => void }>();
  let snapshot: CustomerStoreSnapshot;
  let stopObserving: (() => void) | undefined;
  let destroyed = false;

  const stop = () => {
    stopObserving?.();
    stopObserving = undefined;
  };

  const subscribe = (onChange: (snapshot: CustomerStoreSnapshot) => void): (() => void) => {
    if (typeof onChange !== "function") {
      throw new InvalidInputError("customer store subscriber", [
        { path: ["onChange"], code: "invalid_type", message: "must be a function" },
      ]);
    }
    if (destroyed) return () => undefined;
    // An entry per subscription, so the same callback subscribed twice needs two unsubscribes.
    const entry = { onChange };
    listeners.add(entry);
    stopObserving ??= cc.observe(customer, (next) => {
      snapshot = next;
      for (const listener of [...listeners]) if (listeners.has(listener)) listener.onChange(next);
    });
    return () => {
      listeners.delete(entry);
      if (listeners.size === 0) stop();
    };
  };

  return {
    subscribe,
    getSnapshot: () => snapshot,
    destroy: () => {
      destroyed = true;
      listeners.clear();
      stop();
    },
  };
}
