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
 * (`appendEvent` / `readEvents`) and `migrate`.
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
  /** Appends to the event log (capability `events`); returns the sequence number. */
  appendEvent?(type: string, at: string, payload: JsonValue): Promise<number>;
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

/** Names of the methods every adapter must have. */
export const REQUIRED_ADAPTER_MEMBERS = ["name", "capabilities", "transaction", "close"] as const;

/** Names of the methods every transaction must have. */
export const REQUIRED_TRANSACTION_METHODS = ["get", "getMany", "put", "delete", "find", "scan", "lock"] as const;
