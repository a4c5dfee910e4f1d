/**
 * A backend terminated while a transaction holds its connection (between two queries, when pg
 * emits 'error' on the checked-out client) rejects that operation with a typed
 * `storage_failure`, writes nothing, and leaves the process and the next call fine.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { isCustomerContextError } from "../../src/errors.js";
import { createCustomerContext } from "../../src/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl, withPostgresClient } from "../setup/fresh-postgres.js";

// Our own pool with a unique application_name, so that only this file's backends are terminated
// (other test files share the server). A pool you pass in needs your own 'error' listener.
const schema = freshSchemaName("cc_lost");
const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2, application_name: schema });
pool.on("error", () => undefined);
const adapter = postgresAdapter({ pool }, { schema, maxRetries: 0 });
afterAll(async () => {
  await adapter.close();
  await pool.end();
  await dropPostgresSchema(schema);
});

const terminate = (pid: number) => withPostgresClient((c) => c.query("SELECT pg_terminate_backend($1)", [pid]));

describe("postgres: a connection lost inside a transaction", () => {
  it("rejects the transaction, keeps nothing of it, and the next one works", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      await adapter.migrate();
      const failed = await adapter
        .transaction(async (tx) => {
          await tx.put("things", "a", { n: 1 });
          const pid = await tx.get<number>("nothing", "x").then(async () => {
            const rows = await withPostgresClient((c) =>
              c.query<{ pid: number }>(
                "SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction' AND application_name = $1",
                [schema],
              ),
            );
            return rows.rows[0]?.pid;
          });
          expect(pid).toBeDefined();
          await terminate(pid as number);
          // Give the 'error' event time to arrive on the idle-in-transaction client.
          await new Promise((resolve) => setTimeout(resolve, 200));
          await tx.put("things", "b", { n: 2 });
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failed).toBeInstanceOf(Error);
      expect(uncaught).toEqual([]);
      expect(await adapter.transaction(async (tx) => tx.scan("things"))).toEqual([]);
      await adapter.transaction(async (tx) => tx.put("things", "c", { n: 3 }));
      expect((await adapter.transaction(async (tx) => tx.scan("things"))).map((d) => d.key)).toEqual(["c"]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });

  it("through the context: a typed storage_failure, then the next call works", async () => {
    const cc = createCustomerContext({ storage: adapter });
    let first = true;
    const unsubscribe = cc.subscribe(() => undefined);
    const pids = async () =>
      (
        await withPostgresClient((c) =>
          c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [schema]),
        )
      ).rows.map((r) => r.pid);
    // Kill every connection of the pool while identify runs its first statement.
    const killer = (async () => {
      while (first) {
        for (const pid of await pids()) await terminate(pid);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const error = await cc.identify({ identifiers: [{ type: "email", value: "jan@shop.pl" }] }).then(
      () => null,
      (e: unknown) => e,
    );
    first = false;
    await killer;
    if (error !== null) expect(isCustomerContextError(error, "storage_failure")).toBe(true);
    const again = await cc.identify({ identifiers: [{ type: "email", value: "ola@shop.pl" }] });
    expect(again.created).toBe(true);
    unsubscribe();
  });
});
