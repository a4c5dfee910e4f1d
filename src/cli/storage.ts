/**
 * Opens the storage named by the CLI's `--db` option.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { StorageAdapter } from "../storage/port.js";

/** The default `--db`: a SQLite file in the working directory. */
export const DEFAULT_DB = "customer-context.sqlite";

/**
 * Page cache of the CLI's SQLite connection, in KiB (256 MiB). `ingest` is a bulk import: each
 * batch touches pages all over the file, and with better-sqlite3's 16 MiB a store of a few hundred
 * MB is read from the file again batch after batch (replaying a 50,000-row ingest: 25% less CPU
 * in the adapter with 256 MiB). The cache fills only as pages are read.
 */
export const CLI_SQLITE_CACHE_KIB = 256 * 1024;

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /** When true, a SQLite file that does not exist is an error instead of a new, empty database. */
  mustExist?: boolean;
  /** PostgreSQL schema (default `customer_context`). */
  schema?: string;
}

/**
 * Opens storage from a `--db` value: `postgres://…` or `postgresql://…` is PostgreSQL, anything
 * else is the path of a SQLite file (`:memory:` for a throwaway database). The drivers are loaded
 * only when used, as they are optional peer dependencies.
 *
 * @param db - the `--db` value
 * @param options - `mustExist` for read-only commands, PostgreSQL `schema`
 * @returns the adapter
 * @throws {Error} when `mustExist` is set and the SQLite file is missing
 *
 * @example
 * ```ts
 * const storage = await openStorage("customers.sqlite");
 * const cc = createCustomerContext({ storage });
 * ```
 */
export async function openStorage(db: string, options: OpenStorageOptions = {}): Promise<StorageAdapter> {
  if (/^postgres(?:ql)?:\/\//i.test(db)) {
    const { postgresAdapter } = await import("../adapters/postgres/index.js");
    return postgresAdapter({ connectionString: db }, options.schema !== undefined ? { schema: options.schema } : {});
  }
  const filename = db === ":memory:" ? db : resolve(db);
  if (options.mustExist && filename !== ":memory:" && !existsSync(filename)) {
    throw new Error(`No database at ${filename}: ingest a file first, or choose one with --db`);
  }
  const { sqliteAdapter } = await import("../adapters/sqlite/index.js");
  return sqliteAdapter({ filename }, { cacheSizeKiB: CLI_SQLITE_CACHE_KIB });
}
