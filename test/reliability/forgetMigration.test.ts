/**
 * Schema version 3 indexes events by the ids they name. Events written before it are indexed on
 * upgrade by every string in their payload, so that `forget` erases them too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { dropPostgresSchema, freshPostgresAdapter, postgresUrl } from "../setup/fresh-postgres.js";

const dir = mkdtempSync(join(tmpdir(), "cc-forget-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = [
  {
    type: "profile.merged",
    at: "2026-01-01T00:00:00.000Z",
    payload: { profileId: "prof_a", absorbed: ["prof_old"], reason: "x" },
  },
  { type: "profile.created", at: "2026-01-01T00:00:00.000Z", payload: { profileId: "prof_b" } },
];

describe("events written before schema version 3", () => {
  it("SQLite: are indexed by the strings of their payload on upgrade, and erased by forget", async () => {
    const file = join(dir, "v2.db");
    const adapter = sqliteAdapter({ filename: file });
    await adapter.transaction(async (tx) => {
      for (const e of events) await tx.appendEvent?.(e.type, e.at, e.payload);
    });
    await adapter.close();
    // Back to version 2: no event index.
    const db = new Database(file);
    db.exec("DROP TABLE cc_event_names; DELETE FROM cc_migrations WHERE version = 3;");
    db.close();
    const upgraded = sqliteAdapter({ filename: file });
    expect(await upgraded.schemaVersion()).toBe(2);
    await upgraded.migrate();
    expect(await upgraded.schemaVersion()).toBe(3);
    expect(await upgraded.transaction(async (tx) => tx.deleteEventsNaming?.(["prof_old"]))).toBe(1);
    expect((await upgraded.readEvents(0, 10)).map((e) => e.type)).toEqual(["profile.created"]);
    await upgraded.close();
  });

  it("PostgreSQL: are indexed by the strings of their payload on upgrade, and erased by forget", async () => {
    const adapter = await freshPostgresAdapter();
    try {
      await adapter.transaction(async (tx) => {
        for (const e of events) await tx.appendEvent?.(e.type, e.at, e.payload);
      });
      await adapter.close();
      const client = new pg.Client({ connectionString: postgresUrl() });
      await client.connect();
      const s = `"${adapter.schema}"`;
      await client.query(
        `DROP INDEX ${s}.events_by_name; ALTER TABLE ${s}.events DROP COLUMN names; DELETE FROM ${s}.migrations WHERE version = 3;`,
      );
      await client.end();
      const upgraded = postgresAdapter({ connectionString: postgresUrl() }, { schema: adapter.schema });
      expect(await upgraded.schemaVersion()).toBe(2);
      await upgraded.migrate();
      expect(await upgraded.schemaVersion()).toBe(3);
      expect(await upgraded.transaction(async (tx) => tx.deleteEventsNaming?.(["prof_old"]))).toBe(1);
      expect((await upgraded.readEvents(0, 10)).map((e) => e.type)).toEqual(["profile.created"]);
      await upgraded.close();
    } finally {
      await dropPostgresSchema(adapter);
    }
  });
});
