import type Database from "better-sqlite3";
import { type InputIssue, InvalidInputError } from "../../errors.js";
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
import {
  decodeKey,
  type EventRow,
  encodeKey,
  indexPairs,
  prefixUpperBound,
  sqlLimit,
  toJson,
  toStoredEvent,
} from "../_lib/encoding.js";
import { loadDriver } from "../_lib/loadDriver.js";
import { SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE, SQLITE_SCHEMA_VERSION } from "./migrations.js";

/** Where the SQLite adapter keeps its data: a file it opens, or a database you opened. */
export type SqliteAdapterOptions =
  | {
      /** Path of the database file, or `":memory:"`. The adapter opens it, in WAL mode, and closes it. */
      filename: string;
    }
  | {
      /** An open better-sqlite3 database. The adapter neither changes its journal mode nor closes it. */
      database: Database.Database;
    };

/** Further settings of {@link sqliteAdapter}. */
export interface SqliteAdapterExtra {
  /** Name used in messages. Default `"sqlite"`. */
  name?: string;
  /** How long to wait for another connection's write lock, in whole ms (0 or more). Default 5000. */
  busyTimeoutMs?: number;
  /**
   * The most memory the connection's page cache may take, in KiB (SQLite's `cache_size`); pages
   * are cached as they are read, so a small store never takes it all. Default: the driver's
   * (better-sqlite3: 16 MiB). Documents are keyed by hashes, so a large batch touches pages all
   * over the file: with a store much larger than the cache, every batch reads the same pages from
   * the file again. A bulk import of a large store runs faster with a cache near the file's size.
   * Memory only: it changes neither durability nor results.
   */
  cacheSizeKiB?: number;
}

/** The SQLite storage adapter: a {@link StorageAdapter} whose `migrate` always exists. */
export interface SqliteAdapter extends StorageAdapter {
  migrate(): Promise<void>;
  readEvents(after: number, limit: number): Promise<StoredEvent[]>;
  /** The schema version of the database (0 before the first migration). */
  schemaVersion(): Promise<number>;
}

interface DocumentRow {
  key: string;
  value: string;
}

/**
 * Creates a storage adapter on SQLite through better-sqlite3. Each `transaction()` is one SQLite
 * transaction (`BEGIN IMMEDIATE` ... `COMMIT`, `ROLLBACK` when `fn` throws); transactions of one
 * adapter run one at a time. Values are stored as JSON text. The schema is created or upgraded
 * by `migrate()` or on the first transaction.
 *
 * @param options `{ filename }` to let the adapter open (and later close) a file or `":memory:"`,
 *   or `{ database }` to use a better-sqlite3 database you manage.
 * @param extra Name, busy timeout and page cache size.
 * @returns The adapter; pass it as `storage` to `createCustomerContext`.
 * @example
 * ```ts
 * import { createCustomerContext } from "customer-context";
 * import { sqliteAdapter } from "customer-context/sqlite";
 * const cc = createCustomerContext({ storage: sqliteAdapter({ filename: "customers.db" }) });
 * ```
 */
export function sqliteAdapter(options: SqliteAdapterOptions, extra: SqliteAdapterExtra = {}): SqliteAdapter {
  return new SqliteStorage(options, extra);
}

class SqliteStorage implements SqliteAdapter {
  readonly name: string;
  readonly capabilities: StorageCapabilities;
  #db: Database.Database;
  #owned: boolean;
  #statements = new Map<string, Database.Statement>();
  #queue: Promise<unknown> = Promise.resolve();
  #migrated = false;
  #closed = false;

  constructor(options: SqliteAdapterOptions, extra: SqliteAdapterExtra) {
    this.name = extra.name ?? "sqlite";
    // Checked before the file is opened, so a refused option creates nothing.
    const cache = extra.cacheSizeKiB;
    const busy = extra.busyTimeoutMs ?? 5000;
    const refused: InputIssue[] = [];
    if (cache !== undefined && !(Number.isSafeInteger(cache) && cache > 0)) {
      refused.push({
        path: ["cacheSizeKiB"],
        code: "invalid_value",
        message: "must be a positive whole number of KiB",
      });
    }
    if (!(Number.isSafeInteger(busy) && busy >= 0)) {
      refused.push({
        path: ["busyTimeoutMs"],
        code: "invalid_value",
        message: "must be a whole number of ms, 0 or more",
      });
    }
    if (refused.length > 0) throw new InvalidInputError("SQLite adapter options", refused);
    if ("database" in options) {
      this.#db = options.database;
      this.#owned = false;
    } else {
      this.#db = new (loadDriver<typeof Database>(this.name, "better-sqlite3"))(options.filename);
      this.#owned = true;
      if (!this.#db.memory) {
        this.#db.pragma("journal_mode = WAL");
        // With WAL, NORMAL loses no committed transaction on a process crash (only on power loss).
        this.#db.pragma("synchronous = NORMAL");
      }
    }
    this.#db.pragma(`busy_timeout = ${busy}`);
    // A negative cache_size is a size in KiB (a positive one would count pages).
    if (cache !== undefined) this.#db.pragma(`cache_size = -${cache}`);
    // Erasure: deleted and replaced rows are overwritten with zeros, so that a forgotten value is
    // not left readable in a free page or in the free space of a page (see docs/security.md).
    this.#db.pragma("secure_delete = ON");
    const durable = !this.#db.memory && this.#db.name !== "";
    this.capabilities = { transactions: true, multiProcess: false, events: true, durable };
  }

  /** A cached prepared statement. */
  statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.#enqueue(async () => {
      if (!this.#migrated) this.#migrateNow();
      this.#db.exec(options?.readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
      const tx = new SqliteTransaction(this, options?.readOnly === true);
      try {
        const result = await fn(tx);
        tx.end();
        this.#db.exec("COMMIT");
        if (tx.erased) this.#purgeLog();
        return result;
      } catch (error) {
        tx.end();
        if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /**
   * After an erasure: copies the write-ahead log into the database and truncates it to zero bytes,
   * so that the page images it held before the erasure (with the erased values) are gone. A
   * reader of another connection that still holds an older snapshot makes the checkpoint stop
   * short (it waits `busy_timeout` first); the next erasure, or the last connection's close,
   * finishes it. A no-op outside WAL mode.
   */
  #purgeLog(): void {
    if (this.#db.memory) return;
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }

  migrate(): Promise<void> {
    return this.#enqueue(async () => this.#migrateNow());
  }

  #migrateNow(): void {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(SQLITE_MIGRATIONS_TABLE);
      const applied = new Set(
        db
          .prepare("SELECT version FROM cc_migrations")
          .pluck()
          .all()
          .map((v) => Number(v)),
      );
      const newest = Math.max(0, ...applied);
      if (newest > SQLITE_SCHEMA_VERSION) {
        throw new Error(
          `${this.name}: the database has schema version ${newest}, newer than this library's ${SQLITE_SCHEMA_VERSION}`,
        );
      }
      const record = db.prepare("INSERT INTO cc_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      for (const migration of SQLITE_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      }
      db.exec("COMMIT");
      this.#migrated = true;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }

  schemaVersion(): Promise<number> {
    return this.#enqueue(async () => {
      const table = this.#db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cc_migrations'")
        .get();
      if (!table) return 0;
      return Number(this.#db.prepare("SELECT coalesce(max(version), 0) FROM cc_migrations").pluck().get());
    });
  }

  readEvents(after: number, limit: number): Promise<StoredEvent[]> {
    return this.#enqueue(async () => {
      if (!this.#migrated) this.#migrateNow();
      const rows = this.statement(
        "SELECT seq, type, at, payload FROM cc_events WHERE seq > ? ORDER BY seq LIMIT ?",
      ).all(after, sqlLimit(limit) ?? -1) as EventRow[];
      return rows.map(toStoredEvent);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    if (this.#owned) this.#db.close();
  }
}

class SqliteTransaction implements StorageTransaction {
  #storage: SqliteStorage;
  #done = false;
  /** True once `deleteEventsNaming` ran: the transaction is an erasure. */
  erased = false;
  #readOnly: boolean;

  constructor(storage: SqliteStorage, readOnly: boolean) {
    this.#storage = storage;
    this.#readOnly = readOnly;
  }

  #checkWrite(): void {
    if (this.#readOnly) throw new Error("cannot write in a read-only transaction");
  }

  end(): void {
    this.#done = true;
  }

  #check(): void {
    if (this.#done) throw new Error("transaction already ended");
  }

  #sql(sql: string): Database.Statement {
    this.#check();
    return this.#storage.statement(sql);
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    const value = this.#sql("SELECT value FROM cc_documents WHERE collection = ? AND key = ?")
      .pluck()
      .get(collection, encodeKey(key)) as string | undefined;
    return value === undefined ? null : (JSON.parse(value) as T);
  }

  async getMany<T>(collection: string, keys: readonly string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    this.#check();
    if (keys.length === 0) return out;
    // A few keys (the shell reads one item's documents at a time) bind as parameters of a
    // statement cached per count: half the cost of building and parsing a JSON array for them.
    const rows = (
      keys.length <= FEW_KEYS
        ? this.#sql(GET_FEW[keys.length] as string).all(collection, ...keys.map(encodeKey))
        : this.#sql(
            "SELECT key, value FROM cc_documents WHERE collection = ? AND key IN (SELECT value FROM json_each(?))",
          ).all(collection, JSON.stringify(keys.map(encodeKey)))
    ) as DocumentRow[];
    for (const row of rows) out.set(decodeKey(row.key), JSON.parse(row.value) as T);
    return out;
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<void> {
    this.#checkWrite();
    this.#put(collection, encodeKey(key), toJson(value), options?.index);
  }

  async putMany<T>(collection: string, entries: readonly PutEntry<T>[]): Promise<void> {
    this.#checkWrite();
    // Serialise everything first, so a value that cannot be stored leaves nothing half-written.
    const rows = entries.map((e) => [encodeKey(e.key), toJson(e.value), e.index] as const);
    if (rows.length === 0) return;
    // The index entries the documents have now, read in one statement for the whole batch.
    const had = new Map<string, Array<{ name: string; value: string }>>();
    for (const [key] of rows) had.set(key, []);
    const existing = this.#sql(
      "SELECT key, name, value FROM cc_index_entries WHERE collection = ? AND key IN (SELECT value FROM json_each(?))",
    ).all(collection, JSON.stringify([...had.keys()])) as Array<{ key: string; name: string; value: string }>;
    for (const row of existing) had.get(row.key)?.push(row);
    // A key given twice ends with its last entry; its earlier entries were replaced by then.
    const last = new Map<string, number>();
    for (const [i, [key]] of rows.entries()) last.set(key, i);
    for (const [i, [key, json, index]] of rows.entries()) {
      if (last.get(key) === i) this.#put(collection, key, json, index, had.get(key));
    }
  }

  #put(
    collection: string,
    stored: string,
    json: string,
    entries: IndexEntries | undefined,
    known?: ReadonlyArray<{ name: string; value: string }>,
  ): void {
    this.#sql(
      "INSERT INTO cc_documents (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value",
    ).run(collection, stored, json);
    // Only the entries that changed are written: a document put again with the same entries (the
    // common case: a profile or identifier updated in place) costs one read here, not a delete
    // and a re-insert of every entry (each delete also zeroes its cell under secure_delete).
    const wanted = entries ? indexPairs(entries) : [];
    const had =
      known ??
      (this.#sql("SELECT name, value FROM cc_index_entries WHERE collection = ? AND key = ?").all(
        collection,
        stored,
      ) as Array<{ name: string; value: string }>);
    const pairKey = (name: string, value: string) => `${name}\u0000${value}`;
    const keep = new Set(wanted.map(([name, value]) => pairKey(name, value)));
    const present = new Set<string>();
    for (const row of had) {
      const k = pairKey(row.name, row.value);
      if (keep.has(k)) present.add(k);
      else
        this.#sql("DELETE FROM cc_index_entries WHERE collection = ? AND name = ? AND value = ? AND key = ?").run(
          collection,
          row.name,
          row.value,
          stored,
        );
    }
    if (present.size === wanted.length) return;
    const insert = this.#sql(
      "INSERT OR IGNORE INTO cc_index_entries (collection, name, value, key) VALUES (?, ?, ?, ?)",
    );
    for (const [name, indexValue] of wanted) {
      if (!present.has(pairKey(name, indexValue))) insert.run(collection, name, indexValue, stored);
    }
  }

  async delete(collection: string, key: string): Promise<boolean> {
    this.#checkWrite();
    return this.#delete(collection, encodeKey(key));
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<number> {
    this.#checkWrite();
    let n = 0;
    for (const key of new Set(keys)) if (this.#delete(collection, encodeKey(key))) n++;
    return n;
  }

  #delete(collection: string, stored: string): boolean {
    this.#sql("DELETE FROM cc_index_entries WHERE collection = ? AND key = ?").run(collection, stored);
    return this.#sql("DELETE FROM cc_documents WHERE collection = ? AND key = ?").run(collection, stored).changes > 0;
  }

  async findMany<T>(collection: string, index: string, values: readonly string[]): Promise<StoredDocument<T>[]> {
    this.#check();
    if (values.length === 0) return [];
    const rows = this.#sql(
      `SELECT d.key AS key, d.value AS value FROM cc_documents d WHERE d.collection = ? AND d.key IN (
         SELECT e.key FROM cc_index_entries e WHERE e.collection = ? AND e.name = ? AND e.value IN (SELECT value FROM json_each(?))
       ) ORDER BY d.key ASC`,
    ).all(collection, collection, index, JSON.stringify(values.map(encodeKey))) as DocumentRow[];
    return rows.map(toDocument<T>);
  }

  async find<T>(
    collection: string,
    index: string,
    value: string,
    options: RangeOptions = {},
  ): Promise<StoredDocument<T>[]> {
    const limit = sqlLimit(options.limit);
    this.#check();
    if (limit === 0) return [];
    const reverse = options.reverse === true;
    const params: unknown[] = [collection, index, encodeKey(value)];
    let where = "e.collection = ? AND e.name = ? AND e.value = ?";
    if (options.after !== undefined) {
      where += reverse ? " AND e.key < ?" : " AND e.key > ?";
      params.push(encodeKey(options.after));
    }
    params.push(limit ?? -1);
    const rows = this.#sql(
      `SELECT d.key AS key, d.value AS value FROM cc_index_entries e JOIN cc_documents d ON d.collection = e.collection AND d.key = e.key WHERE ${where} ORDER BY e.key ${reverse ? "DESC" : "ASC"} LIMIT ?`,
    ).all(...params) as DocumentRow[];
    return rows.map(toDocument<T>);
  }

  async scan<T>(collection: string, options: RangeOptions = {}): Promise<StoredDocument<T>[]> {
    const limit = sqlLimit(options.limit);
    this.#check();
    if (limit === 0) return [];
    const reverse = options.reverse === true;
    const params: unknown[] = [collection];
    let where = "collection = ?";
    if (options.after !== undefined) {
      where += reverse ? " AND key < ?" : " AND key > ?";
      params.push(encodeKey(options.after));
    }
    if (options.prefix !== undefined && options.prefix !== "") {
      const low = encodeKey(options.prefix);
      where += " AND key >= ? AND key < ?";
      params.push(low, prefixUpperBound(low));
    }
    params.push(limit ?? -1);
    const rows = this.#sql(
      `SELECT key, value FROM cc_documents WHERE ${where} ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT ?`,
    ).all(...params) as DocumentRow[];
    return rows.map(toDocument<T>);
  }

  async lock(_keys: readonly string[]): Promise<void> {
    // Transactions of this adapter run one at a time and BEGIN IMMEDIATE holds SQLite's write
    // lock against other connections: nothing more to lock.
    this.#check();
  }

  async appendEvent(type: string, at: string, payload: JsonValue, names?: readonly string[]): Promise<number> {
    this.#checkWrite();
    return this.#append(type, at, toJson(payload), names);
  }

  async appendEvents(events: readonly NewEvent[]): Promise<number[]> {
    this.#checkWrite();
    const payloads = events.map((e) => toJson(e.payload));
    return events.map((e, i) => this.#append(e.type, e.at, payloads[i] as string, e.names));
  }

  #append(type: string, at: string, json: string, names: readonly string[] | undefined): number {
    const seq = Number(
      this.#sql("INSERT INTO cc_events (type, at, payload) VALUES (?, ?, ?)").run(type, at, json).lastInsertRowid,
    );
    if (names && names.length > 0) {
      const insert = this.#sql("INSERT OR IGNORE INTO cc_event_names (name, seq) VALUES (?, ?)");
      for (const name of names) insert.run(encodeKey(name), seq);
    }
    return seq;
  }

  async deleteEventsNaming(names: readonly string[]): Promise<number> {
    this.#checkWrite();
    this.#check();
    this.erased = true;
    if (names.length === 0) return 0;
    const seqs = this.#sql("SELECT DISTINCT seq FROM cc_event_names WHERE name IN (SELECT value FROM json_each(?))")
      .pluck()
      .all(JSON.stringify(names.map(encodeKey))) as number[];
    if (seqs.length === 0) return 0;
    const list = JSON.stringify(seqs);
    this.#sql("DELETE FROM cc_event_names WHERE seq IN (SELECT value FROM json_each(?))").run(list);
    return this.#sql("DELETE FROM cc_events WHERE seq IN (SELECT value FROM json_each(?))").run(list).changes;
  }
}

/** Up to this many keys, `getMany` binds each key as a parameter instead of one JSON array. */
const FEW_KEYS = 8;
/** `getMany` statements for 1..{@link FEW_KEYS} keys, by count. */
const GET_FEW = Array.from(
  { length: FEW_KEYS + 1 },
  (_, n) =>
    `SELECT key, value FROM cc_documents WHERE collection = ? AND key IN (${Array.from({ length: n }, () => "?").join(", ")})`,
);

function toDocument<T>(row: DocumentRow): StoredDocument<T> {
  return { key: decodeKey(row.key), value: JSON.parse(row.value) as T };
}
