/**
 * `faultyAdapter`: a storage adapter wrapper that injects faults, for testing how code behaves
 * when the database fails.
 *
 * @module
 */
import type {
  StorageAdapter,
  StorageTransaction,
  StoredDocument,
  StoredEvent,
  TransactionOptions,
} from "../storage/port.js";

/** Which storage call fails. Calls are counted from the creation of the wrapper, or from the last `inject`. */
export interface FaultyAdapterOptions {
  /**
   * Transaction methods whose calls are counted and may fail, e.g. `["put", "appendEvent"]`.
   * Default: every method of the transaction (`get`, `getMany`, `put`, `delete`, `find`, `scan`,
   * `lock`, `appendEvent` and any the adapter adds). `transaction` itself is never counted.
   */
  methods?: readonly string[];
  /** The Nth counted call (1-based) fails, before it reaches the adapter. */
  call?: number;
  /**
   * The Nth write transaction (1-based) fails at commit: its function ran to the end, then the
   * commit fails, so nothing it wrote is kept. Read-only transactions are not counted.
   */
  commit?: number;
  /** How many calls (or commits) fail, starting at the Nth. Default 1; `Infinity` for all after it. */
  times?: number;
  /** Makes the error thrown. Default: a {@link FaultInjectedError}. */
  error?: (where: FaultLocation) => unknown;
}

/** Where a fault was injected. */
export interface FaultLocation {
  /** The transaction method, or `"commit"`. */
  method: string;
  /** Its number among the counted calls (or commits), 1-based. */
  count: number;
}

/** Everything stored, as seen through the port: the documents of every collection used so far, and the event log. */
export interface StorageDump {
  collections: Record<string, StoredDocument[]>;
  events: StoredEvent[];
}

/** The wrapper returned by {@link faultyAdapter}: a {@link StorageAdapter} with controls. */
export interface FaultyAdapter extends StorageAdapter {
  /** The wrapped adapter. */
  readonly inner: StorageAdapter;
  /** Counted calls since creation or the last `inject`. */
  readonly calls: number;
  /** Write transactions that reached their commit since creation or the last `inject`. */
  readonly commits: number;
  /** Faults injected so far, oldest first. */
  readonly faults: readonly FaultLocation[];
  /** Replaces the options and restarts the counts. */
  inject(options: FaultyAdapterOptions): void;
  /** Stops injecting faults (the counts go on). */
  clear(): void;
  /**
   * Reads every document of every collection the wrapper has seen used (empty ones left out),
   * and the whole event log, in one read-only transaction that is never counted or faulted.
   * Compare a dump before and after a failed operation to prove it left nothing behind.
   */
  dump(): Promise<StorageDump>;
}

/** The default error of an injected fault. */
export class FaultInjectedError extends Error {
  /** Where it was injected. */
  readonly location: FaultLocation;

  constructor(location: FaultLocation) {
    super(`injected fault at ${location.method} #${location.count}`);
    this.name = "FaultInjectedError";
    this.location = location;
  }
}

/**
 * Wraps a storage adapter so that a chosen storage call fails: by method, by count (the Nth
 * call) or at the commit of the Nth write transaction. Use it to prove that your code (or an
 * adapter of your own under customer-context) leaves no partial state when the database fails.
 *
 * @param adapter The adapter to wrap (for example `memoryAdapter()`).
 * @param options Which call fails; without options nothing fails until {@link FaultyAdapter.inject}.
 * @returns The wrapper, itself a storage adapter.
 * @example
 * ```ts
 * import { createCustomerContext, memoryAdapter } from "customer-context";
 * import { faultyAdapter } from "customer-context/testing";
 * const storage = faultyAdapter(memoryAdapter());
 * const cc = createCustomerContext({ storage });
 * const before = await storage.dump();
 * storage.inject({ methods: ["putMany"], call: 1 });
 * await cc.identify({ identifiers: [{ type: "email", value: "jan@shop.pl" }] }).catch((e) => e.code); // "storage_failure"
 * storage.clear();
 * expect(await storage.dump()).toEqual(before);
 * ```
 */
export function faultyAdapter(adapter: StorageAdapter, options: FaultyAdapterOptions = {}): FaultyAdapter {
  let current: FaultyAdapterOptions = { ...options };
  let active = true;
  let calls = 0;
  let commits = 0;
  const faults: FaultLocation[] = [];
  const seen = new Set<string>();

  const hits = (n: number, at: number | undefined): boolean => {
    if (!active || at === undefined) return false;
    const times = current.times ?? 1;
    return n >= at && n < at + times;
  };
  const fail = (location: FaultLocation): never => {
    faults.push(location);
    throw current.error ? current.error(location) : new FaultInjectedError(location);
  };
  const counted = (method: string): boolean =>
    current.methods === undefined ? true : current.methods.includes(method);

  function wrap(tx: StorageTransaction): StorageTransaction {
    return new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || typeof property !== "string") return value;
        return (...args: unknown[]) => {
          if (typeof args[0] === "string" && property !== "lock" && property !== "appendEvent") seen.add(args[0]);
          if (counted(property)) {
            calls++;
            if (hits(calls, current.call)) fail({ method: property, count: calls });
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  const wrapper: FaultyAdapter = {
    get name() {
      return adapter.name;
    },
    get capabilities() {
      return adapter.capabilities;
    },
    inner: adapter,
    get calls() {
      return calls;
    },
    get commits() {
      return commits;
    },
    get faults() {
      return faults;
    },
    transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, txOptions?: TransactionOptions): Promise<T> {
      const readOnly = txOptions?.readOnly === true;
      return adapter.transaction(async (tx) => {
        const result = await fn(wrap(tx));
        if (!readOnly) {
          commits++;
          // Throwing here makes the wrapped adapter roll back: a commit that failed.
          if (hits(commits, current.commit)) fail({ method: "commit", count: commits });
        }
        return result;
      }, txOptions);
    },
    inject(next: FaultyAdapterOptions): void {
      current = { ...next };
      active = true;
      calls = 0;
      commits = 0;
    },
    clear(): void {
      active = false;
    },
    async dump(): Promise<StorageDump> {
      // Straight on the wrapped adapter: never counted, never faulted.
      const collections: Record<string, StoredDocument[]> = {};
      await adapter.transaction(
        async (tx) => {
          for (const name of [...seen].sort()) {
            const documents = await tx.scan(name);
            // An empty collection and one never written are the same state.
            if (documents.length > 0) collections[name] = documents;
          }
        },
        { readOnly: true },
      );
      const events: StoredEvent[] = [];
      if (adapter.capabilities.events && adapter.readEvents) {
        for (let after = 0; ; ) {
          const page = await adapter.readEvents(after, 1000);
          events.push(...page);
          const last = page[page.length - 1];
          if (page.length < 1000 || last === undefined) break;
          after = last.seq;
        }
      }
      return { collections, events };
    },
    close(): Promise<void> {
      return adapter.close();
    },
  };
  if (adapter.readEvents) {
    const readEvents = adapter.readEvents.bind(adapter);
    wrapper.readEvents = (after, limit) => readEvents(after, limit);
  }
  if (adapter.migrate) {
    const migrate = adapter.migrate.bind(adapter);
    wrapper.migrate = () => migrate();
  }
  return wrapper;
}
