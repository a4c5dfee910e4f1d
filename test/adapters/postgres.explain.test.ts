import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresAdapter, postgresAdapter } from "../../src/adapters/postgres/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl, withPostgresClient } from "../setup/fresh-postgres.js";

/**
 * Index rows loaded before checking plans. 200k + ANALYZE keeps the unit suite fast (loading 1M
 * takes ~25 s on a shared 2-core machine); `CC_EXPLAIN_ROWS=1000000` runs the full-size check.
 */
const ROWS = Number(process.env.CC_EXPLAIN_ROWS ?? 200_000);

interface Recorded {
  name: string;
  text: string;
  values: unknown[];
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const schema = freshSchemaName("cc_explain");
const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });
let adapter: PostgresAdapter;
let recorded: Recorded[] = [];

// Record the SQL the adapter really sends, to EXPLAIN exactly that.
const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
(pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
  const client = await connect();
  const marked = client as pg.PoolClient & { recording?: true };
  if (!marked.recording) {
    marked.recording = true;
    const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
    (client as unknown as { query: typeof query }).query = (config: unknown, values?: unknown) => {
      if (typeof config === "object" && config !== null && "name" in config) {
        const { name, text, values: v } = config as unknown as { name: string; text: string; values: unknown[] };
        recorded.push({ name, text, values: v });
      }
      return query(config, values);
    };
  }
  return client;
};

/** A SQL literal of a parameter value (EXECUTE takes no bind parameters). */
function literal(c: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    return c.escapeLiteral(`{${value.map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
  }
  return c.escapeLiteral(String(value));
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan of the last statement the adapter sent, as a custom plan and as a generic plan. */
async function plansOfLast(shape?: string): Promise<{ custom: PlanNode[]; generic: PlanNode[]; text: string }> {
  const last = shape === undefined ? recorded.at(-1) : recorded.findLast((r) => r.name.endsWith(`_${shape}`));
  if (!last) throw new Error("nothing recorded");
  return withPostgresClient(async (c) => {
    await c.query("BEGIN");
    try {
      const custom = await c.query(`EXPLAIN (FORMAT JSON) ${last.text}`, last.values);
      await c.query(`PREPARE checked AS ${last.text}`);
      await c.query("SET LOCAL plan_cache_mode = force_generic_plan");
      const literals = last.values.map((v) => literal(c, v)).join(", ");
      const generic = await c.query(`EXPLAIN (FORMAT JSON) EXECUTE checked(${literals})`);
      const top = (r: pg.QueryResult) => nodes((r.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode);
      return { custom: top(custom), generic: top(generic), text: last.text };
    } finally {
      await c.query("ROLLBACK");
    }
  });
}

function expectIndexOnly(plan: PlanNode[], indexes: string[]): void {
  const types = plan.map((n) => n["Node Type"]);
  expect(types, JSON.stringify(plan.map((n) => [n["Node Type"], n["Index Name"] ?? n["Relation Name"]]))).not.toContain(
    "Seq Scan",
  );
  const used = plan.filter((n) => /Index/.test(n["Node Type"])).map((n) => n["Index Name"]);
  for (const index of indexes) expect(used).toContain(index);
}

async function check(
  run: (t: Parameters<Parameters<PostgresAdapter["transaction"]>[0]>[0]) => Promise<unknown>,
  indexes: string[],
  shape?: string,
) {
  recorded = [];
  await adapter.transaction(async (t) => {
    // The first statement of a transaction travels with BEGIN as a simple query, its parameters
    // inlined; a read first makes the statement under test a prepared one, as it is mid-transaction.
    await t.get("profiles", "p0");
    await run(t);
  });
  const { custom, generic } = await plansOfLast(shape);
  expectIndexOnly(custom, indexes);
  expectIndexOnly(generic, indexes);
}

describe(`postgres query plans on ${ROWS.toLocaleString("en")} index rows`, () => {
  beforeAll(async () => {
    adapter = postgresAdapter({ pool }, { schema });
    await adapter.migrate();
    const started = Date.now();
    await withPostgresClient(async (c) => {
      const s = `"${schema}"`;
      // One document per identifier, three identifiers per profile, in a second collection a
      // smaller one; index entries identifier -> profile, as identity resolution stores them.
      await c.query(
        `INSERT INTO ${s}.documents (collection, key, value)
         SELECT 'identifiers', 'email:' || lpad(i::text, 8, '0') || '@x.pl', '{"profileId":"p' || (i / 3) || '"}'
         FROM generate_series(1, $1) AS i`,
        [ROWS],
      );
      await c.query(
        `INSERT INTO ${s}.index_entries (collection, name, value, key)
         SELECT 'identifiers', 'profile', 'p' || (i / 3), 'email:' || lpad(i::text, 8, '0') || '@x.pl'
         FROM generate_series(1, $1) AS i`,
        [ROWS],
      );
      await c.query(
        `INSERT INTO ${s}.documents (collection, key, value)
         SELECT 'profiles', 'p' || i, '{}' FROM generate_series(0, $1 / 3) AS i`,
        [ROWS],
      );
      await c.query(`ANALYZE ${s}.documents, ${s}.index_entries`);
    });
    console.log(`[explain] loaded ${ROWS} index rows in ${Date.now() - started} ms`);
  }, 120_000);

  afterAll(async () => {
    await adapter.close();
    await pool.end();
    await dropPostgresSchema(schema);
  });

  const mid = `email:${String(Math.floor(ROWS / 2)).padStart(8, "0")}@x.pl`;

  it("get uses the primary key", async () => {
    await check((t) => t.get("identifiers", mid), ["documents_pkey"]);
  });

  it("getMany uses the primary key, in one query", async () => {
    await check((t) => t.getMany("identifiers", [mid, "email:00000007@x.pl", "missing"]), ["documents_pkey"]);
  });

  it("find uses the index entries' primary key and joins documents by key", async () => {
    await check((t) => t.find("identifiers", "profile", "p4242"), ["index_entries_pkey", "documents_pkey"]);
    await check(
      (t) => t.find("identifiers", "profile", "p4242", { after: "email:00012726@x.pl", limit: 1, reverse: true }),
      ["index_entries_pkey", "documents_pkey"],
    );
  });

  it("scan with a prefix, after and limit uses the primary key", async () => {
    await check(
      (t) => t.scan("identifiers", { prefix: "email:0001", after: "email:00012", limit: 10 }),
      ["documents_pkey"],
    );
    await check((t) => t.scan("profiles", { limit: 5, reverse: true }), ["documents_pkey"]);
  });

  it("put and delete find the old index entries through the by-document index", async () => {
    // Writes are deferred: the put reaches the server at the commit, as the prepared write statement.
    await check(
      (t) => t.put("identifiers", mid, { profileId: "p1" }, { index: { profile: "p1" } }),
      ["index_entries_by_document"],
      "write",
    );
    await check((t) => t.delete("identifiers", mid), ["index_entries_by_document", "documents_pkey"]);
  });
});
