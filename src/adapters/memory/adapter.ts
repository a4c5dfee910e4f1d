import type {
  IndexEntries,
  JsonValue,
  NewEvent,
  PutEntry,
  PutOptions,
  RangeOptions,
  StorageAdapter,
  StorageCapabilities,
  StorageTransaction,
  StoredDocument,
  StoredEvent,
  TransactionOptions,
} from "../../storage/port.js";

/**
 * The keys holding one index value. Most index values name one document (an identifier's
 * links, a Message-ID), so a single key is stored as the bare string; a Set only from two on.
 */
interface IndexBucket {
  keys: Set<string>;
  sorted: string[] | null;
}

interface CollectionState {
  docs: Map<string, unknown>;
  entries: Map<string, IndexEntries>;
  indexes: Map<string, Map<string, string | IndexBucket>>;
  sortedKeys: string[] | null;
}

/**
 * The event log: seq n at index n - 1 (an erased event leaves `null`, so positions never move),
 * and for every name the seqs of the events naming it.
 */
interface EventLog {
  entries: Array<StoredEvent | null>;
  byName: Map<string, Set<number>>;
  /** The names of each live event, to unindex it when it is erased. */
  namesOf: Map<number, readonly string[]>;
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
 * a time and really roll back. Stored values are deeply frozen: a value that already is (the
 * library hands over frozen documents) is stored as it is, with no copy; any other value is
 * copied once, as a JSON round trip would, and frozen. Reads return the stored value without a
 * copy. So mutating what you passed in or what you got back never changes stored state.
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
  #events: EventLog = { entries: [], byName: new Map(), namesOf: new Map() };
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
    // seq n is stored at index n - 1; erased events leave holes.
    const out: StoredEvent[] = [];
    const entries = this.#events.entries;
    for (let i = Math.max(0, Math.floor(after)); i < entries.length && out.length < limit; i++) {
      const event = entries[i];
      if (event) out.push(event);
    }
    return out;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }
}

class MemoryTransaction implements StorageTransaction {
  #collections: Map<string, CollectionState>;
  #events: EventLog;
  #undo: UndoRecord[] = [];
  #eventMark: number;
  /** Events erased by this transaction, restored on rollback. */
  #erased: Array<{ event: StoredEvent; names: readonly string[] }> = [];
  #done = false;
  #readOnly: boolean;

  constructor(collections: Map<string, CollectionState>, events: EventLog, readOnly: boolean) {
    this.#collections = collections;
    this.#events = events;
    this.#eventMark = events.entries.length;
    this.#readOnly = readOnly;
  }

  #checkWrite(): void {
    this.#check();
    if (this.#readOnly) throw new Error("cannot write in a read-only transaction");
  }

  end(): void {
    this.#done = true;
    this.#undo = [];
    this.#erased = [];
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
    const log = this.#events;
    for (let seq = log.entries.length; seq > this.#eventMark; seq--) unindexEvent(log, seq);
    log.entries.length = this.#eventMark;
    for (const { event, names } of this.#erased) {
      log.entries[event.seq - 1] = event;
      indexEvent(log, event.seq, names);
    }
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
    this.#put(this.#collection(collection), key, toStored(value), options?.index);
  }

  async putMany<T>(collection: string, entries: readonly PutEntry<T>[]): Promise<void> {
    this.#checkWrite();
    // Convert everything first, so a value that cannot be stored leaves nothing half-written.
    const stored = entries.map((e) => toStored(e.value));
    const c = this.#collection(collection);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as PutEntry<T>;
      this.#put(c, e.key, stored[i], e.index);
    }
  }

  #put(c: CollectionState, key: string, stored: unknown, entries: IndexEntries | undefined): void {
    this.#remember(c, key);
    if (!c.docs.has(key)) c.sortedKeys = null;
    c.docs.set(key, stored);
    // Most rewrites keep their index entries (an identifier seen again, a profile that grew):
    // then the indexes stay as they are.
    if (sameEntries(c.entries.get(key), entries)) return;
    unindex(c, key);
    if (entries && hasEntries(entries)) index(c, key, copyEntries(entries));
  }

  async delete(collection: string, key: string): Promise<boolean> {
    this.#checkWrite();
    return this.#delete(collection, key);
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<number> {
    this.#checkWrite();
    let n = 0;
    for (const key of keys) if (this.#delete(collection, key)) n++;
    return n;
  }

  #delete(collection: string, key: string): boolean {
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
    if (!c || bucket === undefined) return [];
    return select(c, sortedOf(bucket), options);
  }

  async findMany<T>(collection: string, indexName: string, values: readonly string[]): Promise<StoredDocument<T>[]> {
    this.#check();
    const c = this.#collections.get(collection);
    const byValue = c?.indexes.get(indexName);
    if (!c || !byValue) return [];
    const keys = new Set<string>();
    for (const value of values) {
      const bucket = byValue.get(value);
      if (bucket === undefined) continue;
      if (typeof bucket === "string") keys.add(bucket);
      else for (const key of bucket.keys) keys.add(key);
    }
    return [...keys].sort(compareKeys).map((key) => ({ key, value: c.docs.get(key) as T }));
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

  async appendEvent(type: string, at: string, payload: JsonValue, names?: readonly string[]): Promise<number> {
    this.#checkWrite();
    return this.#append(type, at, toStored(payload), names);
  }

  async appendEvents(events: readonly NewEvent[]): Promise<number[]> {
    this.#checkWrite();
    const payloads = events.map((e) => toStored(e.payload));
    return events.map((e, i) => this.#append(e.type, e.at, payloads[i] as JsonValue, e.names));
  }

  #append(type: string, at: string, payload: JsonValue, names: readonly string[] | undefined): number {
    const log = this.#events;
    const seq = log.entries.length + 1;
    log.entries.push(Object.freeze({ seq, type, at, payload }) as StoredEvent);
    if (names && names.length > 0) indexEvent(log, seq, [...new Set(names)]);
    return seq;
  }

  async deleteEventsNaming(names: readonly string[]): Promise<number> {
    this.#checkWrite();
    const log = this.#events;
    const seqs = new Set<number>();
    for (const name of names) for (const seq of log.byName.get(name) ?? []) seqs.add(seq);
    for (const seq of seqs) {
      const event = log.entries[seq - 1];
      if (!event) continue;
      // Events appended by this transaction go with the rollback anyway; older ones come back.
      if (seq <= this.#eventMark) this.#erased.push({ event, names: log.namesOf.get(seq) ?? [] });
      unindexEvent(log, seq);
      log.entries[seq - 1] = null;
    }
    return seqs.size;
  }
}

function indexEvent(log: EventLog, seq: number, names: readonly string[]): void {
  if (names.length === 0) return;
  log.namesOf.set(seq, names);
  for (const name of names) {
    let seqs = log.byName.get(name);
    if (!seqs) {
      seqs = new Set();
      log.byName.set(name, seqs);
    }
    seqs.add(seq);
  }
}

function unindexEvent(log: EventLog, seq: number): void {
  const names = log.namesOf.get(seq);
  if (!names) return;
  log.namesOf.delete(seq);
  for (const name of names) {
    const seqs = log.byName.get(name);
    if (!seqs) continue;
    seqs.delete(seq);
    if (seqs.size === 0) log.byName.delete(name);
  }
}

function sortedOf(bucket: string | IndexBucket): readonly string[] {
  if (typeof bucket === "string") return [bucket];
  bucket.sorted ??= [...bucket.keys].sort(compareKeys);
  return bucket.sorted;
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
      const bucket = byValue.get(v);
      if (bucket === undefined) byValue.set(v, key);
      else if (typeof bucket === "string") {
        if (bucket !== key) byValue.set(v, { keys: new Set([bucket, key]), sorted: null });
      } else if (!bucket.keys.has(key)) {
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
      if (bucket === undefined) continue;
      if (typeof bucket === "string") {
        if (bucket === key) byValue.delete(v);
        continue;
      }
      if (!bucket.keys.delete(key)) continue;
      if (bucket.keys.size === 1) byValue.set(v, bucket.keys.values().next().value as string);
      else bucket.sorted = null;
    }
  }
}

function hasEntries(entries: IndexEntries): boolean {
  for (const _ in entries) return true;
  return false;
}

/** True when `next` names the same index values as the stored `entries` (both possibly absent). */
function sameEntries(stored: IndexEntries | undefined, next: IndexEntries | undefined): boolean {
  if (stored === undefined) return next === undefined || !hasEntries(next);
  if (next === undefined) return false;
  let names = 0;
  for (const name in next) {
    names++;
    const a = stored[name];
    const b = next[name] as string | readonly string[];
    if (a === undefined) return false;
    if (typeof b === "string") {
      if (a !== b) return false;
      continue;
    }
    const values = new Set(b);
    if (typeof a === "string") {
      if (values.size !== 1 || !values.has(a)) return false;
    } else if (values.size !== a.length || a.some((v) => !values.has(v))) return false;
  }
  for (const _ in stored) names--;
  return names === 0;
}

/** A private copy of index entries (the caller may reuse its object), deduplicated. */
function copyEntries(entries: IndexEntries): IndexEntries {
  const out: Record<string, string | readonly string[]> = Object.create(null);
  for (const name of Object.keys(entries)) {
    const values = entries[name] as string | readonly string[];
    out[name] =
      typeof values === "string" ? values : values.length === 1 ? (values[0] as string) : [...new Set(values)];
  }
  return out;
}

/**
 * The stored form of a value: the value itself when it is deeply frozen JSON (checked by a walk
 * that allocates nothing), otherwise what a SQL adapter would give back after `JSON.stringify` /
 * `JSON.parse`, deep-frozen. Frozen subtrees of a copied value are shared, not copied again.
 */
function toStored<T>(value: T): T {
  if (value === undefined) throw new TypeError("cannot store undefined");
  return (isFrozenJson(value, 0) ? value : jsonCopy(value)) as T;
}

/** True when the value is JSON that nobody can change: primitives, or frozen arrays and plain objects of such. */
function isFrozenJson(value: unknown, depth: number): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (!Object.isFrozen(value) || depth > 200) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isFrozenJson(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isFrozenJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** One pass that copies like a JSON round trip and freezes as it goes. */
function jsonCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string" || typeof value === "boolean") return value;
    if (value === null) return null;
    return JSON.parse(JSON.stringify(value) ?? "null");
  }
  if (isFrozenJson(value, 0)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = item === undefined || typeof item === "function" || typeof item === "symbol" ? null : jsonCopy(item);
    }
    return Object.freeze(out);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function")
    return deepFreeze(JSON.parse(JSON.stringify(value)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    // As JSON.parse does: a key named __proto__ is an own property, not the prototype.
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: jsonCopy(item), enumerable: true, writable: true, configurable: true });
    else out[key] = jsonCopy(item);
  }
  return Object.freeze(out);
}

function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
