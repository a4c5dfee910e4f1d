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
 * read-only transactions use one REPEATABLE READ snapshot. `lock(keys)` takes transaction-level
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
    const tx = new PostgresTransaction(this, client, learnt);
    try {
      await client.query(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
      const result = await fn(tx);
      // A function that caught the restart must not commit without the lock it asked for.
      if (tx.restart) throw tx.restart;
      tx.end();
      await client.query("COMMIT");
      // The connection may have died while fn ran between queries: then COMMIT above already
      // failed, so reaching here means the transaction committed.
      return result;
    } catch (error) {
      tx.end();
      if (lost.error === undefined) {
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

  constructor(schema: string) {
    this.s = quoteSchema(schema);
    this.#tag = createHash("sha256").update(schema).digest("hex").slice(0, 12);
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

  constructor(storage: PostgresStorage, client: pg.PoolClient, learnt: Set<bigint>) {
    this.#storage = storage;
    this.#client = client;
    this.#learnt = learnt;
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
    return this.#client.query<R>({ name: this.#storage.sql.name(shape), text, values });
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    const s = this.#storage.sql.s;
    const result = await this.#query<{ value: string }>(
      "get",
      `SELECT value FROM ${s}.documents WHERE collection = $1 AND key = $2`,
      [collection, pgText(key)],
    );
    const row = result.rows[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  async getMany<T>(collection: string, keys: readonly string[]): Promise<Map<string, T>> {
    const s = this.#storage.sql.s;
    const out = new Map<string, T>();
    if (this.#done) throw new Error("transaction already ended");
    if (keys.length === 0) return out;
    const result = await this.#query<DocumentRow>(
      "getMany",
      `SELECT key, value FROM ${s}.documents WHERE collection = $1 AND key = ANY($2::text[])`,
      [collection, keys.map(pgText)],
    );
    for (const row of result.rows) out.set(decodeKey(row.key), JSON.parse(row.value) as T);
    return out;
  }

  async put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<void> {
    const s = this.#storage.sql.s;
    const json = toJson(value);
    const pairs = options?.index ? indexPairs(options.index) : [];
    if (pairs.some(([, v]) => v.includes("\u0000"))) throw new TypeError(NUL_MESSAGE);
    // One round trip: upsert the document, delete the entries it no longer has, insert the new
    // ones (the delete and the insert touch disjoint rows, so one statement can do both).
    await this.#query(
      "put",
      `WITH doc AS (
         INSERT INTO ${s}.documents (collection, key, value) VALUES ($1, $2, $3)
         ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value
       ), wanted AS (
         SELECT * FROM unnest($4::text[], $5::text[]) AS w(name, value)
       ), stale AS (
         DELETE FROM ${s}.index_entries e
         WHERE e.collection = $1 AND e.key = $2
           AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.name = e.name AND w.value = e.value)
       )
       INSERT INTO ${s}.index_entries (collection, name, value, key)
       SELECT $1, w.name, w.value, $2 FROM wanted w
       ON CONFLICT DO NOTHING`,
      [collection, pgText(key), json, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  async delete(collection: string, key: string): Promise<boolean> {
    const s = this.#storage.sql.s;
    const result = await this.#query(
      "delete",
      `WITH entries AS (DELETE FROM ${s}.index_entries WHERE collection = $1 AND key = $2)
       DELETE FROM ${s}.documents WHERE collection = $1 AND key = $2`,
      [collection, pgText(key)],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async putMany<T>(collection: string, entries: readonly PutEntry<T>[]): Promise<void> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    // A key given twice ends with its last entry, as with put one by one.
    const last = new Map<string, PutEntry<T>>();
    for (const e of entries) {
      last.delete(e.key);
      last.set(e.key, e);
    }
    if (last.size === 0) return;
    const keys: string[] = [];
    const values: string[] = [];
    const entryKeys: string[] = [];
    const names: string[] = [];
    const indexValues: string[] = [];
    for (const e of last.values()) {
      const key = pgText(e.key);
      keys.push(key);
      values.push(toJson(e.value));
      for (const [name, v] of e.index ? indexPairs(e.index) : []) {
        if (v.includes("\u0000")) throw new TypeError(NUL_MESSAGE);
        entryKeys.push(key);
        names.push(name);
        indexValues.push(v);
      }
    }
    // One round trip for the whole batch: upsert the documents, drop the index entries they no
    // longer have, insert the new ones.
    await this.#query(
      "putMany",
      `WITH docs AS (
         INSERT INTO ${s}.documents (collection, key, value)
         SELECT $1, d.key, d.value FROM unnest($2::text[], $3::text[]) AS d(key, value)
         ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value
       ), wanted AS (
         SELECT * FROM unnest($4::text[], $5::text[], $6::text[]) AS w(key, name, value)
       ), stale AS (
         DELETE FROM ${s}.index_entries e
         WHERE e.collection = $1 AND e.key = ANY($2::text[])
           AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.key = e.key AND w.name = e.name AND w.value = e.value)
       )
       INSERT INTO ${s}.index_entries (collection, name, value, key)
       SELECT $1, w.name, w.value, w.key FROM wanted w
       ON CONFLICT DO NOTHING`,
      [collection, keys, values, entryKeys, names, indexValues],
    );
  }

  async deleteMany(collection: string, keys: readonly string[]): Promise<number> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (keys.length === 0) return 0;
    const stored = [...new Set(keys.map(pgText))];
    const result = await this.#query(
      "deleteMany",
      `WITH entries AS (DELETE FROM ${s}.index_entries WHERE collection = $1 AND key = ANY($2::text[]))
       DELETE FROM ${s}.documents WHERE collection = $1 AND key = ANY($2::text[])`,
      [collection, stored],
    );
    return result.rowCount ?? 0;
  }

  async findMany<T>(collection: string, index: string, values: readonly string[]): Promise<StoredDocument<T>[]> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (values.length === 0) return [];
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
    const result = await this.#query<{ seq: string }>(
      "appendEvents",
      `INSERT INTO ${s}.events (type, at, payload, names)
       SELECT e.type, e.at, e.payload, ARRAY(SELECT json_array_elements_text(e.names::json))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(type, at, payload, names, n)
       ORDER BY e.n
       RETURNING seq`,
      [events.map((e) => e.type), events.map((e) => e.at), payloads, names],
    );
    return result.rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  }

  async deleteEventsNaming(names: readonly string[]): Promise<number> {
    const s = this.#storage.sql.s;
    if (this.#done) throw new Error("transaction already ended");
    if (names.length === 0) return 0;
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
