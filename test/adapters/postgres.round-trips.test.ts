/**
 * Round trips of the PostgreSQL adapter: BEGIN goes with the first statement (its parameters
 * inlined), and writes are deferred and sent in one statement with the next deleteMany or
 * appendEvents, or before a read and the commit. Each check counts the queries the driver sends.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineParameters, type PostgresAdapter, postgresAdapter } from "../../src/adapters/postgres/adapter.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl } from "../setup/fresh-postgres.js";

const schema = freshSchemaName("cc_trips");
const pool = new pg.Pool({ connectionString: postgresUrl(), max: 4 });
let adapter: PostgresAdapter;
let sent: string[] = [];

// Record every query the adapter's connections send: its name, or the text of a simple query.
const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
(pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
  const client = await connect();
  const marked = client as pg.PoolClient & { counting?: true };
  if (!marked.counting) {
    marked.counting = true;
    const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
    (client as unknown as { query: typeof query }).query = (config: unknown, values?: unknown) => {
      sent.push(typeof config === "string" ? config : String((config as { name?: string }).name));
      return query(config, values);
    };
  }
  return client;
};

beforeAll(async () => {
  adapter = postgresAdapter({ pool }, { schema });
  await adapter.migrate();
});

afterAll(async () => {
  await adapter.close();
  await pool.end();
  await dropPostgresSchema(schema);
});

async function counted<T>(fn: Parameters<PostgresAdapter["transaction"]>[0]): Promise<{ result: T; sent: string[] }> {
  sent = [];
  const result = (await adapter.transaction(fn)) as T;
  return { result, sent };
}

describe("postgres round trips", () => {
  it("sends BEGIN with the first statement and nothing for an empty transaction", async () => {
    expect((await counted(async () => 1)).sent).toEqual([]);
    const { sent: queries } = await counted(async (t) => {
      await t.lock(["a", "b"]);
      await t.get("docs", "missing");
    });
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatch(/^BEGIN; SELECT pg_advisory_xact_lock/);
    expect(queries[1]).toMatch(/_get$/);
    expect(queries[2]).toBe("COMMIT");
  });

  it("sends a batch's writes with its events in one statement", async () => {
    const { result, sent: queries } = await counted(async (t) => {
      await t.lock(["w"]);
      await t.putMany?.("docs", [
        { key: "w1", value: { n: 1 }, index: { owner: "o" } },
        { key: "w2", value: { n: 2 } },
      ]);
      await t.put("other", "w3", { n: 3 }, { index: { owner: ["o", "p"] } });
      await t.put("docs", "w1", { n: 11 }, { index: { owner: "q" } });
      return t.appendEvents?.([{ type: "t", at: "2026-01-01T00:00:00.000Z", payload: { x: 1 }, names: ["w1"] }]);
    });
    expect(result).toHaveLength(1);
    expect(queries.map((q) => q.replace(/^cc_[0-9a-f]+_/, ""))).toEqual([
      expect.stringMatching(/^BEGIN; /),
      "writeAppendEvents",
      "COMMIT",
    ]);
    const read = await adapter.transaction(async (t) => ({
      docs: await t.getMany("docs", ["w1", "w2"]),
      q: (await t.find("docs", "owner", "q")).map((d) => d.key),
      o: (await t.find("docs", "owner", "o")).map((d) => d.key),
      other: (await t.find("other", "owner", "p")).map((d) => d.key),
    }));
    expect(read).toEqual({
      docs: new Map([
        ["w1", { n: 11 }],
        ["w2", { n: 2 }],
      ]),
      q: ["w1"],
      o: [],
      other: ["w3"],
    });
  });

  it("sends writes without events as one prepared statement before COMMIT", async () => {
    const { sent: alone } = await counted(async (t) => {
      await t.put("solo", "a", { n: 1 }, { index: { i: "x" } });
      await t.put("solo2", "b", { n: 1 });
    });
    expect(alone.map((q) => q.replace(/^cc_[0-9a-f]+_/, ""))).toEqual(["BEGIN", "write", "COMMIT"]);
    const { sent: queries } = await counted(async (t) => {
      await t.lock(["solo"]);
      const a = await t.get<{ n: number }>("solo", "a");
      await t.put("solo", "a", { n: (a?.n ?? 0) + 1 }, { index: { i: "it's" } });
    });
    expect(queries.map((q) => q.replace(/^cc_[0-9a-f]+_/, ""))).toEqual([
      expect.stringMatching(/^BEGIN; SELECT pg_advisory_xact_lock/),
      "get",
      "write",
      "COMMIT",
    ]);
    expect(await adapter.transaction(async (t) => (await t.find("solo", "i", "it's")).map((d) => d.value))).toEqual([
      { n: 2 },
    ]);
  });

  it("counts deferred documents that deleteMany removes, and deletes the stored version too", async () => {
    await adapter.transaction(async (t) => t.put("gone", "stored", { v: 1 }, { index: { i: "x" } }));
    const { result } = await counted(async (t) => {
      await t.put("gone", "stored", { v: 2 }, { index: { i: "y" } });
      await t.put("gone", "fresh", { v: 1 });
      await t.put("kept", "k", { v: 1 });
      return t.deleteMany?.("gone", ["stored", "fresh", "never"]);
    });
    expect(result).toBe(2);
    const after = await adapter.transaction(async (t) => ({
      gone: await t.scan("gone"),
      x: await t.find("gone", "i", "x"),
      y: await t.find("gone", "i", "y"),
      kept: await t.get("kept", "k"),
    }));
    expect(after).toEqual({ gone: [], x: [], y: [], kept: { v: 1 } });
  });

  it("writes in opposite orders do not deadlock: they are sent at the end, in key order", async () => {
    await adapter.transaction(async (t) => {
      await t.put("rows", "x", { by: "seed" });
      await t.put("rows", "y", { by: "seed" });
    });
    const both = await Promise.allSettled([
      adapter.transaction(async (t) => {
        await t.put("rows", "y", { by: "a" });
        await t.put("rows", "x", { by: "a" });
      }),
      adapter.transaction(async (t) => {
        await t.put("rows", "x", { by: "b" });
        await t.put("rows", "y", { by: "b" });
      }),
    ]);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const [x, y] = await adapter.transaction(async (t) => [await t.get("rows", "x"), await t.get("rows", "y")]);
    expect(x).toEqual(y);
  });

  it("a failing deferred write fails the transaction, which leaves nothing", async () => {
    await expect(
      adapter.transaction(
        async (t) => {
          // Deferred, so accepted here; sent at the end, where a read-only transaction refuses it.
          await t.put("fail", "a", { ok: true });
          return "no";
        },
        { readOnly: true },
      ),
    ).rejects.toThrow(/read-only/);
    expect(await adapter.transaction(async (t) => t.get("fail", "a"))).toBeNull();
  });
});

describe("inlineParameters", () => {
  const client = { escapeLiteral: pg.escapeLiteral };

  it("writes strings, integers, NULL and cast arrays as literals", () => {
    expect(
      inlineParameters(client, "SELECT $1, $2, $3, $10 FROM t WHERE k = ANY($4::text[])", [
        "it's",
        7,
        null,
        ["a\\b", "c"],
        5,
        6,
        7,
        8,
        9,
        "ten",
      ]),
    ).toBe(`SELECT 'it''s', 7, NULL, 'ten' FROM t WHERE k = ANY(ARRAY[ E'a\\\\b','c']::text[])`);
    expect(inlineParameters(client, "SELECT $1::text[]", [[]])).toBe("SELECT ARRAY[]::text[]");
  });

  it("refuses what it cannot write safely", () => {
    expect(inlineParameters(client, "SELECT $1", [["no cast"]])).toBeUndefined();
    expect(inlineParameters(client, "SELECT $1", [1.5])).toBeUndefined();
    expect(inlineParameters(client, "SELECT $1", [{ an: "object" }])).toBeUndefined();
    expect(inlineParameters(client, "SELECT $1", ["x".repeat(100_000)])).toBeUndefined();
  });
});
