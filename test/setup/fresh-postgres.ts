/**
 * Helpers for tests that need PostgreSQL: the connection string of the test server and adapters
 * on fresh, uniquely named schemas (so test files can run in parallel), dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type PostgresAdapter, type PostgresAdapterExtra, postgresAdapter } from "../../src/adapters/postgres/index.js";

const schemas = new WeakMap<object, string>();

/**
 * The connection string of the test PostgreSQL (from the global setup or `DATABASE_URL`).
 *
 * @returns The connection string; throws with the startup error when the server is not running.
 * @example
 * ```ts
 * const client = new pg.Client({ connectionString: postgresUrl() });
 * ```
 */
export function postgresUrl(): string {
  const url = inject("postgresUrl");
  if (!url) throw new Error(`PostgreSQL is not available for tests: ${inject("postgresError") || "not started"}`);
  return url;
}

/**
 * A schema name no other test uses: `cc_test_<random>`.
 *
 * @param prefix Start of the name (lower-case identifier characters).
 * @returns A valid, unused schema name.
 * @example
 * ```ts
 * const schema = freshSchemaName(); // "cc_test_3f9a0c1d2e4b"
 * ```
 */
export function freshSchemaName(prefix = "cc_test"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/**
 * A PostgreSQL adapter on a fresh schema of the test server (created on first use). Drop the
 * schema with {@link dropPostgresSchema} after the test.
 *
 * @param extra Adapter settings; `schema` defaults to a fresh name.
 * @returns The adapter.
 * @example
 * ```ts
 * runAdapterConformance({ name: "pg", createAdapter: () => freshPostgresAdapter(), teardown: dropPostgresSchema });
 * ```
 */
export function freshPostgresAdapter(extra: PostgresAdapterExtra = {}): PostgresAdapter {
  const schema = extra.schema ?? freshSchemaName();
  const adapter = postgresAdapter({ connectionString: postgresUrl() }, { poolSize: 4, ...extra, schema });
  schemas.set(adapter, schema);
  return adapter;
}

/**
 * Drops the schema of an adapter made by {@link freshPostgresAdapter} (or a schema by name).
 *
 * @param target The adapter or the schema name.
 * @returns When the schema is gone.
 * @example
 * ```ts
 * afterEach(() => dropPostgresSchema(adapter));
 * ```
 */
export async function dropPostgresSchema(target: object | string): Promise<void> {
  const schema = typeof target === "string" ? target : schemas.get(target);
  if (!schema) return;
  await withPostgresClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/**
 * Runs `fn` with a connected client of the test server, then disconnects.
 *
 * @param fn What to do with the client.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * const version = await withPostgresClient((c) => c.query("SHOW server_version"));
 * ```
 */
export async function withPostgresClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
