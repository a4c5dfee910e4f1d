/**
 * Issue 10: the SQLite adapter's `cacheSizeKiB` sets the connection's page cache (and
 * `busyTimeoutMs` its lock wait; both are refused with a typed error when not whole numbers), and changes
 * nothing else: a transaction larger than the cache (whose pages spill to the file before the
 * commit) still commits whole or, when it throws, rolls back whole.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";

const dir = mkdtempSync(join(tmpdir(), "cc-sqlite-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docs = (prefix: string) =>
  Array.from({ length: 2000 }, (_, i) => ({
    key: `${prefix}-${(i * 7919) % 2000}`,
    value: { i, text: "x".repeat(400) },
    index: { group: `g${i % 10}` },
  }));

describe("sqliteAdapter cacheSizeKiB", () => {
  it("sets cache_size in KiB on the connection", async () => {
    const db = new Database(":memory:");
    const adapter = sqliteAdapter({ database: db }, { cacheSizeKiB: 1234 });
    expect(db.pragma("cache_size", { simple: true })).toBe(-1234);
    await adapter.close();
    db.close();
  });

  it.each([0, -64, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "256" as unknown as number])(
    "refuses cacheSizeKiB %s with invalid_input naming it, and creates no file",
    (cacheSizeKiB) => {
      const file = join(dir, `refused-${String(cacheSizeKiB)}.db`);
      let error: unknown;
      try {
        sqliteAdapter({ filename: file }, { cacheSizeKiB });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: "invalid_input", details: [{ path: ["cacheSizeKiB"] }] });
      expect(existsSync(file)).toBe(false);
    },
  );

  it.each([-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, "100" as unknown as number])(
    "refuses busyTimeoutMs %s with invalid_input naming it, and creates no file",
    (busyTimeoutMs) => {
      const file = join(dir, `busy-${String(busyTimeoutMs)}.db`);
      expect(() => sqliteAdapter({ filename: file }, { busyTimeoutMs })).toThrow(
        expect.objectContaining({
          code: "invalid_input",
          details: [expect.objectContaining({ path: ["busyTimeoutMs"] })],
        }),
      );
      expect(existsSync(file)).toBe(false);
    },
  );

  it("sets busy_timeout on the connection, 0 included", async () => {
    for (const busyTimeoutMs of [0, 250]) {
      const db = new Database(":memory:");
      const adapter = sqliteAdapter({ database: db }, { busyTimeoutMs });
      expect(db.pragma("busy_timeout", { simple: true })).toBe(busyTimeoutMs);
      await adapter.close();
      db.close();
    }
  });

  it("with a cache far smaller than a transaction, commits whole and rolls back whole", async () => {
    const file = join(dir, "small-cache.db");
    const adapter = sqliteAdapter({ filename: file }, { cacheSizeKiB: 64 });
    await adapter.transaction(async (tx) => {
      await tx.putMany?.("notes", docs("kept"));
    });
    await expect(
      adapter.transaction(async (tx) => {
        await tx.putMany?.("notes", docs("lost"));
        await tx.deleteMany?.("notes", ["kept-1", "kept-2"]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await adapter.close();

    const reopened = sqliteAdapter({ filename: file });
    const { all, lost, group } = await reopened.transaction(
      async (tx) => ({
        all: await tx.scan("notes"),
        lost: await tx.scan("notes", { prefix: "lost-" }),
        group: await tx.find("notes", "group", "g3"),
      }),
      { readOnly: true },
    );
    expect(all).toHaveLength(2000);
    expect(lost).toHaveLength(0);
    expect(group).toHaveLength(200);
    expect(group.every((d) => d.key.startsWith("kept-"))).toBe(true);
    await reopened.close();
  });
});
