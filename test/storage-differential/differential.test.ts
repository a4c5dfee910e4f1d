/**
 * I6: every adapter gives the same results as the in-memory adapter on the same random workload.
 * Each workload runs on memory, SQLite (`:memory:`) and PostgreSQL (a fresh schema of the test
 * server, on one shared pool, dropped after the run). Every operation's result (or refusal) and
 * the final `context()` of every identifier, `offers.audit()` and `journeys.metrics()` must be equal.
 */
import { testClock } from "customer-context/testing";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { createCustomerContext } from "../../src/context.js";
import type { StorageAdapter } from "../../src/storage/port.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl } from "../setup/fresh-postgres.js";
import { apply, END, type Op, observable, opTime, universe, workload } from "./workload.js";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });
});
afterAll(async () => {
  await pool.end();
});

async function run(storage: StorageAdapter, ops: readonly Op[]) {
  const clock = testClock(opTime(0));
  const cc = createCustomerContext({ storage, identity: { defaultRegion: "PL" }, clock });
  const identifiers = universe(ops);
  try {
    const results: unknown[] = [];
    for (const [i, o] of ops.entries()) {
      clock.set(opTime(i));
      results.push(await apply(cc, o, identifiers));
    }
    clock.set(END);
    return { results, state: await observable(cc, identifiers) };
  } finally {
    await cc.close();
  }
}

describe("differential: memory = SQLite = PostgreSQL", () => {
  it("gives identical results, refusals, contexts, audits and metrics on random workloads", async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (ops) => {
        const memory = await run(memoryAdapter(), ops);
        const sqlite = await run(sqliteAdapter({ filename: ":memory:" }), ops);
        const schema = freshSchemaName("cc_diff");
        let postgres: Awaited<ReturnType<typeof run>>;
        try {
          postgres = await run(postgresAdapter({ pool }, { schema }), ops);
        } finally {
          await dropPostgresSchema(schema);
        }
        expect(sqlite.results).toEqual(memory.results);
        expect(postgres.results).toEqual(memory.results);
        expect(sqlite.state).toEqual(memory.state);
        expect(postgres.state).toEqual(memory.state);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it("the workloads exercise refusals, merges, unmerges, duplicates and violations", async () => {
    // Guards the generator: a differential test over trivial workloads would prove little.
    const seen = new Set<string>();
    const samples = fc.sample(workload, { numRuns: 20, seed: 42 });
    for (const ops of samples) {
      const { results, state } = await run(memoryAdapter(), ops);
      results.forEach((r, i) => {
        const op = ops[i] as Op;
        const kind = op.kind === "item" ? (op.item.kind === "offer" ? "define" : op.item.kind) : op.kind;
        const value = r as Record<string, unknown>;
        if (typeof value.error === "string") seen.add(`${kind}:${value.error}`);
        else if (value.skipped === undefined) seen.add(`${kind}:ok`);
        if (value.duplicate === true) seen.add("record:duplicate");
        if (Array.isArray(value.refused) && value.refused.length > 0) seen.add("identify:refused");
        if (Array.isArray(value.merged) && value.merged.length > 0) seen.add("identify:merged");
      });
      if ((state.audit as unknown[]).length > 0) seen.add("audit:violations");
    }
    for (const expected of [
      "identify:ok",
      "identify:merged",
      "identify:refused",
      "record:ok",
      "record:duplicate",
      "define:ok",
      "present:ok",
      "present:not_found",
      "consent:ok",
      "merge:ok",
      "merge:refused",
      "unmerge:ok",
      "resolve:ok",
      "audit:violations",
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });
});
