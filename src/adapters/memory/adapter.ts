import { freeze } from "immer";
import type {
  IndexEntries,
  JsonValue,
  PutOptions,
  RangeOptions,
  StorageAdapter,
  StorageCapabilities,
  StorageTransaction,
  StoredDocument,
  StoredEvent,
  TransactionOptions,
} from "./port.js";

interface IndexBucket {
  keys: Set<string>;
  sorted: string[] | null;
}

interface CollectionState {
  docs: Map<string, unknown>;
  entries: Map<string, IndexEntries>;
  indexes: Map<string, Map<string, IndexBucket>>;
  sortedKeys: string[] | null;
}

interface UndoRecord {
  collection: CollectionState;
  key: string;
  existed: boolean;
  value: unknown;
  entries: IndexEntries | undefined;
}

/** Options of {@link memoryAdapter}. */
export interface MemoryAdapterOptions {
  /** Name used in messages. Default `"memory"`. */
  name?: string;
}

/**
 * The in-memory storage adapter, the default of `createCustomerContext`. Transactions run one at
 * a time and really roll back; stored values are deep-frozen JSON copies, so mutating what you
 * passed in or what you got back never changes stored state.
 *
 * @example
 * ```ts
 * import { createCustomerContext, memoryAdapter } from "customer-context";
 * const cc = createCustomerContext({ storage: memoryAdapter() });
 * ```
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): StorageAdapter {
  return new MemoryAdapter(options.name ?? "memory");
}

class MemoryAdapter implements StorageAdapter {
  readonly name: string;
  readonly capabilities: StorageCapabilities = {
    transactions: true,
    multiProcess: false,
    events: true,
    durable: false,
  };
  #collections = new Map<string, CollectionState>();
  #events: StoredEvent[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(name: string) {
    this.name = name;
  }

  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    const run = this.#queue.then(() => this.#run(fn, options?.readOnly === true));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run<T>(fn: (tx: StorageTransaction) => Promise<T>, readOnly: boolean): Promise<T> {
    const tx = new MemoryTransaction(this.#collections, this.#events, readOnly);
    try {
      const result = await fn(tx);
      tx.end();
      return result;
    } catch (error) {
      tx.rollback();
      throw error;
    }
  }

  async readEvents(after: number, limit: number): Promise<StoredEvent[]> {
    // seq n is stored at index n - 1.
    return this.#events.slice(Math.max(0, after), Math.max(0, after) + limit);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }
}

class MemoryTransaction implements StorageTransaction {
  #collections: Map<string, CollectionState>;
  #events: StoredEvent[];
  #undo: UndoRecord[] = [];
  #eventMark: number;
  #done = false;
  #readOnly: boolean;

  constructor(collections: Map<string, CollectionState>, events: StoredEvent[], readOnly: boolean) {
    this.#collections = collections;
    this.#events = events;
    this.#eventMark = events.length;
    this.#readOnly = readOnly;
  }

  #checkWrite(): void {
    this.#check();
    if (this.#readOnly) throw new Error("cannot write in a read-only transaction");
  }

  end(): void {
    this.#done = true;
    this.#undo = [];
  }

  rollback(): void {
    for (let i = this.#undo.length - 1; i >= 0; i--) {
      const u = this.#undo[i] as UndoRecord;
      unindex(u.collection, u.key);
      if (u.existed) {
        if (!u.collection.docs.has(u.key)) u.collection.sortedKeys = null;
        u.collection.docs.set(u.key, u.value);
        if (u.entries) index(u.collection, u.key, u.entries);
      } else if (u.collection.docs.delete(u.key)) {
        u.collection.sortedKeys = null;
      }
    }
    this.#events.length = this.#eventMark;
    this.end();
  }

  #check(): void {
    if (this.#done) throw new Error("transaction already ended");
  }

  #collection(name: string): CollectionState {
    let c = this.#collections.get(name);
    if (!c) {
      c = { docs: new Map(), entries: new Map(), indexes: new Map(), sortedKeys: null };
      this.#collections.set(name, c);
    }
    return c;
  }

  #remember(c: CollectionState, key: string): void {
    const existed = c.docs.has(key);
    this.#undo.push({ collection: c, key, existed, value: c.docs.get(key), entries: c.entries.get(key) });
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    this.#check();
    const value = this.#collections.get(collection)?.docs.get(key);
    return value === undefined ? null : (value as T);
  }

  async getMany<T>(collection: string, keys: readonly string[]): Promise<Map<string, T>> {
    this.#check();
    const out = new Map<string, T>();
    const docs = this.#collections.get(collection)?.docs;
    if (!docs) return out;
    for (const key of keys) {
      const value = docs.get(key);
      if (value !== undefined) out.set(key, value as T);
    }
    return out;
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<void> {
    this.#checkWrite();
    const stored = toStored(value);
    const c = this.#collection(collection);
    this.#remember(c, key);
    if (!c.docs.has(key)) c.sortedKeys = null;
    unindex(c, key);
    c.docs.set(key, stored);
    const entries = options?.index;
    if (entries && Object.keys(entries).length > 0) index(c, key, freeze(copyEntries(entries)));
  }

  async delete(collection: string, key: string): Promise<boolean> {
    this.#checkWrite();
    const c = this.#collections.get(collection);
    if (!c?.docs.has(key)) return false;
    this.#remember(c, key);
    unindex(c, key);
    c.docs.delete(key);
    c.sortedKeys = null;
    return true;
  }

  async find<T>(
    collection: string,
    indexName: string,
    value: string,
    options: RangeOptions = {},
  ): Promise<StoredDocument<T>[]> {
    this.#check();
    const c = this.#collections.get(collection);
    const bucket = c?.indexes.get(indexName)?.get(value);
    if (!c || !bucket) return [];
    bucket.sorted ??= [...bucket.keys].sort(compareKeys);
    return select(c, bucket.sorted, options);
  }

  async scan<T>(collection: string, options: RangeOptions = {}): Promise<StoredDocument<T>[]> {
    this.#check();
    const c = this.#collections.get(collection);
    if (!c) return [];
    c.sortedKeys ??= [...c.docs.keys()].sort(compareKeys);
    return select(c, c.sortedKeys, options);
  }

  async lock(_keys: readonly string[]): Promise<void> {
    // Transactions run one at a time: nothing to lock.
    this.#check();
  }

  async appendEvent(type: string, at: string, payload: JsonValue): Promise<number> {
    this.#checkWrite();
    const seq = this.#events.length + 1;
    this.#events.push(freeze({ seq, type, at, payload: toStored(payload) }) as StoredEvent);
    return seq;
  }
}

/** UTF-16 code-unit order (JavaScript `<`), the order the port promises. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function select<T>(c: CollectionState, sorted: readonly string[], options: RangeOptions): StoredDocument<T>[] {
  const { after, prefix, limit = Number.POSITIVE_INFINITY, reverse = false } = options;
  const out: StoredDocument<T>[] = [];
  if (limit <= 0) return out;
  const n = sorted.length;
  let i: number;
  if (reverse) {
    i = after === undefined ? n - 1 : lowerBound(sorted, after) - 1;
  } else {
    i = after === undefined ? (prefix === undefined ? 0 : lowerBound(sorted, prefix)) : upperBound(sorted, after);
  }
  for (; reverse ? i >= 0 : i < n; reverse ? i-- : i++) {
    const key = sorted[i] as string;
    if (prefix !== undefined && !key.startsWith(prefix)) {
      if (!reverse && key > prefix) break;
      continue;
    }
    out.push({ key, value: c.docs.get(key) as T });
    if (out.length >= limit) break;
  }
  return out;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function index(c: CollectionState, key: string, entries: IndexEntries): void {
  c.entries.set(key, entries);
  for (const [name, values] of Object.entries(entries)) {
    let byValue = c.indexes.get(name);
    if (!byValue) {
      byValue = new Map();
      c.indexes.set(name, byValue);
    }
    for (const v of typeof values === "string" ? [values] : values) {
      let bucket = byValue.get(v);
      if (!bucket) {
        bucket = { keys: new Set(), sorted: null };
        byValue.set(v, bucket);
      }
      if (!bucket.keys.has(key)) {
        bucket.keys.add(key);
        bucket.sorted = null;
      }
    }
  }
}

function unindex(c: CollectionState, key: string): void {
  const entries = c.entries.get(key);
  if (!entries) return;
  c.entries.delete(key);
  for (const [name, values] of Object.entries(entries)) {
    const byValue = c.indexes.get(name);
    if (!byValue) continue;
    for (const v of typeof values === "string" ? [values] : values) {
      const bucket = byValue.get(v);
      if (!bucket?.keys.delete(key)) continue;
      if (bucket.keys.size === 0) byValue.delete(v);
      else bucket.sorted = null;
    }
  }
}

function copyEntries(entries: IndexEntries): IndexEntries {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, values] of Object.entries(entries)) {
    out[name] = typeof values === "string" ? values : [...new Set(values)];
  }
  return out;
}

/**
 * What a SQL adapter would give back after `JSON.stringify` / `JSON.parse`, deep-frozen. A value
 * that is already frozen (immer's output, or a value read from this adapter) is stored as it is,
 * so unchanged subtrees are shared.
 */
function toStored<T>(value: T): T {
  if (value === undefined) throw new TypeError("cannot store undefined");
  return jsonCopy(value) as T;
}

/** One pass that copies like a JSON round trip and freezes as it goes. */
function jsonCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string" || typeof value === "boolean") return value;
    if (value === null) return null;
    return JSON.parse(JSON.stringify(value) ?? "null");
  }
  if (Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = item === undefined || typeof item === "function" || typeof item === "symbol" ? null : jsonCopy(item);
    }
    return Object.freeze(out);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function")
    return freeze(JSON.parse(JSON.stringify(value)), true);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    out[key] = jsonCopy(item);
  }
  return Object.freeze(out);
}
