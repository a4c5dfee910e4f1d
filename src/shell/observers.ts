/**
 * Listeners of a context: subscribers get every event after its commit, and observers of one
 * customer get a fresh snapshot, batched per macrotask and only when it changed. A listener that
 * throws never reaches the operation; its error goes to `onListenerError`.
 *
 * @module
 */
import type { CustomerContextListener } from "../customerContext.js";
import type { CustomerContextEvent, CustomerSnapshot } from "../schema/outputs.js";
import type { CustomerRef } from "../schema/primitives.js";

/** Where a listener's error is reported, with the event or the observed customer it came from. */
export type ListenerErrorHandler = (
  error: unknown,
  source: CustomerContextEvent | { type: "observe"; ref: CustomerRef },
) => void;

/** Hands each event to every listener, in order; a listener that throws does not stop the others. */
export function deliver(
  listeners: ReadonlySet<CustomerContextListener>,
  events: readonly CustomerContextEvent[],
  onListenerError: ListenerErrorHandler,
): void {
  for (const event of events) {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error, event);
      }
    }
  }
}

/** One `observe` call: the customer, the listener and the last snapshot it was given (as JSON). */
export interface Observer {
  ref: CustomerRef;
  listener: (snapshot: CustomerSnapshot | null) => void;
  last: string | undefined;
  active: boolean;
}

/**
 * The observers of one context. {@link Observers.schedule} after a write batches refreshes: all
 * writes of one macrotask produce at most one snapshot per observer, and an unchanged snapshot
 * is not emitted again.
 */
export class Observers extends Set<Observer> {
  #scheduled = false;
  readonly #snapshot: (ref: CustomerRef) => Promise<CustomerSnapshot | null>;
  readonly #isClosed: () => boolean;
  readonly #onListenerError: ListenerErrorHandler;

  constructor(
    snapshot: (ref: CustomerRef) => Promise<CustomerSnapshot | null>,
    isClosed: () => boolean,
    onListenerError: ListenerErrorHandler,
  ) {
    super();
    this.#snapshot = snapshot;
    this.#isClosed = isClosed;
    this.#onListenerError = onListenerError;
  }

  /** Refreshes every observer on the next macrotask (once, however often it is called before). */
  schedule(): void {
    if (this.#scheduled || this.size === 0) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      for (const observer of this) void this.refresh(observer);
    }, 0);
  }

  /** Reads the observer's snapshot and gives it to its listener when it changed. */
  async refresh(observer: Observer): Promise<void> {
    if (this.#isClosed() || !observer.active) return;
    let snapshot: CustomerSnapshot | null;
    try {
      snapshot = await this.#snapshot(observer.ref);
    } catch (error) {
      if (!this.#isClosed()) this.#onListenerError(error, { type: "observe", ref: observer.ref });
      return;
    }
    const serialized = JSON.stringify(snapshot);
    if (!observer.active || serialized === observer.last) return;
    observer.last = serialized;
    try {
      observer.listener(snapshot);
    } catch (error) {
      this.#onListenerError(error, { type: "observe", ref: observer.ref });
    }
  }
}
