/**
 * `customer-context/sqlite`: the SQLite storage adapter (better-sqlite3, an optional peer
 * dependency).
 *
 * @module
 */
export {
  type SqliteAdapter,
  type SqliteAdapterExtra,
  type SqliteAdapterOptions,
  sqliteAdapter,
} from "./adapter.js";
export { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION, type SqliteMigration } from "./migrations.js";
