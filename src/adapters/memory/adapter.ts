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
 * The keys holding one index value, in key order. Most index values name one document (an
 * identifier's links, a Message-ID), so a single key is stored as the bare string; a sorted array
 * from two on; and from {@link LARGE} on a {@link LargeBucket}, so that a key added to a value
 * that names 100,000 documents (a customer's interactions or stitch keys) is not a move of them all.
 */
type IndexBucket = string | string[] | LargeBucket;

/**
 * The keys of an index value that names many documents: a sorted array, and the keys added since
 * it was last read, merged into it by the next read ({@link sortedOf}). A key after every sorted
 * one is appended at once (times, sequence numbers).
 */
interface LargeBucket {
  sorted: string[];
  added: Set<string>;
}

/** How many keys a sorted array holds before it becomes a {@link LargeBucket} (and half that back). */
const LARGE = 256;

/**
 * A document's index entries as stored: name, values, name, values… with one value as a bare
 * string and several deduplicated. A flat array is a fraction of the heap of a keyed object (a
 * null-prototype object is a dictionary), and index names need no escaping.
 */
type StoredEntries = readonly (string | readonly string[])[];

interface CollectionState {
  docs: Map<string, unknown>;
  entries: Map<string, StoredEntries>;
  indexes: Map<string, Map<string, IndexBucket>>;
  sortedKeys: string[] | null;
}

/**
 * The event log: seq n at index n - 1 (an erased event leaves `null`, so positions never move),
 * and for every name the seqs of the events naming it.
 */
interface EventLog {
  entries: Array<StoredEvent | null>;
  /** The seqs of the events naming each name, ascending (one seq as a bare number). */
  byName: Map<string, number | number[]>;
  /** The names of each live event at its position (`undefined` for none), to unindex it when it is erased. */
  namesOf: Array<readonly string[] | undefined>;
}

interface UndoRecord {
  collection: CollectionState;
  key: string;
  existed: boolean;
  value: unknown;
  entries: StoredEntries | undefined;
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
  #events: EventLog = { entries: [], byName: new Map(), namesOf: [] };
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
    if (log.namesOf.length > this.#eventMark) log.namesOf.length = this.#eventMark;
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
    const next = entries === undefined ? undefined : storedEntries(entries);
    if (sameEntries(c.entries.get(key), next)) return;
    unindex(c, key);
    if (next) index(c, key, next);
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
      else if (Array.isArray(bucket)) for (const key of bucket) keys.add(key);
      else {
        for (const key of bucket.sorted) keys.add(key);
        for (const key of bucket.added) keys.add(key);
      }
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
    for (const name of names) {
      const named = log.byName.get(name);
      if (typeof named === "number") seqs.add(named);
      else if (named) for (const seq of named) seqs.add(seq);
    }
    for (const seq of seqs) {
      const event = log.entries[seq - 1];
      if (!event) continue;
      // Events appended by this transaction go with the rollback anyway; older ones come back.
      if (seq <= this.#eventMark) this.#erased.push({ event, names: log.namesOf[seq - 1] ?? [] });
      unindexEvent(log, seq);
      log.entries[seq - 1] = null;
    }
    return seqs.size;
  }
}

function indexEvent(log: EventLog, seq: number, names: readonly string[]): void {
  if (names.length === 0) return;
  // Keep the array packed (no holes, so its elements stay a plain array, not a dictionary).
  while (log.namesOf.length < seq - 1) log.namesOf.push(undefined);
  log.namesOf[seq - 1] = names;
  for (const name of names) {
    const seqs = log.byName.get(name);
    if (seqs === undefined) log.byName.set(name, seq);
    else if (typeof seqs === "number") log.byName.set(name, seqs < seq ? [seqs, seq] : [seq, seqs]);
    else insertSorted(seqs, seq, (a, b) => a - b);
  }
}

function unindexEvent(log: EventLog, seq: number): void {
  const names = log.namesOf[seq - 1];
  if (!names) return;
  log.namesOf[seq - 1] = undefined;
  for (const name of names) {
    const seqs = log.byName.get(name);
    if (seqs === undefined) continue;
    if (typeof seqs === "number") {
      if (seqs === seq) log.byName.delete(name);
    } else if (removeSorted(seqs, seq, (a, b) => a - b) && seqs.length === 1) {
      log.byName.set(name, seqs[0] as number);
    }
  }
}

/** Inserts `item` into an ascending array unless it is there; appending (the common case) is O(1). */
function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): boolean {
  const last = list.length - 1;
  if (last < 0 || compare(list[last] as T, item) < 0) {
    list.push(item);
    return true;
  }
  const i = lowerBoundBy(list, item, compare);
  if (i < list.length && compare(list[i] as T, item) === 0) return false;
  list.splice(i, 0, item);
  return true;
}

/** Removes `item` from an ascending array; true when it was there. */
function removeSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): boolean {
  const last = list.length - 1;
  if (last >= 0 && compare(list[last] as T, item) === 0) {
    list.pop();
    return true;
  }
  const i = lowerBoundBy(list, item, compare);
  if (i >= list.length || compare(list[i] as T, item) !== 0) return false;
  list.splice(i, 1);
  return true;
}

function lowerBoundBy<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid] as T, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The keys of a bucket in key order (a large bucket merges its added keys in first). */
function sortedOf(bucket: IndexBucket): readonly string[] {
  if (typeof bucket === "string") return [bucket];
  if (Array.isArray(bucket)) return bucket;
  if (bucket.added.size > 0) {
    const added = [...bucket.added].sort(compareKeys);
    const { sorted } = bucket;
    const merged = new Array<string>(sorted.length + added.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      merged[k] = (
        j >= added.length || (i < sorted.length && compareKeys(sorted[i] as string, added[j] as string) < 0)
          ? sorted[i++]
          : added[j++]
      ) as string;
    }
    bucket.sorted = merged;
    bucket.added.clear();
  }
  return bucket.sorted;
}

/** Adds a key to a large bucket: appended when it sorts after every key, else kept aside until read. */
function addLarge(bucket: LargeBucket, key: string): void {
  const { sorted } = bucket;
  const last = sorted[sorted.length - 1];
  if (bucket.added.size === 0 && (last === undefined || compareKeys(last, key) < 0)) {
    sorted.push(key);
    return;
  }
  const i = lowerBoundBy(sorted, key, compareKeys);
  if (i < sorted.length && sorted[i] === key) return;
  bucket.added.add(key);
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

function index(c: CollectionState, key: string, entries: StoredEntries): void {
  c.entries.set(key, entries);
  for (let i = 0; i < entries.length; i += 2) {
    const name = entries[i] as string;
    const values = entries[i + 1] as string | readonly string[];
    let byValue = c.indexes.get(name);
    if (!byValue) {
      byValue = new Map();
      c.indexes.set(name, byValue);
    }
    for (const v of typeof values === "string" ? [values] : values) {
      const bucket = byValue.get(v);
      if (bucket === undefined) byValue.set(v, key);
      else if (typeof bucket === "string") {
        if (bucket !== key) byValue.set(v, bucket < key ? [bucket, key] : [key, bucket]);
      } else if (Array.isArray(bucket)) {
        insertSorted(bucket, key, compareKeys);
        if (bucket.length > LARGE) byValue.set(v, { sorted: bucket, added: new Set() });
      } else addLarge(bucket, key);
    }
  }
}

function unindex(c: CollectionState, key: string): void {
  const entries = c.entries.get(key);
  if (!entries) return;
  c.entries.delete(key);
  for (let i = 0; i < entries.length; i += 2) {
    const byValue = c.indexes.get(entries[i] as string);
    if (!byValue) continue;
    const values = entries[i + 1] as string | readonly string[];
    for (const v of typeof values === "string" ? [values] : values) {
      const bucket = byValue.get(v);
      if (bucket === undefined) continue;
      if (typeof bucket === "string") {
        if (bucket === key) byValue.delete(v);
      } else if (Array.isArray(bucket)) {
        if (removeSorted(bucket, key, compareKeys) && bucket.length === 1) byValue.set(v, bucket[0] as string);
      } else {
        if (!bucket.added.delete(key)) removeSorted(bucket.sorted, key, compareKeys);
        if (bucket.sorted.length + bucket.added.size <= LARGE / 2) {
          sortedOf(bucket); // merges the added keys into bucket.sorted
          byValue.set(v, bucket.sorted);
        }
      }
    }
  }
}

/** True when two stored entries name the same index values (both possibly absent). */
function sameEntries(stored: StoredEntries | undefined, next: StoredEntries | undefined): boolean {
  if (stored === undefined || next === undefined) return stored === next;
  if (stored.length !== next.length) return false;
  for (let i = 0; i < next.length; i += 2) {
    const name = next[i] as string;
    let j = 0;
    while (j < stored.length && stored[j] !== name) j += 2;
    if (j >= stored.length) return false;
    const a = stored[j + 1] as string | readonly string[];
    const b = next[i + 1] as string | readonly string[];
    if (typeof a === "string" || typeof b === "string") {
      if (a !== b) return false;
    } else if (a.length !== b.length || !isSubset(a, new Set(b))) return false;
  }
  return true;
}

function isSubset(values: readonly string[], of: ReadonlySet<string>): boolean {
  for (const v of values) if (!of.has(v)) return false;
  return true;
}

/**
 * The stored form of a caller's index entries (the caller may reuse its object): names with no
 * values left out, values deduplicated, a single value as a bare string; `undefined` when none.
 */
function storedEntries(entries: IndexEntries): StoredEntries | undefined {
  const out: (string | readonly string[])[] = [];
  for (const name of Object.keys(entries)) {
    const values = entries[name] as string | readonly string[];
    if (typeof values === "string") out.push(name, values);
    else {
      const distinct = [...new Set(values)];
      if (distinct.length === 1) out.push(name, distinct[0] as string);
      else if (distinct.length > 1) out.push(name, distinct);
    }
  }
  // A copy of exactly its length: \`push\` leaves room for 16 more, which the store would keep.
  return out.length === 0 ? undefined : out.slice();
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
