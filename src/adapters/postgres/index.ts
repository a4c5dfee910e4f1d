/**
 * `customer-context/postgres`: the PostgreSQL storage adapter (`pg`, an optional peer
 * dependency).
 *
 * @module
 */
export {
  type PostgresAdapter,
  type PostgresAdapterExtra,
  type PostgresAdapterOptions,
  postgresAdapter,
} from "./adapter.js";
export { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, type PostgresMigration } from "./migrations.js";
