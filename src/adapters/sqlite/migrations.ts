/**
 * SQLite schema migrations: versioned, forward-only, applied in order inside one
 * `BEGIN IMMEDIATE` transaction and recorded in `cc_migrations`.
 *
 * @module
 */

/** One schema migration. */
export interface SqliteMigration {
  /** 1, 2, 3, ...: applied in this order, each once. */
  readonly version: number;
  /** What it does, recorded with the version. */
  readonly name: string;
  /** The SQL it runs (several statements). */
  readonly sql: string;
}

/** Every migration of the SQLite schema, oldest first. Never edit a released one; append. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: "documents, index entries and events",
    sql: `
CREATE TABLE IF NOT EXISTS cc_documents (
  collection TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (collection, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cc_index_entries (
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (collection, name, value, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cc_events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  payload TEXT NOT NULL
);`,
  },
  {
    version: 2,
    name: "index entries by document, for put and delete",
    sql: "CREATE INDEX IF NOT EXISTS cc_index_entries_by_document ON cc_index_entries (collection, key);",
  },
  {
    version: 3,
    name: "events indexed by the ids they name, for erasure",
    // Events written before this version carry no names: every string in their payload stands in
    // for them (a superset of the ids they name), so that forget finds them too.
    sql: `
CREATE TABLE IF NOT EXISTS cc_event_names (
  name TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (name, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cc_event_names_by_event ON cc_event_names (seq);
INSERT OR IGNORE INTO cc_event_names (name, seq)
  SELECT t.value, e.seq FROM cc_events e, json_tree(e.payload) t
  WHERE t.type = 'text' AND json_valid(e.payload);`,
  },
];

/** The schema version this library writes. */
export const SQLITE_SCHEMA_VERSION: number = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]?.version ?? 0;

/** DDL of the migrations table itself (not a migration: it has to exist before any). */
export const SQLITE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS cc_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);`;
