import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA_VERSION, type PostgresAdapter, postgresAdapter } from "../../src/adapters/postgres/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl, withPostgresClient } from "../setup/fresh-postgres.js";
import { expectV1FixtureData } from "./fixture-data.js";

const fixture = readFileSync(new URL("../fixtures/postgres-v1.sql", import.meta.url), "utf8");
const cleanup: string[] = [];
const open: PostgresAdapter[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
  for (const schema of cleanup.splice(0)) await dropPostgresSchema(schema);
});

function adapterOn(schema: string): PostgresAdapter {
  const adapter = postgresAdapter({ connectionString: postgresUrl() }, { schema, poolSize: 2 });
  open.push(adapter);
  return adapter;
}

function newSchema(): string {
  const schema = freshSchemaName("cc_mig");
  cleanup.push(schema);
  return schema;
}

/** Columns and indexes of a schema, with the schema name taken out so two schemas compare. */
async function shapeOf(schema: string): Promise<string[]> {
  return withPostgresClient(async (c) => {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, collation_name, is_nullable, column_default, is_identity
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const indexes = await c.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1", [
      schema,
    ]);
    return [...columns.rows, ...indexes.rows].map((r) => JSON.stringify(r).replaceAll(schema, "S"));
  });
}

describe("postgres migrations", () => {
  it("has more than one version, so upgrades are exercised", () => {
    expect(POSTGRES_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("creates the schema on first use and records every version once, idempotently", async () => {
    const schema = newSchema();
    const adapter = adapterOn(schema);
    expect(await adapter.schemaVersion()).toBe(0);
    await adapter.transaction(async (t) => t.put("a", "b", { n: 1 }));
    await adapter.migrate();
    await adapterOn(schema).migrate();
    const versions = await withPostgresClient((c) => c.query(`SELECT version FROM "${schema}".migrations ORDER BY 1`));
    expect(versions.rows.map((r) => r.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    expect(await adapter.transaction(async (t) => t.get("a", "b"))).toEqual({ n: 1 });
  });

  it("lets several processes' adapters migrate one fresh schema at the same time", async () => {
    const schema = newSchema();
    const adapters = Array.from({ length: 6 }, () => adapterOn(schema));
    await Promise.all(adapters.map((a) => a.migrate()));
    await Promise.all(adapters.map((a, i) => a.transaction(async (t) => t.put("c", `k${i}`, i))));
    const versions = await withPostgresClient((c) => c.query(`SELECT version FROM "${schema}".migrations ORDER BY 1`));
    expect(versions.rows.map((r) => r.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    expect(await adapters[0]?.transaction(async (t) => (await t.scan("c")).length)).toBe(6);
  });

  it("upgrades a version 1 schema without data loss, to the same shape as a fresh one", async () => {
    const old = newSchema();
    await withPostgresClient((c) => c.query(fixture.replaceAll("{{schema}}", `"${old}"`)));
    const adapter = adapterOn(old);
    expect(await adapter.schemaVersion()).toBe(1);
    await expectV1FixtureData(adapter);
    expect(await adapter.schemaVersion()).toBe(POSTGRES_SCHEMA_VERSION);

    const fresh = newSchema();
    await adapterOn(fresh).migrate();
    expect(await shapeOf(old)).toEqual(await shapeOf(fresh));
  });

  it("refuses a schema written by a newer version of the library", async () => {
    const schema = newSchema();
    await withPostgresClient(async (c) => {
      await c.query(fixture.replaceAll("{{schema}}", `"${schema}"`));
      await c.query(`INSERT INTO "${schema}".migrations (version, name) VALUES (999, 'future')`);
    });
    await expect(adapterOn(schema).transaction(async (t) => t.get("profiles", "p1"))).rejects.toThrow(/version 999/);
  });

  it("rejects a schema name that is not a plain identifier", () => {
    for (const bad of ['x"; DROP TABLE y; --', "Upper", "1abc", "", "a".repeat(64)]) {
      expect(() => postgresAdapter({ connectionString: postgresUrl() }, { schema: bad })).toThrow(/schema name/);
    }
  });
});
