/**
 * PostgreSQL schema migrations: versioned, forward-only, applied in order inside one transaction
 * that holds a `pg_advisory_xact_lock`, and recorded in `<schema>.migrations`.
 *
 * @module
 */

/** One schema migration; `sql` receives the quoted schema name. */
export interface PostgresMigration {
  /** 1, 2, 3, ...: applied in this order, each once. */
  readonly version: number;
  /** What it does, recorded with the version. */
  readonly name: string;
  /** The SQL it runs (several statements) in schema `s` (already quoted). */
  readonly sql: (s: string) => string;
}

/** Every migration of the PostgreSQL schema, oldest first. Never edit a released one; append. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "documents, index entries and events",
    sql: (s) => `
CREATE TABLE IF NOT EXISTS ${s}.documents (
  collection text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (collection, key)
);
CREATE TABLE IF NOT EXISTS ${s}.index_entries (
  collection text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  value text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  PRIMARY KEY (collection, name, value, key)
);
CREATE TABLE IF NOT EXISTS ${s}.events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL,
  at text NOT NULL,
  payload text NOT NULL
);`,
  },
  {
    version: 2,
    name: "index entries by document, for put and delete",
    sql: (s) => `CREATE INDEX IF NOT EXISTS index_entries_by_document ON ${s}.index_entries (collection, key);`,
  },
  {
    version: 3,
    name: "events indexed by the ids they name, for erasure",
    // Events written before this version carry no names: every string in their payload stands in
    // for them (a superset of the ids they name), so that forget finds them too.
    sql: (s) => `
ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS names text[] COLLATE "C" NOT NULL DEFAULT '{}';
UPDATE ${s}.events SET names = ARRAY(
  SELECT DISTINCT v #>> '{}' FROM jsonb_path_query(payload::jsonb, 'strict $.**') AS v WHERE jsonb_typeof(v) = 'string'
) WHERE names = '{}' AND strpos(payload, '\\u0000') = 0;
CREATE INDEX IF NOT EXISTS events_by_name ON ${s}.events USING gin (names);`,
  },
];

/** The schema version this library writes. */
export const POSTGRES_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]?.version ?? 0;

/** DDL of the migrations table itself (not a migration: it has to exist before any). */
export function postgresMigrationsTable(s: string): string {
  return `CREATE TABLE IF NOT EXISTS ${s}.migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;
}
