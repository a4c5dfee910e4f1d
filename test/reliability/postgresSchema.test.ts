/**
 * The PostgreSQL `schema` option: system schemas and (by default) `public` are refused at
 * construction, and a schema whose tables customer-context did not create is refused on first
 * use, with nothing read or written.
 */
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { isCustomerContextError } from "../../src/errors.js";
import { createCustomerContext } from "../../src/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl, withPostgresClient } from "../setup/fresh-postgres.js";

const cleanup: string[] = [];
afterAll(async () => {
  for (const schema of cleanup) await dropPostgresSchema(schema);
});

function newSchema(): string {
  const schema = freshSchemaName("cc_own");
  cleanup.push(schema);
  return schema;
}

function schemaIssue(error: unknown) {
  expect(isCustomerContextError(error, "invalid_input")).toBe(true);
  const details = (error as { details: { path: unknown[]; code: string; message: string }[] }).details;
  expect(details[0]?.path).toEqual(["schema"]);
  expect(details[0]?.code).toBe("invalid_value");
  return details[0];
}

function construct(schema: string, allowPublicSchema?: boolean) {
  return postgresAdapter(
    { connectionString: postgresUrl() },
    { schema, ...(allowPublicSchema === undefined ? {} : { allowPublicSchema }) },
  );
}

describe("postgres schema names", () => {
  it.each([
    "information_schema",
    "pg_catalog",
    "pg_toast",
    "pg_temp",
    "pg_temp_3",
    "pg_toast_temp_1",
    "pg_anything",
    "public",
  ])("refuses %s at construction", (schema) => {
    let caught: unknown;
    try {
      construct(schema);
    } catch (error) {
      caught = error;
    }
    schemaIssue(caught);
  });

  it.each(["", "Crm", "1crm", 'crm"; DROP SCHEMA x; --', "a".repeat(64), "crm-x"])(
    "refuses the malformed name %j",
    (schema) => {
      expect(() => construct(schema)).toThrow(/schema/);
      try {
        construct(schema);
      } catch (error) {
        schemaIssue(error);
      }
    },
  );

  it("accepts public only when allowPublicSchema is set", async () => {
    const adapter = construct("public", true);
    expect(adapter.schema).toBe("public");
    await adapter.close();
    expect(() => construct("public", false)).toThrow(/allowPublicSchema/);
  });
});

describe("postgres schema ownership", () => {
  it("refuses an application's own events table, and leaves it untouched", async () => {
    const schema = newSchema();
    await withPostgresClient(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`CREATE TABLE "${schema}".events (id serial PRIMARY KEY, what text)`);
      await c.query(`INSERT INTO "${schema}".events (what) VALUES ('app row')`);
    });
    const cc = createCustomerContext({ storage: construct(schema) });
    let caught: unknown;
    try {
      await cc.identify({ identifiers: [{ type: "email", value: "jan@shop.pl" }] });
    } catch (error) {
      caught = error;
    }
    expect(schemaIssue(caught)?.message).toMatch(/events/);
    await cc.close();
    const tables = await withPostgresClient((c) =>
      c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema]),
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(["events"]);
    const rows = await withPostgresClient((c) => c.query(`SELECT what FROM "${schema}".events`));
    expect(rows.rows).toEqual([{ what: "app row" }]);
  });

  it("refuses another tool's migrations table", async () => {
    const schema = newSchema();
    await withPostgresClient(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`CREATE TABLE "${schema}".migrations (version integer PRIMARY KEY, name text NOT NULL)`);
      await c.query(`INSERT INTO "${schema}".migrations VALUES (1, 'create users')`);
    });
    const adapter = construct(schema);
    await expect(adapter.migrate()).rejects.toSatisfy((error) => schemaIssue(error) !== undefined);
    await adapter.close();
  });

  it("refuses a marker table it did not write", async () => {
    const schema = newSchema();
    await withPostgresClient(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`CREATE TABLE "${schema}".customer_context_owner (library text)`);
    });
    const adapter = construct(schema);
    await expect(adapter.migrate()).rejects.toSatisfy((error) => schemaIssue(error) !== undefined);
    await adapter.close();
  });

  it("moves into an existing schema that holds only unrelated tables, and leaves them alone", async () => {
    const schema = newSchema();
    await withPostgresClient(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`CREATE TABLE "${schema}".users (id int)`);
    });
    const cc = createCustomerContext({ storage: construct(schema) });
    const { profileId } = await cc.identify({ identifiers: [{ type: "email", value: "jan@shop.pl" }] });
    expect(await cc.profiles.get({ profileId })).not.toBeNull();
    await cc.close();
    // A second adapter recognises the tables as its own.
    const again = createCustomerContext({ storage: construct(schema) });
    expect(await again.profiles.get({ profileId })).not.toBeNull();
    await again.close();
    const owner = await withPostgresClient((c) => c.query(`SELECT library FROM "${schema}".customer_context_owner`));
    expect(owner.rows).toEqual([{ library: "customer-context" }]);
  });
});
