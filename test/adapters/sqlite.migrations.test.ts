import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_SCHEMA_VERSION, sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { expectV1FixtureData } from "./fixture-data.js";

const dir = mkdtempSync(join(tmpdir(), "cc-sqlite-migrations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = readFileSync(new URL("../fixtures/sqlite-v1.sql", import.meta.url), "utf8");
let n = 0;

function schemaOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { type: string; name: string; sql: string | null }[]
    ).map((r) => `${r.type} ${r.name}: ${(r.sql ?? "").replace(/\s+/g, " ")}`);
  } finally {
    db.close();
  }
}

function versionsOf(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT version FROM cc_migrations ORDER BY version").pluck().all() as number[];
  } finally {
    db.close();
  }
}

describe("sqlite migrations", () => {
  it("has more than one version, so upgrades are exercised", () => {
    expect(SQLITE_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("creates the latest schema on first use and records every version once, idempotently", async () => {
    const file = join(dir, `${++n}.db`);
    const adapter = sqliteAdapter({ filename: file });
    expect(await adapter.schemaVersion()).toBe(0);
    await adapter.transaction(async (t) => t.put("a", "b", 1));
    expect(await adapter.schemaVersion()).toBe(SQLITE_SCHEMA_VERSION);
    await adapter.migrate();
    await adapter.migrate();
    await adapter.close();
    const again = sqliteAdapter({ filename: file });
    await again.migrate();
    expect(await again.transaction(async (t) => t.get("a", "b"))).toBe(1);
    await again.close();
    expect(versionsOf(file)).toEqual(Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it("upgrades a version 1 database without data loss, to the same schema as a fresh one", async () => {
    const old = join(dir, `${++n}.db`);
    const seed = new Database(old);
    seed.exec(fixture);
    seed.close();
    const fresh = join(dir, `${++n}.db`);
    const freshAdapter = sqliteAdapter({ filename: fresh });
    await freshAdapter.migrate();
    await freshAdapter.close();

    const adapter = sqliteAdapter({ filename: old });
    expect(await adapter.schemaVersion()).toBe(1);
    await expectV1FixtureData(adapter);
    expect(await adapter.schemaVersion()).toBe(SQLITE_SCHEMA_VERSION);
    await adapter.close();
    expect(schemaOf(old)).toEqual(schemaOf(fresh));
    expect(versionsOf(old)).toEqual(versionsOf(fresh));
  });

  it("refuses a database written by a newer version of the library", async () => {
    const file = join(dir, `${++n}.db`);
    const db = new Database(file);
    db.exec(fixture);
    db.prepare("INSERT INTO cc_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    const adapter = sqliteAdapter({ database: db });
    await expect(adapter.transaction(async (t) => t.get("profiles", "p1"))).rejects.toThrow(/version 999/);
    await adapter.close();
    expect(db.open).toBe(true);
    db.close();
  });

  it("uses WAL for a file it opens and declares durability by storage kind", async () => {
    const file = join(dir, `${++n}.db`);
    const onDisk = sqliteAdapter({ filename: file });
    await onDisk.migrate();
    expect(onDisk.capabilities.durable).toBe(true);
    await onDisk.close();
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    const inMemory = sqliteAdapter({ filename: ":memory:" });
    expect(inMemory.capabilities.durable).toBe(false);
    await inMemory.close();
  });

  it("closes only a database it opened", async () => {
    const mine = new Database(":memory:");
    const adapter = sqliteAdapter({ database: mine });
    await adapter.transaction(async (t) => t.put("x", "y", { z: 1 }));
    await adapter.close();
    expect(mine.open).toBe(true);
    expect(mine.prepare("SELECT value FROM cc_documents").pluck().get()).toBe('{"z":1}');
    mine.close();
  });
});
