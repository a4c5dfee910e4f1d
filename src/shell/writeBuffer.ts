/**
 * A write buffer over one storage transaction. The shell applies a whole batch of evidence
 * through it: every `put` and `delete` lands in an in-memory overlay that later reads of the same
 * transaction see (`get`, `getMany`, `find`, `findMany`, `scan`), and `flush` writes the overlay
 * with one `putMany` and one `deleteMany` per collection, then the events with one
 * `appendEvents`. So the number of write calls of a batch does not grow with its size.
 *
 * A `mark` / `rollbackTo` pair undoes the writes made since the mark, which gives every item of an
 * ingest batch a savepoint: an item refused halfway leaves nothing behind, and the rest of the
 * batch goes on in the same transaction.
 */
import { compareStrings } from "../_lib/hash.js";
import { AdapterInvalidError } from "../errors.js";
import {
  batchOf,
  type IndexEntries,
  type JsonValue,
  type NewEvent,
  type PutEntry,
  type PutOptions,
  type RangeOptions,
  type StorageTransaction,
  type StoredDocument,
} from "../storage/port.js";

/** A buffered document, or `null` for a buffered deletion. */
type Slot = { value: unknown; index: IndexEntries | undefined } | null;

interface Undo {
  collection: string;
  key: string;
  /** The slot before the write; `undefined` when the key was not buffered. */
  before: Slot | undefined;
}

/** The buffered documents of one collection, with an index of their index entries. */
interface Layer {
  slots: Map<string, Slot>;
  /** index name -> value -> keys of buffered documents (not deletions) with that entry. */
  byIndex: Map<string, Map<string, Set<string>>>;
}

function eachEntry(entries: IndexEntries | undefined, fn: (name: string, value: string) => void): void {
  if (!entries) return;
  for (const name of Object.keys(entries)) {
    const values = entries[name] as string | readonly string[];
    if (typeof values === "string") fn(name, values);
    else for (const v of values) fn(name, v);
  }
}

/** Sets (or, with `undefined`, removes) a key's slot and keeps the layer's index in step. */
function setSlot(layer: Layer, key: string, slot: Slot | undefined): void {
  const old = layer.slots.get(key);
  if (old) {
    eachEntry(old.index, (name, value) => {
      const byValue = layer.byIndex.get(name);
      const keys = byValue?.get(value);
      if (!keys) return;
      keys.delete(key);
      if (keys.size === 0) byValue?.delete(value);
    });
  }
  if (slot === undefined) {
    layer.slots.delete(key);
    return;
  }
  layer.slots.set(key, slot);
  if (slot) {
    eachEntry(slot.index, (name, value) => {
      let byValue = layer.byIndex.get(name);
      if (!byValue) {
        byValue = new Map();
        layer.byIndex.set(name, byValue);
      }
      let keys = byValue.get(value);
      if (!keys) {
        keys = new Set();
        byValue.set(value, keys);
      }
      keys.add(key);
    });
  }
}

/** A position in the buffer's history, see {@link WriteBuffer.mark}. */
export interface BufferMark {
  writes: number;
  events: number;
  erasures: number;
}

/** A {@link StorageTransaction} that buffers writes until {@link WriteBuffer.flush}. */
export class WriteBuffer implements StorageTransaction {
  readonly #base: StorageTransaction;
  readonly #overlay = new Map<string, Layer>();
  #undo: Undo[] = [];
  readonly #events: NewEvent[] = [];
  /** `deleteEventsNaming` calls: their names, and how many events were buffered at the time. */
  readonly #erasures: Array<{ names: ReadonlySet<string>; events: number }> = [];
  #flushed = false;

  readonly #adapterName: string;

  /** `adapterName` names the adapter in the error of a missing method. */
  constructor(base: StorageTransaction, adapterName = "storage") {
    this.#base = base;
    this.#adapterName = adapterName;
  }

  /** The current position; pass it to {@link rollbackTo} to undo everything written since. */
  mark(): BufferMark {
    return { writes: this.#undo.length, events: this.#events.length, erasures: this.#erasures.length };
  }

  /** Undoes the writes and events buffered since `mark`. */
  rollbackTo(mark: BufferMark): void {
    for (let i = this.#undo.length - 1; i >= mark.writes; i--) {
      const u = this.#undo[i] as Undo;
      setSlot(this.#overlay.get(u.collection) as Layer, u.key, u.before);
    }
    this.#undo.length = mark.writes;
    this.#events.length = mark.events;
    this.#erasures.length = mark.erasures;
  }

  /** Buffers an event, appended by {@link flush} after the documents; `names` are the ids it names. */
  appendLater(type: string, at: string, payload: JsonValue, names?: readonly string[]): void {
    this.#check();
    this.#events.push(names && names.length > 0 ? { type, at, payload, names } : { type, at, payload });
  }

  /**
   * Buffers the erasure of every event naming one of `names`: {@link flush} deletes the stored ones
   * (before it appends the new events) and drops the events buffered so far that name them.
   * Returns 0: the count is known only at flush.
   */
  async deleteEventsNaming(names: readonly string[]): Promise<number> {
    this.#check();
    if (names.length > 0) this.#erasures.push({ names: new Set(names), events: this.#events.length });
    return 0;
  }

  /** How many documents are buffered (puts and deletions). */
  get size(): number {
    let n = 0;
    for (const layer of this.#overlay.values()) n += layer.slots.size;
    return n;
  }

  /**
   * Writes everything buffered to the underlying transaction: per collection one `putMany` and
   * one `deleteMany`, then one `appendEvents`. The buffer cannot be used afterwards.
   */
  async flush(): Promise<void> {
    this.#check();
    this.#flushed = true;
    const tx = batchOf(this.#base);
    for (const [collection, layer] of this.#overlay) {
      const puts: PutEntry[] = [];
      const deletes: string[] = [];
      for (const [key, slot] of layer.slots) {
        if (slot === null) deletes.push(key);
        else puts.push(slot.index ? { key, value: slot.value, index: slot.index } : { key, value: slot.value });
      }
      if (deletes.length > 0) await tx.deleteMany(collection, deletes);
      if (puts.length > 0) await tx.putMany(collection, puts);
    }
    if (this.#erasures.length > 0 && (tx.appendEvents || tx.appendEvent)) {
      // An event log without erasure would keep the forgotten person's events: refuse, and the
      // transaction writes nothing.
      if (!tx.deleteEventsNaming) throw new AdapterInvalidError(this.#adapterName, ["transaction.deleteEventsNaming"]);
      const erased = new Set<string>();
      for (const e of this.#erasures) for (const name of e.names) erased.add(name);
      await tx.deleteEventsNaming([...erased]);
    }
    const events = this.#events.filter(
      (event, i) => !this.#erasures.some((e) => e.events > i && event.names?.some((name) => e.names.has(name))),
    );
    if (events.length > 0) {
      if (tx.appendEvents) await tx.appendEvents(events);
      else if (tx.appendEvent) for (const e of events) await tx.appendEvent(e.type, e.at, e.payload, e.names);
    }
    this.#overlay.clear();
    this.#undo = [];
  }

  #check(): void {
    if (this.#flushed) throw new Error("write buffer already flushed");
  }

  #layer(collection: string): Layer | undefined {
    const layer = this.#overlay.get(collection);
    return layer && layer.slots.size > 0 ? layer : undefined;
  }

  #write(collection: string, key: string, slot: Slot): void {
    this.#check();
    let layer = this.#overlay.get(collection);
    if (!layer) {
      layer = { slots: new Map(), byIndex: new Map() };
      this.#overlay.set(collection, layer);
    }
    this.#undo.push({ collection, key, before: layer.slots.get(key) });
    setSlot(layer, key, slot);
  }

  /** Stored documents overlaid with the buffered ones that have one of `values` in `index`. */
  #indexed<T>(
    layer: Layer,
    base: readonly StoredDocument<T>[],
    index: string,
    values: readonly string[],
  ): StoredDocument<T>[] {
    const out = base.filter((d) => !layer.slots.has(d.key));
    const byValue = layer.byIndex.get(index);
    if (byValue) {
      const keys = new Set<string>();
      for (const v of values) for (const key of byValue.get(v) ?? []) keys.add(key);
      for (const key of keys) out.push({ key, value: (layer.slots.get(key) as { value: unknown }).value as T });
    }
    return out.sort((a, b) => compareStrings(a.key, b.key));
  }

  async get<T = unknown>(collection: string, key: string): Promise<T | null> {
    this.#check();
    const slot = this.#overlay.get(collection)?.slots.get(key);
    if (slot !== undefined) return slot === null ? null : (slot.value as T);
    return this.#base.get<T>(collection, key);
  }

  async getMany<T = unknown>(collection: string, keys: readonly string[]): Promise<Map<string, T>> {
    this.#check();
    const slots = this.#layer(collection)?.slots;
    if (!slots) return this.#base.getMany<T>(collection, keys);
    const rest = keys.filter((k) => !slots.has(k));
    const found = rest.length > 0 ? await this.#base.getMany<T>(collection, rest) : new Map<string, T>();
    const out = new Map<string, T>();
    for (const key of keys) {
      const slot = slots.get(key);
      if (slot === undefined) {
        const value = found.get(key);
        if (value !== undefined) out.set(key, value);
      } else if (slot !== null) out.set(key, slot.value as T);
    }
    return out;
  }

  async put<T = unknown>(collection: string, key: string, value: T, options?: PutOptions): Promise<void> {
    if (value === undefined) throw new TypeError("cannot store undefined");
    this.#write(collection, key, { value, index: options?.index });
  }

  async putMany<T = unknown>(collection: string, entries: readonly PutEntry<T>[]): Promise<void> {
    for (const e of entries) await this.put(collection, e.key, e.value, e.index ? { index: e.index } : undefined);
  }

  async delete(collection: string, key: string): Promise<boolean> {
    this.#check();
    const slot = this.#overlay.get(collection)?.slots.get(key);
    const existed = slot === undefined ? (await this.#base.get(collection, key)) !== null : slot !== null;
    if (existed || slot !== undefined) this.#write(collection, key, null);
    return existed;
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<number> {
    this.#check();
    const slots = this.#overlay.get(collection)?.slots;
    const unknown = [...new Set(keys)].filter((k) => slots?.get(k) === undefined);
    const stored = unknown.length > 0 ? await this.#base.getMany(collection, unknown) : new Map();
    let n = 0;
    for (const key of new Set(keys)) {
      const slot = slots?.get(key);
      const existed = slot === undefined ? stored.has(key) : slot !== null;
      if (existed) n++;
      if (existed || slot !== undefined) this.#write(collection, key, null);
    }
    return n;
  }

  async find<T = unknown>(
    collection: string,
    index: string,
    value: string,
    options: RangeOptions = {},
  ): Promise<StoredDocument<T>[]> {
    this.#check();
    const layer = this.#layer(collection);
    if (!layer) return this.#base.find<T>(collection, index, value, options);
    const base = await this.#base.find<T>(collection, index, value);
    return select(this.#indexed(layer, base, index, [value]), options);
  }

  async findMany<T = unknown>(
    collection: string,
    index: string,
    values: readonly string[],
  ): Promise<StoredDocument<T>[]> {
    this.#check();
    const base = await batchOf(this.#base).findMany<T>(collection, index, values);
    const layer = this.#layer(collection);
    if (!layer) return base;
    return this.#indexed(layer, base, index, values);
  }

  async scan<T = unknown>(collection: string, options: RangeOptions = {}): Promise<StoredDocument<T>[]> {
    this.#check();
    const slots = this.#layer(collection)?.slots;
    if (!slots) return this.#base.scan<T>(collection, options);
    const prefix = options.prefix;
    const base = await this.#base.scan<T>(collection, prefix === undefined ? {} : { prefix });
    const out = base.filter((d) => !slots.has(d.key));
    for (const [key, slot] of slots) {
      if (slot !== null && (prefix === undefined || key.startsWith(prefix))) out.push({ key, value: slot.value as T });
    }
    return select(
      out.sort((a, b) => compareStrings(a.key, b.key)),
      options,
    );
  }

  lock(keys: readonly string[]): Promise<void> {
    this.#check();
    return this.#base.lock(keys);
  }

  async appendEvent(type: string, at: string, payload: JsonValue, names?: readonly string[]): Promise<number> {
    this.appendLater(type, at, payload, names);
    // The sequence number is assigned by the adapter at flush time.
    return 0;
  }
}

/** `after`, `limit` and `reverse` over documents in ascending key order. */
function select<T>(docs: StoredDocument<T>[], options: RangeOptions): StoredDocument<T>[] {
  const { after, limit = Number.POSITIVE_INFINITY, reverse = false } = options;
  if (limit <= 0) return [];
  let list = reverse ? docs.reverse() : docs;
  if (after !== undefined) list = list.filter((d) => (reverse ? d.key < after : d.key > after));
  return list.length > limit ? list.slice(0, limit) : list;
}
