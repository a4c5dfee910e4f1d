import { createHash } from "node:crypto";
import type pg from "pg";
import { InvalidInputError } from "../../errors.js";
import type {
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
  encodeKey,
  indexPairs,
  prefixUpperBound,
  sqlLimit,
  toJson,
  toStoredEvent,
} from "../_lib/encoding.js";
import { loadDriver } from "../_lib/loadDriver.js";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, postgresMigrationsTable } from "./migrations.js";

/** Where the PostgreSQL adapter connects: a connection string (it makes a pool) or your pool. */
export type PostgresAdapterOptions =
  | {
      /** `postgres://user:password@host:port/database`. The adapter creates a pool and ends it on `close()`. */
      connectionString: string;
    }
  | {
      /** A `pg.Pool` you manage. The adapter never ends it. */
      pool: pg.Pool;
    };

/** Further settings of {@link postgresAdapter}. */
export interface PostgresAdapterExtra {
  /**
   * Schema holding the tables, so several apps can share one database. Default
   * `"customer_context"`. 1-63 of a-z, 0-9 and _, not starting with a digit. System schemas
   * (`information_schema`, `pg_catalog`, `pg_toast`, `pg_temp*`, anything starting with `pg_`)
   * are refused, and so is `public` unless {@link PostgresAdapterExtra.allowPublicSchema} is set.
   * The adapter only uses tables it created itself (it keeps a marker table,
   * `customer_context_owner`); a schema that already holds a `documents`, `index_entries`,
   * `events` or `migrations` table of someone else is refused on first use.
   */
  schema?: string;
  /** Allow `schema: "public"`, the schema every role can create tables in by default. Default false. */
  allowPublicSchema?: boolean;
  /** How many times a transaction is re-run after a serialization failure or deadlock. Default 5. */
  maxRetries?: number;
  /** Size of the pool the adapter creates from a connection string. Default 10. */
  poolSize?: number;
  /** Name used in messages. Default `"postgres"`. */
  name?: string;
}

/** The PostgreSQL storage adapter: a {@link StorageAdapter} whose `migrate` always exists. */
export interface PostgresAdapter extends StorageAdapter {
  /** The schema holding the tables (unquoted). */
  readonly schema: string;
  migrate(): Promise<void>;
  readEvents(after: number, limit: number): Promise<StoredEvent[]>;
  /** The schema version of the database (0 before the first migration). */
  schemaVersion(): Promise<number>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const NUL_MESSAGE = "PostgreSQL text cannot hold U+0000: not allowed in a key or an index value";
const RETRYABLE = new Set(["40001", "40P01"]);

interface DocumentRow {
  key: string;
  value: string;
}

/**
 * Creates a storage adapter on PostgreSQL 15+ through `pg`. Every `transaction()` runs on one
 * pooled connection between `BEGIN` (READ COMMITTED) and `COMMIT`, or `ROLLBACK` when `fn` throws;
 * read-only transactions use one REPEATABLE READ snapshot. `BEGIN` travels with the transaction's
 * first statement, and writes (`put`, `putMany`) are deferred and sent in one statement with the
 * next `deleteMany` or `appendEvents`, or before the next read or the commit, so a transaction
 * costs few round trips. `lock(keys)` takes transaction-level
 * advisory locks on 64-bit hashes of the keys in a canonical order, so writers that lock what they
 * read never lose an update. Serialization failures and deadlocks are retried with jittered
 * backoff. Values are stored as JSON text. The schema is created or upgraded by `migrate()` or on
 * first use, under an advisory lock so that concurrent processes migrate once.
 *
 * @param options `{ connectionString }` to let the adapter create (and later end) a pool, or
 *   `{ pool }` to use a `pg.Pool` you manage.
 * @param extra Schema name (default `"customer_context"`), retry bound, pool size, name.
 * @returns The adapter; pass it as `storage` to `createCustomerContext`.
 * @example
 * ```ts
 * import { createCustomerContext } from "customer-context";
 * import { postgresAdapter } from "customer-context/postgres";
 * const storage = postgresAdapter({ connectionString: process.env.DATABASE_URL ?? "" }, { schema: "crm" });
 * const cc = createCustomerContext({ storage });
 * ```
 */
export function postgresAdapter(options: PostgresAdapterOptions, extra: PostgresAdapterExtra = {}): PostgresAdapter {
  return new PostgresStorage(options, extra);
}

/** Tables the library creates in its schema; any of them already there must be its own. */
const OWN_TABLES = ["documents", "index_entries", "events", "migrations"] as const;
/** The marker table: one row saying customer-context created (and so owns) the schema's tables. */
const OWNER_TABLE = "customer_context_owner";
const OWNER_LIBRARY = "customer-context";

/**
 * Checks the `schema` option: a plain lower-case identifier, not a system schema, and not
 * `public` unless allowed.
 *
 * @param schema The schema name.
 * @param allowPublic Whether `public` is acceptable.
 * @throws {InvalidInputError} naming `schema` when the name is refused.
 * @example
 * ```ts
 * checkSchemaName("crm", false); // fine
 * checkSchemaName("pg_catalog", false); // throws invalid_input
 * ```
 */
export function checkSchemaName(schema: string, allowPublic: boolean): void {
  const refuse = (message: string) => {
    throw new InvalidInputError("PostgreSQL adapter options", [{ path: ["schema"], code: "invalid_value", message }]);
  };
  if (typeof schema !== "string" || !SCHEMA_NAME.test(schema)) {
    refuse("must be a plain schema name: 1-63 of a-z, 0-9 and _, not starting with a digit");
  }
  if (schema === "information_schema" || schema.startsWith("pg_")) {
    refuse(`must not be the system schema ${schema} (names starting with pg_ belong to PostgreSQL)`);
  }
  if (schema === "public" && !allowPublic) {
    refuse('must not be "public" unless allowPublicSchema is set: every role may create tables there');
  }
}

/** Quoted identifier of a schema name, after checking it is a plain lower-case identifier. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `invalid PostgreSQL schema name ${JSON.stringify(schema)}: use 1-63 of a-z, 0-9 and _, not starting with a digit`,
    );
  }
  return `"${schema}"`;
}

/** A signed 64-bit lock id for `key` in `schema`, as the decimal string PostgreSQL parses as bigint. */
export function advisoryLockId(schema: string, key: string): bigint {
  return createHash("sha256").update(`${schema}\u0000${key}`).digest().readBigInt64BE(0);
}

class PostgresStorage implements PostgresAdapter {
  readonly name: string;
  readonly schema: string;
  readonly capabilities: StorageCapabilities = {
    transactions: true,
    multiProcess: true,
    events: true,
    durable: true,
  };
  readonly pool: pg.Pool;
  readonly sql: Statements;
  #owned: boolean;
  #maxRetries: number;
  #ready: Promise<void> | undefined;
  #active = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: PostgresAdapterOptions, extra: PostgresAdapterExtra) {
    this.name = extra.name ?? "postgres";
    this.schema = extra.schema ?? "customer_context";
    checkSchemaName(this.schema, extra.allowPublicSchema === true);
    this.sql = new Statements(this.schema);
    this.#maxRetries = Math.max(0, Math.floor(extra.maxRetries ?? 5));
    if ("pool" in options) {
      this.pool = options.pool;
      this.#owned = false;
    } else {
      this.pool = new (loadDriver<typeof pg>(this.name, "pg").Pool)({
        connectionString: options.connectionString,
        max: extra.poolSize ?? 10,
      });
      // An idle client that loses its connection is removed from the pool; without a listener the
      // 'error' event would crash the process.
      this.pool.on("error", () => undefined);
      this.#owned = true;
    }
    // Every client the pool connects gets a listener for its whole life, so that no moment
    // between check-out and release (or a client pg-pool is still handing over) leaves an
    // 'error' event without one. What it records is read by #checkOut.
    this.pool.on("connect", (client) => {
      client.on("error", (error: Error) => {
        if (!LOST.has(client)) LOST.set(client, error);
      });
    });
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#active.add(work);
    const forget = () => this.#active.delete(work);
    work.then(forget, forget);
    return work;
  }

  #ensureReady(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    return this.#ready ?? this.#startMigration();
  }

  #startMigration(): Promise<void> {
    const ready: Promise<void> = this.#migrate().catch((error: unknown) => {
      if (this.#ready === ready) this.#ready = undefined;
      throw error;
    });
    this.#ready = ready;
    return ready;
  }

  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    return this.#track(this.#ensureReady().then(() => this.#runWithRetries(fn, options?.readOnly === true)));
  }

  async #runWithRetries<T>(fn: (tx: StorageTransaction) => Promise<T>, readOnly: boolean): Promise<T> {
    // Lock ids learnt by attempts that had to restart: the next attempt takes them all at once.
    const learnt = new Set<bigint>();
    let restarts = 0;
    for (let attempt = 0; ; ) {
      try {
        return await this.#runOnce(fn, readOnly, learnt);
      } catch (error) {
        if (error instanceof LockRestart) {
          // Not a failure: the transaction would have waited for a lock while holding others.
          // It re-runs at once; its first lock() then waits for every lock it has needed so far.
          if (++restarts > MAX_LOCK_RESTARTS) {
            throw new Error(`${this.name}: gave up after ${MAX_LOCK_RESTARTS} lock restarts`, { cause: error });
          }
          continue;
        }
        if (attempt >= this.#maxRetries || !isRetryable(error)) throw error;
        // Full jitter on an exponential base: 5, 10, 20, ... ms, capped at 1 s.
        const base = Math.min(1000, 5 * 2 ** attempt);
        attempt++;
        await new Promise((resolve) => setTimeout(resolve, base * (0.5 + Math.random())));
      }
    }
  }

  async #runOnce<T>(fn: (tx: StorageTransaction) => Promise<T>, readOnly: boolean, learnt: Set<bigint>): Promise<T> {
    const { client, lost, release } = await this.#checkOut();
    let broken: Error | undefined;
    const tx = new PostgresTransaction(this, client, learnt, readOnly);
    try {
      const result = await fn(tx);
      // A function that caught the restart must not commit without the lock it asked for.
      if (tx.restart) throw tx.restart;
      await tx.commit();
      // The connection may have died while fn ran between queries: then COMMIT above already
      // failed, so reaching here means the transaction committed.
      return result;
    } catch (error) {
      tx.end();
      if (lost.error === undefined && tx.begun) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
      }
      throw tx.restart ?? connectionError(this.name, lost.error, error);
    } finally {
      release(broken);
    }
  }

  /**
   * A pooled client with an 'error' listener for as long as it is checked out. `pg.Pool` listens
   * for errors on idle clients only; a checked-out client whose connection is lost (backend
   * terminated, server restarted, network cut) emits 'error', and an 'error' event without a
   * listener ends the process. The listener records the error instead: the query in flight
   * rejects on its own, and `release` hands the client back as broken, so the pool discards it
   * and the next call gets a fresh connection.
   */
  async #checkOut(): Promise<{ client: pg.PoolClient; lost: { error?: Error }; release: (broken?: Error) => void }> {
    const client = await this.pool.connect();
    const lost: { error?: Error } = {};
    const earlier = LOST.get(client);
    if (earlier !== undefined) lost.error = earlier;
    const onError = (error: Error) => {
      lost.error ??= error;
    };
    client.on("error", onError);
    let released = false;
    const release = (broken?: Error) => {
      if (released) return;
      released = true;
      const error = lost.error ?? LOST.get(client) ?? broken;
      // Keep a listener on a broken client until the pool has closed it: a second 'error' from
      // the same socket must not crash the process either.
      if (error === undefined) client.removeListener("error", onError);
      client.release(error);
    };
    return { client, lost, release };
  }

  migrate(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    return this.#track(this.#startMigration());
  }

  async #migrate(): Promise<void> {
    const s = quoteSchema(this.schema);
    const { client, lost, release } = await this.#checkOut();
    let broken: Error | undefined;
    try {
      const info = await client.query<{ version: string; encoding: string }>(
        "SELECT current_setting('server_version_num') AS version, current_setting('server_encoding') AS encoding",
      );
      const row = info.rows[0];
      if (!row || Number(row.version) < 150000) {
        throw new Error(`${this.name}: PostgreSQL 15 or later is required (server_version_num ${row?.version})`);
      }
      if (row.encoding !== "UTF8") {
        throw new Error(`${this.name}: the database encoding must be UTF8, not ${row.encoding}`);
      }
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [
        advisoryLockId(this.schema, "customer-context:migrate").toString(),
      ]);
      const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [this.schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
      else await this.#assertOwnTables(client);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.${OWNER_TABLE} (library text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query(`INSERT INTO ${s}.${OWNER_TABLE} (library) VALUES ($1) ON CONFLICT DO NOTHING`, [
        OWNER_LIBRARY,
      ]);
      await client.query(postgresMigrationsTable(s));
      const applied = new Set(
        (await client.query<{ version: number }>(`SELECT version FROM ${s}.migrations`)).rows.map((r) => r.version),
      );
      const newest = Math.max(0, ...applied);
      if (newest > POSTGRES_SCHEMA_VERSION) {
        throw new Error(
          `${this.name}: schema ${this.schema} has version ${newest}, newer than this library's ${POSTGRES_SCHEMA_VERSION}`,
        );
      }
      for (const migration of POSTGRES_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql(s));
        await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
      await client.query("COMMIT");
    } catch (error) {
      if (lost.error === undefined) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
      }
      throw connectionError(this.name, lost.error, error);
    } finally {
      release(broken);
    }
  }

  /**
   * Refuses a schema whose tables customer-context did not create: they belong to another
   * application, and reading or writing them would corrupt its data. The marker table proves
   * ownership; a schema from before the marker existed is recognised by a migrations table that
   * holds exactly this library's migrations.
   */
  async #assertOwnTables(client: pg.PoolClient): Promise<void> {
    const columns = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = ANY($2::text[])",
      [this.schema, [...OWN_TABLES, OWNER_TABLE]],
    );
    const tables = new Map<string, Set<string>>();
    for (const row of columns.rows) {
      const set = tables.get(row.table_name) ?? new Set<string>();
      set.add(row.column_name);
      tables.set(row.table_name, set);
    }
    const s = quoteSchema(this.schema);
    const refuse = (why: string): never => {
      throw new InvalidInputError("PostgreSQL schema", [{ path: ["schema"], code: "invalid_value", message: why }]);
    };
    const owner = tables.get(OWNER_TABLE);
    if (owner !== undefined) {
      const marked =
        owner.has("library") &&
        ((await client.query(`SELECT 1 FROM ${s}.${OWNER_TABLE} WHERE library = $1`, [OWNER_LIBRARY])).rowCount ?? 0) >
          0;
      if (!marked) refuse(`${this.schema}.${OWNER_TABLE} exists but was not made by customer-context`);
      return;
    }
    const present = OWN_TABLES.filter((t) => tables.has(t));
    if (present.length === 0) return;
    const migrations = tables.get("migrations");
    if (migrations?.has("version") && migrations.has("name")) {
      const rows = (await client.query<{ version: number; name: string }>(`SELECT version, name FROM ${s}.migrations`))
        .rows;
      const ours = new Map(POSTGRES_MIGRATIONS.map((m) => [m.version, m.name]));
      // A newer library's migrations are unknown here; the version check after this one says so.
      if (rows.length > 0 && rows.every((r) => ours.get(r.version) === r.name || r.version > POSTGRES_SCHEMA_VERSION)) {
        return;
      }
    }
    refuse(
      `schema ${this.schema} already holds table(s) ${present.join(", ")} that customer-context did not create; use another schema`,
    );
  }

  async schemaVersion(): Promise<number> {
    if (this.#closed) throw new Error(`${this.name} adapter is closed`);
    const exists = await this.pool.query("SELECT to_regclass($1) AS t", [`${quoteSchema(this.schema)}.migrations`]);
    if (exists.rows[0]?.t === null) return 0;
    const result = await this.pool.query<{ v: number }>(
      `SELECT coalesce(max(version), 0) AS v FROM ${quoteSchema(this.schema)}.migrations`,
    );
    return result.rows[0]?.v ?? 0;
  }

  readEvents(after: number, limit: number): Promise<StoredEvent[]> {
    if (this.#closed) return Promise.reject(new Error(`${this.name} adapter is closed`));
    return this.#track(
      this.#ensureReady().then(async () => {
        const result = await this.pool.query<{ seq: string; type: string; at: string; payload: string }>({
          name: this.sql.name("events"),
          text: `SELECT seq, type, at, payload FROM ${this.sql.s}.events WHERE seq > $1 ORDER BY seq LIMIT $2`,
          values: [after, sqlLimit(limit)],
        });
        return result.rows.map(toStoredEvent);
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#active]);
    if (this.#owned) await this.pool.end();
  }
}

/** SQL texts of one schema, with names for server-side prepared statements. */
class Statements {
  readonly s: string;
  #tag: string;

  /**
   * The `WITH` clauses that apply a set of deferred writes, parameters $1..$7: documents
   * (collections, keys, values) and their index entries (collections, keys, names, values). It
   * upserts the documents, drops the index entries they no longer have and inserts the new ones;
   * each document appears once, so the clauses touch disjoint rows. A statement follows it.
   *
   * The entries to drop are a set difference (EXCEPT: hashed or sorted), not a NOT EXISTS against
   * the wanted rows: a prepared statement soon runs a generic plan, which estimates every unnest
   * at 10 rows and so checks NOT EXISTS by a nested loop over all wanted rows, quadratic in the
   * batch (3.2 s instead of 0.2 s for 2,000 documents).
   */
  readonly writeSet: string;

  constructor(schema: string) {
    this.s = quoteSchema(schema);
    this.#tag = createHash("sha256").update(schema).digest("hex").slice(0, 12);
    const s = this.s;
    this.writeSet = `WITH docs AS (
         INSERT INTO ${s}.documents (collection, key, value)
         SELECT d.collection, d.key, d.value FROM unnest($1::text[], $2::text[], $3::text[]) AS d(collection, key, value)
         ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value
       ), wanted AS (
         SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS w(collection, key, name, value)
       ), stale AS (
         DELETE FROM ${s}.index_entries e
         USING (
           SELECT x.collection, x.name, x.value, x.key FROM ${s}.index_entries x
           JOIN unnest($1::text[], $2::text[]) AS d(collection, key) ON x.collection = d.collection AND x.key = d.key
           EXCEPT
           SELECT w.collection, w.name, w.value, w.key FROM wanted w
         ) AS gone
         WHERE e.collection = gone.collection AND e.name = gone.name AND e.value = gone.value AND e.key = gone.key
       ), added AS (
         INSERT INTO ${s}.index_entries (collection, name, value, key)
         SELECT w.collection, w.name, w.value, w.key FROM wanted w
         ON CONFLICT DO NOTHING
       )`;
  }

  name(shape: string): string {
    return `cc_${this.#tag}_${shape}`;
  }
}

class PostgresTransaction implements StorageTransaction {
  #storage: PostgresStorage;
  #client: pg.PoolClient;
  #done = false;
  /** Advisory locks this transaction holds. */
  #held = new Set<bigint>();
  /** Lock ids of earlier attempts of the same transaction; grows with every lock() call. */
  #learnt: Set<bigint>;
  /** Set when a lock() call found a lock taken while this transaction held others. */
  restart: LockRestart | undefined;
  /** Deferred writes by collection, then by stored key (see {@link PostgresTransaction.putMany}). */
  #pending = new Map<string, Map<string, Write>>();

  /** Whether BEGIN has been sent (with the first statement, see {@link PostgresTransaction.#query}). */
  begun = false;
  #begin: string;

  constructor(storage: PostgresStorage, client: pg.PoolClient, learnt: Set<bigint>, readOnly: boolean) {
    this.#storage = storage;
    this.#client = client;
    this.#learnt = learnt;
    this.#begin = readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
  }

  end(): void {
    this.#done = true;
  }

  async #query<R extends pg.QueryResultRow>(
    shape: string,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    if (this.#done) throw new Error("transaction already ended");
    if (!this.begun) {
      this.begun = true;
      // BEGIN and the first statement in one round trip: one simple query with the parameters
      // written as literals. The first statement runs after BEGIN, so it sees what it would see
      // as a prepared statement sent after it (READ COMMITTED takes a snapshot per statement;
      // REPEATABLE READ takes its snapshot at the first statement, not at BEGIN). Not the write
      // statements: planning them afresh costs more than a round trip.
      const inlined = shape.startsWith("write") ? undefined : inlineParameters(this.#client, text, values);
      if (inlined !== undefined) {
        const results = (await this.#client.query(`${this.#begin}; ${inlined}`)) as unknown as pg.QueryResult<R>[];
        return results[1] as pg.QueryResult<R>;
      }
      await this.#client.query(this.#begin);
    }
    return this.#client.query<R>({ name: this.#storage.sql.name(shape), text, values });
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    const stored = pgText(key);
    await this.#flush();
    const result = await this.#query<{ value: string }>(
      "get",
      `SELECT value FROM ${s}.documents WHERE collection = $1 AND key = $2`,
      [collection, stored],
    );
    const row = result.rows[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async getMany<T>(collection: string, keys: readonly string[]): Promise<Map<string, T>> {
    const s = this.#storage.sql.s;
    const out = new Map<string, T>();
    if (this.#done) throw new Error("transaction already ended");
    if (keys.length === 0) return out;
    const stored = keys.map(pgText);
    await this.#flush();
    const result = await this.#query<DocumentRow>(
      "getMany",
      `SELECT key, value FROM ${s}.documents WHERE collection = $1 AND key = ANY($2::text[])`,
      [collection, stored],
    );
    for (const row of result.rows) out.set(decodeKey(row.key), JSON.parse(row.value) as T);
    return out;
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<void> {
    if (this.#done) throw new Error("transaction already ended");
    this.#defer(collection, [writeOf(key, value, options?.index)]);
  }

  async delete(collection: string, key: string): Promise<boolean> {
    return (await this.deleteMany(collection, [key])) > 0;
  }

  /**
   * Writes are deferred: they are kept here, the last one per document, and reach PostgreSQL in
   * one statement together with the next operation that has to go to the server (a
   * `deleteMany` or `appendEvents`, or before a read and the commit). So a batch's writes, which the
   * shell flushes one collection at a time, cost one round trip instead of one per call.
   */
  async putMany<T>(collection: string, entries: readonly PutEntry<T>[]): Promise<void> {
    if (this.#done) throw new Error("transaction already ended");
    // Everything is checked and encoded before anything is kept: a bad entry writes nothing.
    this.#defer(
      collection,
      entries.map((e) => writeOf(e.key, e.value, e.index)),
    );
  }

  #defer(collection: string, writes: readonly Write[]): void {
    if (writes.length === 0) return;
    let docs = this.#pending.get(collection);
    if (!docs) {
      docs = new Map();
      this.#pending.set(collection, docs);
    }
    // A key given twice ends with its last entry, as with put one by one.
    for (const w of writes) docs.set(w.key, w);
  }

  /**
   * The deferred writes as the parameters $1..$7 of `Statements.writeSet`, in (collection, key)
   * order so that concurrent writers upsert shared rows in the same order; empties the set.
   */
  #takePending(): unknown[] | undefined {
    if (this.#pending.size === 0) return undefined;
    const collections: string[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const entryCollections: string[] = [];
    const entryKeys: string[] = [];
    const names: string[] = [];
    const indexValues: string[] = [];
    for (const collection of [...this.#pending.keys()].sort(compareStrings)) {
      const docs = this.#pending.get(collection) as Map<string, Write>;
      for (const w of [...docs.values()].sort((a, b) => compareStrings(a.key, b.key))) {
        collections.push(collection);
        keys.push(w.key);
        values.push(w.json);
        for (const [name, v] of w.pairs) {
          entryCollections.push(collection);
          entryKeys.push(w.key);
          names.push(name);
          indexValues.push(v);
        }
      }
    }
    this.#pending.clear();
    return [collections, keys, values, entryCollections, entryKeys, names, indexValues];
  }

  /**
   * Sends the deferred writes, then COMMIT; a transaction that sent nothing sends nothing. The
   * writes stay a prepared statement: inlined into one simple query with COMMIT they cost more
   * than the round trip they save (parsing and planning the statement each time: 1.8 ms against
   * 1.0 ms for BEGIN, the prepared write and COMMIT, measured on loopback).
   */
  async commit(): Promise<void> {
    await this.#flush();
    this.#done = true;
    if (this.begun) await this.#client.query("COMMIT");
  }

  /** Sends the deferred writes, if any (before a read and at the commit). */
  async #flush(): Promise<void> {
    const pending = this.#takePending();
    if (pending) await this.#query("write", `${this.#storage.sql.writeSet} SELECT 1`, pending);
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<number> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (keys.length === 0) return 0;
    const stored = [...new Set(keys.map(pgText))];
    // Deferred writes of these keys never reach the server; they count as existing documents.
    const docs = this.#pending.get(collection);
    const unsent = new Set<string>();
    if (docs) {
      for (const key of stored) if (docs.delete(key)) unsent.add(key);
      if (docs.size === 0) this.#pending.delete(collection);
    }
    // The other deferred writes touch other documents, so they go in the same statement.
    const pending = this.#takePending();
    const remove = (c: number) =>
      `DELETE FROM ${s}.index_entries WHERE collection = $${c} AND key = ANY($${c + 1}::text[])), removed AS (
         DELETE FROM ${s}.documents WHERE collection = $${c} AND key = ANY($${c + 1}::text[]) RETURNING key
       ) SELECT key FROM removed`;
    const result = pending
      ? await this.#query<{ key: string }>(
          "writeDeleteMany",
          `${this.#storage.sql.writeSet}, entries AS (${remove(8)}`,
          [...pending, collection, stored],
        )
      : await this.#query<{ key: string }>("deleteMany", `WITH entries AS (${remove(1)}`, [collection, stored]);
    let n = unsent.size;
    for (const row of result.rows) if (!unsent.has(row.key)) n++;
    return n;
  }

  async findMany<T>(collection: string, index: string, values: readonly string[]): Promise<StoredDocument<T>[]> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (values.length === 0) return [];
    await this.#flush();
    const result = await this.#query<DocumentRow>(
      "findMany",
      `SELECT d.key, d.value FROM ${s}.documents d
       WHERE d.collection = $1 AND d.key IN (
         SELECT e.key FROM ${s}.index_entries e
         WHERE e.collection = $1 AND e.name = $2 AND e.value = ANY($3::text[])
       ) ORDER BY d.key ASC`,
      [collection, index, [...new Set(values.map(pgText))]],
    );
    return result.rows.map(toDocument<T>);
  }

  async find<T>(
    collection: string,
    index: string,
    value: string,
    options: RangeOptions = {},
  ): Promise<StoredDocument<T>[]> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    const limit = sqlLimit(options.limit);
    if (limit === 0) return [];
    await this.#flush();
    const reverse = options.reverse === true;
    const values: unknown[] = [collection, index, pgText(value), limit];
    let where = "e.collection = $1 AND e.name = $2 AND e.value = $3";
    if (options.after !== undefined) {
      values.push(pgText(options.after));
      where += reverse ? " AND e.key < $5" : " AND e.key > $5";
    }
    const shape = `find_${reverse ? "d" : "a"}${options.after === undefined ? "" : "_after"}`;
    const result = await this.#query<DocumentRow>(
      shape,
      `SELECT d.key, d.value FROM ${s}.index_entries e
       JOIN ${s}.documents d ON d.collection = e.collection AND d.key = e.key
       WHERE ${where} ORDER BY e.key ${reverse ? "DESC" : "ASC"} LIMIT $4`,
      values,
    );
    return result.rows.map(toDocument<T>);
  }

  async scan<T>(collection: string, options: RangeOptions = {}): Promise<StoredDocument<T>[]> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    const limit = sqlLimit(options.limit);
    if (limit === 0) return [];
    await this.#flush();
    const reverse = options.reverse === true;
    const values: unknown[] = [collection, limit];
    let where = "collection = $1";
    let shape = `scan_${reverse ? "d" : "a"}`;
    if (options.after !== undefined) {
      values.push(pgText(options.after));
      where += reverse ? ` AND key < $${values.length}` : ` AND key > $${values.length}`;
      shape += "_after";
    }
    if (options.prefix !== undefined && options.prefix !== "") {
      const low = pgText(options.prefix);
      values.push(low, prefixUpperBound(low));
      where += ` AND key >= $${values.length - 1} AND key < $${values.length}`;
      shape += "_prefix";
    }
    const result = await this.#query<DocumentRow>(
      shape,
      `SELECT key, value FROM ${s}.documents WHERE ${where} ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT $2`,
      values,
    );
    return result.rows.map(toDocument<T>);
  }

  /**
   * Locks without deadlocks across calls. A transaction waits for locks only while it holds none:
   * its first lock() waits for the requested locks plus every lock earlier attempts needed, all in
   * one statement in ascending id order. A later lock() only tries (`pg_try_advisory_xact_lock`);
   * if a lock is taken, the transaction rolls back (releasing everything) and re-runs, and its
   * first lock() then waits for the larger set. Waiting while holding locks is what lets two
   * transactions that lock in several steps (identifiers, then their profiles) deadlock; PostgreSQL
   * only detects that after `deadlock_timeout` (1 s), so avoiding it is much faster than retrying.
   */
  async lock(keys: readonly string[]): Promise<void> {
    if (this.#done) throw new Error("transaction already ended");
    if (this.restart) throw this.restart;
    const wanted = [...new Set(keys.map((k) => advisoryLockId(this.#storage.schema, k)))].filter(
      (id) => !this.#held.has(id),
    );
    if (wanted.length === 0) return;
    for (const id of wanted) this.#learnt.add(id);
    if (this.#held.size === 0) {
      // Canonical order: distinct lock ids, ascending. unnest yields them in array order, so
      // every transaction acquires its locks in the same global order.
      const ids = [...this.#learnt].sort(compareBigints);
      await this.#query("lock", "SELECT pg_advisory_xact_lock(id) FROM unnest($1::bigint[]) AS id", [ids.map(String)]);
      for (const id of ids) this.#held.add(id);
      return;
    }
    const ids = wanted.sort(compareBigints);
    const result = await this.#query<{ missed: string[] | null }>(
      "tryLock",
      "SELECT array_agg(id) FILTER (WHERE NOT pg_try_advisory_xact_lock(id)) AS missed FROM unnest($1::bigint[]) AS id",
      [ids.map(String)],
    );
    const missed = new Set((result.rows[0]?.missed ?? []).map((id) => BigInt(id)));
    for (const id of ids) if (!missed.has(id)) this.#held.add(id);
    if (missed.size > 0) {
      this.restart = new LockRestart(missed.size);
      throw this.restart;
    }
  }

  async appendEvent(type: string, at: string, payload: JsonValue, names?: readonly string[]): Promise<number> {
    const [seq] = await this.appendEvents([names ? { type, at, payload, names } : { type, at, payload }]);
    return seq as number;
  }

  async appendEvents(events: readonly NewEvent[]): Promise<number[]> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (events.length === 0) return [];
    const payloads = events.map((e) => toJson(e.payload));
    // Names travel as one JSON array per event: unnest cannot take a ragged two-dimensional array.
    const names = events.map((e) => JSON.stringify([...new Set(e.names ?? [])].map(pgText)));
    const insert = (c: number) => `INSERT INTO ${s}.events (type, at, payload, names)
       SELECT e.type, e.at, e.payload, ARRAY(SELECT json_array_elements_text(e.names::json))
       FROM unnest($${c}::text[], $${c + 1}::text[], $${c + 2}::text[], $${c + 3}::text[])
         WITH ORDINALITY AS e(type, at, payload, names, n)
       ORDER BY e.n
       RETURNING seq`;
    const columns = [events.map((e) => e.type), events.map((e) => e.at), payloads, names];
    // The deferred writes travel with the events: the tables are disjoint, one round trip.
    const pending = this.#takePending();
    const result = pending
      ? await this.#query<{ seq: string }>("writeAppendEvents", `${this.#storage.sql.writeSet} ${insert(8)}`, [
          ...pending,
          ...columns,
        ])
      : await this.#query<{ seq: string }>("appendEvents", insert(1), columns);
    return result.rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  }

  async deleteEventsNaming(names: readonly string[]): Promise<number> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (names.length === 0) return 0;
    await this.#flush();
    const result = await this.#query("deleteEventsNaming", `DELETE FROM ${s}.events WHERE names && $1::text[]`, [
      [...new Set(names.map(pgText))],
    ]);
    return result.rowCount ?? 0;
  }
}

/**
 * The error a transaction rejects with when its connection was lost: the query error when there
 * is one (it usually says "Connection terminated unexpectedly" or names the terminating server),
 * else the connection's own error. The shell wraps it in a typed `storage_failure`.
 */
function connectionError(name: string, lost: Error | undefined, error: unknown): unknown {
  if (lost === undefined) return error;
  if (error instanceof Error && error !== lost && !/terminat|connection/i.test(error.message)) {
    return new Error(`${name}: the connection was lost (${lost.message})`, { cause: error });
  }
  return error;
}

/** The stored form of a key or index value; PostgreSQL text cannot hold U+0000. */
function pgText(key: string): string {
  if (key.includes("\u0000")) throw new TypeError(NUL_MESSAGE);
  return encodeKey(key);
}

/** Above this many characters the first statement is sent as a prepared statement after BEGIN. */
const MAX_INLINED = 64 * 1024;

/**
 * `text` with its parameters `$n` replaced by SQL literals, for the simple query protocol, or
 * `undefined` when that is not safe or not worth it (an array not followed by a cast, a value
 * that is not a string, integer or array of strings, a text longer than {@link MAX_INLINED}).
 * Strings are quoted by the driver's `escapeLiteral`; the adapter's own SQL holds no `$` but
 * its parameters.
 */
export function inlineParameters(
  client: Pick<pg.ClientBase, "escapeLiteral">,
  text: string,
  values: readonly unknown[],
): string | undefined {
  let size = text.length;
  let safe = true;
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
    if (typeof value === "string") {
      size += value.length + 3;
      return client.escapeLiteral(value);
    }
    safe = false;
    return "";
  };
  const out = text.replace(/\$(\d+)/g, (_, digits: string, offset: number) => {
    const value = values[Number(digits) - 1];
    if (!Array.isArray(value)) return literal(value);
    // ARRAY[] needs the element type: every array parameter of the adapter is cast.
    if (!text.startsWith("::", offset + 1 + digits.length)) safe = false;
    return `ARRAY[${value.map(literal).join(",")}]`;
  });
  return safe && size <= MAX_INLINED ? out : undefined;
}

/** A deferred write: the stored key, the JSON text and the stored index pairs. */
interface Write {
  key: string;
  json: string;
  pairs: [string, string][];
}

/** Checks and encodes one write now, so that a bad one fails the call that made it. */
function writeOf(key: string, value: unknown, index: PutOptions["index"]): Write {
  const stored = pgText(key);
  const json = toJson(value);
  const pairs = index ? indexPairs(index) : [];
  if (pairs.some(([, v]) => v.includes("\u0000"))) throw new TypeError(NUL_MESSAGE);
  return { key: stored, json, pairs };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toDocument<T>(row: DocumentRow): StoredDocument<T> {
  return { key: decodeKey(row.key), value: JSON.parse(row.value) as T };
}

/** The first connection error of each pooled client (set by the listener added on 'connect'). */
const LOST = new WeakMap<pg.PoolClient | pg.Client, Error>();

/** How many times one transaction may restart because a lock was taken (each restart learns a lock). */
const MAX_LOCK_RESTARTS = 1000;

/**
 * Thrown by lock() when a lock is taken by another transaction while this one holds locks: the
 * transaction is rolled back and re-run (it never reaches the caller unless the function swallows
 * it, in which case the transaction still restarts).
 */
class LockRestart extends Error {
  constructor(missed: number) {
    super(`${missed} lock(s) taken by another transaction; the transaction restarts`);
    this.name = "LockRestart";
  }
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRetryable(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && RETRYABLE.has(code);
}
