import { afterEach, describe, expect, it } from "vitest";
import type { PostgresAdapter } from "../../src/adapters/postgres/index.js";
import type { StorageTransaction } from "../../src/storage/port.js";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

const adapters: PostgresAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) {
    await adapter.close();
    await dropPostgresSchema(adapter);
  }
});

function adapterWith(maxRetries: number): PostgresAdapter {
  const adapter = freshPostgresAdapter({ maxRetries, poolSize: 4 });
  adapters.push(adapter);
  return adapter;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Writes the row now: the adapter defers writes until the next statement that needs the server,
 * and a read is one, so the write (and its row lock) happens before `write` returns.
 */
async function write(t: StorageTransaction, key: string, value: unknown): Promise<void> {
  await t.put("rows", key, value);
  await t.get("rows", key);
}

/**
 * Two transactions update rows x and y in opposite orders and wait for each other in between,
 * which is a real deadlock: PostgreSQL aborts one of them with 40P01 after deadlock_timeout.
 */
async function deadlock(adapter: PostgresAdapter): Promise<{ results: PromiseSettledResult<void>[]; runs: number }> {
  await adapter.transaction(async (t) => {
    await t.put("rows", "x", { by: "seed" });
    await t.put("rows", "y", { by: "seed" });
  });
  let runs = 0;
  const aHasX = deferred();
  const bHasY = deferred();
  const results = await Promise.allSettled([
    adapter.transaction(async (t) => {
      runs++;
      await write(t, "x", { by: "a" });
      aHasX.resolve();
      await bHasY.promise;
      await write(t, "y", { by: "a" });
    }),
    adapter.transaction(async (t) => {
      runs++;
      await write(t, "y", { by: "b" });
      bHasY.resolve();
      await aHasX.promise;
      await write(t, "x", { by: "b" });
    }),
  ]);
  return { results, runs };
}

describe("postgres retries", () => {
  it("surfaces the deadlock when retries are off (the scenario really deadlocks)", async () => {
    const { results, runs } = await deadlock(adapterWith(0));
    expect(runs).toBe(2);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "40P01" });
  });

  it("re-runs the deadlock victim so the caller never sees the deadlock", async () => {
    const adapter = adapterWith(3);
    const { results, runs } = await deadlock(adapter);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(runs).toBe(3);
    // The re-run victim committed last and wrote both rows.
    const [x, y] = await adapter.transaction(async (t) => [await t.get("rows", "x"), await t.get("rows", "y")]);
    expect(x).toEqual(y);
  });

  it("retries serialization failures a bounded number of times, and nothing else", async () => {
    const adapter = adapterWith(2);
    const failure = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });
    let runs = 0;
    const flaky = await adapter.transaction(async (t) => {
      runs++;
      await t.put("docs", "attempt", { runs });
      if (runs < 3) throw failure("40001");
      return "ok";
    });
    expect(flaky).toBe("ok");
    expect(runs).toBe(3);
    expect(await adapter.transaction(async (t) => t.get("docs", "attempt"))).toEqual({ runs: 3 });

    runs = 0;
    await expect(
      adapter.transaction(async () => {
        runs++;
        throw failure("40001");
      }),
    ).rejects.toMatchObject({ code: "40001" });
    expect(runs).toBe(3);

    runs = 0;
    await expect(
      adapter.transaction(async () => {
        runs++;
        throw failure("23505");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(runs).toBe(1);
  });
});
