/**
 * The storage port: what customer-context needs from a database.
 *
 * The port is a small transactional document store with secondary indexes. The library
 * keeps evidence (observations, interactions, operator decisions, consents), derived state
 * (profiles, the identifier index, conversations, presentations) and an event log in named
 * collections; an adapter stores JSON documents and never interprets them.
 *
 * Required: `transaction`, `close`, and on the transaction `get`, `getMany`, `put`, `delete`,
 * `find`, `scan`, `lock`. Optional, declared in `capabilities`: the event log
 * (`appendEvent` / `readEvents`, and then also `deleteEventsNaming`, which erasure needs) and
 * `migrate`. Events are indexed by the ids they name ({@link NewEvent.names}).
 *
 * The port is batch-shaped: `getMany`, `findMany`, `putMany`, `deleteMany` and `appendEvents`
 * take many keys per call, and `lock` takes every key of a batch at once, so the number of
 * calls a batch of evidence needs does not grow with its size. The batch methods are optional
 * for third-party adapters (the library falls back to one call per key, see {@link batchOf}),
 * and the built-in adapters implement them natively.
 *
 * @module
 */

/** A JSON value as stored by an adapter. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Keys and index values are strings without U+0000. "Key order" everywhere in the port is
 * ascending UTF-16 code-unit order, JavaScript's `<` on strings (which differs from code-point
 * order when characters outside the BMP meet U+E000–U+FFFF).
 */
export type DocumentKey = string;

/** A document returned by `find` or `scan`. */
export interface StoredDocument<T = unknown> {
  key: string;
  value: T;
}

/**
 * Secondary index entries of a document: index name -> one value or several.
 * `find(collection, index, value)` returns the documents whose entry for `index` equals `value`.
 * A `put` replaces all index entries of the document.
 */
export type IndexEntries = Readonly<Record<string, string | readonly string[]>>;

/** Options of {@link StorageTransaction.put}. */
export interface PutOptions {
  index?: IndexEntries;
}

/** Options of {@link StorageTransaction.find} and {@link StorageTransaction.scan}. */
export interface RangeOptions {
  /** Only keys strictly greater than this one (ascending) or strictly smaller (descending). */
  after?: string;
  /** Only keys that start with this prefix (`scan` only). */
  prefix?: string;
  /** At most this many documents. */
  limit?: number;
  /** Descending key order instead of ascending. */
  reverse?: boolean;
}

/** One document of {@link StorageTransaction.putMany}. */
export interface PutEntry<T = unknown> {
  key: string;
  value: T;
  /** Its index entries; they replace the document's previous ones (none when absent). */
  index?: IndexEntries;
}

/** One event of {@link StorageTransaction.appendEvents}. */
export interface NewEvent {
  type: string;
  at: string;
  payload: JsonValue;
  /**
   * The ids the event names (profile, conversation, interaction and presentation ids). The adapter
   * indexes the event by each of them, so that {@link StorageTransaction.deleteEventsNaming} finds
   * it. Not part of the stored event that `readEvents` returns.
   */
  names?: readonly string[];
}

/** An entry of the event log. */
export interface StoredEvent {
  /**
   * Assigned by the adapter: unique and increasing. With several concurrent writers (PostgreSQL) a
   * smaller number may become visible shortly after a larger one.
   */
  seq: number;
  type: string;
  at: string;
  payload: JsonValue;
}

/** The operations available inside one transaction. */
export interface StorageTransaction {
  /** The document, or `null` when there is none. */
  get<T = unknown>(collection: string, key: string): Promise<T | null>;
  /** The documents that exist among `keys`, by key. Missing keys are absent from the map. */
  getMany<T = unknown>(collection: string, keys: readonly string[]): Promise<Map<string, T>>;
  /** Creates or replaces a document and its index entries. `value` must be JSON-serialisable. */
  put<T = unknown>(collection: string, key: string, value: T, options?: PutOptions): Promise<void>;
  /** Deletes a document and its index entries; `true` when it existed. */
  delete(collection: string, key: string): Promise<boolean>;
  /** Documents whose index entry `index` equals `value`, in ascending key order (unless `reverse`). */
  find<T = unknown>(
    collection: string,
    index: string,
    value: string,
    options?: RangeOptions,
  ): Promise<StoredDocument<T>[]>;
  /** Documents of a collection in ascending key order (unless `reverse`). */
  scan<T = unknown>(collection: string, options?: RangeOptions): Promise<StoredDocument<T>[]>;
  /**
   * Takes exclusive locks on the named keys until the transaction ends, waiting for other
   * transactions that hold them. Adapters that run one transaction at a time may do nothing.
   * Callers pass keys in any order; adapters lock them in a canonical order.
   */
  lock(keys: readonly string[]): Promise<void>;
  /**
   * Appends to the event log (capability `events`); returns the sequence number. `names` are the
   * ids the event names, see {@link NewEvent.names}.
   */
  appendEvent?(type: string, at: string, payload: JsonValue, names?: readonly string[]): Promise<number>;
  /**
   * Deletes every event of the log that names any of `names` (see {@link NewEvent.names}), with its
   * index entries; returns how many events went. This is how `forget` erases the events of a
   * person, whose profile ids are hashes of their identifiers. Optional like the batch methods,
   * but with no fallback (the port has no other way to remove an event): on an adapter with an
   * event log and without it, `forget` fails with `adapter_invalid` and writes nothing, instead
   * of leaving the person's events behind. A transaction that calls it is an erasure: an adapter that keeps images of deleted data
   * elsewhere (SQLite's write-ahead log) purges them once the transaction commits.
   */
  deleteEventsNaming?(names: readonly string[]): Promise<number>;
  /**
   * Documents whose index entry `index` equals any of `values`, each document once, in ascending
   * key order. Batch form of `find` (without range options).
   */
  findMany?<T = unknown>(collection: string, index: string, values: readonly string[]): Promise<StoredDocument<T>[]>;
  /**
   * Creates or replaces several documents, each with its index entries, as `put` would one by
   * one in array order (a key given twice ends with its last entry).
   */
  putMany?<T = unknown>(collection: string, entries: readonly PutEntry<T>[]): Promise<void>;
  /** Deletes several documents and their index entries; returns how many existed. */
  deleteMany?(collection: string, keys: readonly string[]): Promise<number>;
  /**
   * Appends several events in array order (capability `events`); returns their sequence numbers,
   * increasing.
   */
  appendEvents?(events: readonly NewEvent[]): Promise<number[]>;
}

/** What an adapter can do beyond the required methods. */
export interface StorageCapabilities {
  /** `transaction` is atomic and isolated (always required to be true). */
  transactions: true;
  /** Several processes may use the same store at once (PostgreSQL). */
  multiProcess: boolean;
  /** `appendEvent` and `readEvents` are implemented. */
  events: boolean;
  /** Data survives `close()` and a restart of the process. */
  durable: boolean;
}

/** Options of {@link StorageAdapter.transaction}. */
export interface TransactionOptions {
  /**
   * The transaction only reads. Adapters may run it concurrently with others, on one snapshot;
   * a write inside it is an error.
   */
  readOnly?: boolean;
}

/**
 * A storage adapter. Implement it for your own database, then prove it with
 * `runAdapterConformance` from `customer-context/testing`.
 *
 * @example
 * ```ts
 * import { createCustomerContext, memoryAdapter } from "customer-context";
 * const cc = createCustomerContext({ storage: memoryAdapter() });
 * ```
 */
export interface StorageAdapter {
  /** A short name for messages (`"memory"`, `"sqlite"`, `"postgres"`). */
  readonly name: string;
  readonly capabilities: StorageCapabilities;
  /**
   * Runs `fn` atomically: every write commits, or, when `fn` throws, none does and the error
   * is rethrown. Adapters may retry `fn` after a serialisation failure or deadlock, so `fn`
   * must have no effect outside the transaction.
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Events with `seq > after`, oldest first (capability `events`). */
  readEvents?(after: number, limit: number): Promise<StoredEvent[]>;
  /** Brings the schema up to date (idempotent). Adapters also migrate on first use. */
  migrate?(): Promise<void>;
  /** Releases connections. Further use fails. */
  close(): Promise<void>;
}

/** The batch methods of a transaction, always present (see {@link batchOf}). */
export type BatchTransaction = StorageTransaction &
  Required<Pick<StorageTransaction, "findMany" | "putMany" | "deleteMany">>;

/**
 * The transaction with every batch method: the adapter's own where it has them, otherwise a
 * fallback that makes one call per key (`find`, `put`, `delete`, `appendEvent`).
 *
 * @example
 * ```ts
 * await adapter.transaction(async (tx) => {
 *   await batchOf(tx).putMany("notes", [{ key: "a", value: 1 }, { key: "b", value: 2 }]);
 * });
 * ```
 */
export function batchOf(tx: StorageTransaction): BatchTransaction {
  if (tx.findMany && tx.putMany && tx.deleteMany) return tx as BatchTransaction;
  const cached = fallbacks.get(tx);
  if (cached) return cached;
  // Bound methods, not a prototype chain: adapters' transactions may use #private fields.
  const wrapped = {
    get: tx.get.bind(tx),
    getMany: tx.getMany.bind(tx),
    put: tx.put.bind(tx),
    delete: tx.delete.bind(tx),
    find: tx.find.bind(tx),
    scan: tx.scan.bind(tx),
    lock: tx.lock.bind(tx),
  } as BatchTransaction;
  if (tx.appendEvent) wrapped.appendEvent = tx.appendEvent.bind(tx);
  if (tx.appendEvents) wrapped.appendEvents = tx.appendEvents.bind(tx);
  if (tx.deleteEventsNaming) wrapped.deleteEventsNaming = tx.deleteEventsNaming.bind(tx);
  wrapped.findMany =
    tx.findMany?.bind(tx) ??
    (async <T>(collection: string, index: string, values: readonly string[]) => {
      const byKey = new Map<string, StoredDocument<T>>();
      for (const value of new Set(values)) {
        for (const doc of await tx.find<T>(collection, index, value)) byKey.set(doc.key, doc);
      }
      return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  wrapped.putMany =
    tx.putMany?.bind(tx) ??
    (async <T>(collection: string, entries: readonly PutEntry<T>[]) => {
      for (const e of entries) await tx.put(collection, e.key, e.value, e.index ? { index: e.index } : undefined);
    });
  wrapped.deleteMany =
    tx.deleteMany?.bind(tx) ??
    (async (collection: string, keys: readonly string[]) => {
      let n = 0;
      for (const key of new Set(keys)) if (await tx.delete(collection, key)) n++;
      return n;
    });
  if (!tx.appendEvents && tx.appendEvent) {
    const append = tx.appendEvent.bind(tx);
    wrapped.appendEvents = async (events: readonly NewEvent[]) => {
      const seqs: number[] = [];
      for (const e of events) seqs.push(await append(e.type, e.at, e.payload, e.names));
      return seqs;
    };
  }
  fallbacks.set(tx, wrapped);
  return wrapped;
}

const fallbacks = new WeakMap<StorageTransaction, BatchTransaction>();

/** Names of the methods every adapter must have. */
export const REQUIRED_ADAPTER_MEMBERS = ["name", "capabilities", "transaction", "close"] as const;

/** Names of the methods every transaction must have. */
export const REQUIRED_TRANSACTION_METHODS = ["get", "getMany", "put", "delete", "find", "scan", "lock"] as const;

/** Names of the batch methods a transaction may have (each falls back to single calls when absent). */
export const BATCH_TRANSACTION_METHODS = ["findMany", "putMany", "deleteMany", "appendEvents"] as const;
