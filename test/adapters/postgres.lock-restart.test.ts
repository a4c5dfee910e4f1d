/**
 * lock() across several calls: a transaction that already holds locks never waits for another
 * (that is how two-step lockers deadlock); it restarts and takes everything it needed at once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

const adapter = freshPostgresAdapter({ maxRetries: 0, poolSize: 4 });
afterAll(async () => {
  await adapter.close();
  await dropPostgresSchema(adapter);
});

function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("postgres lock() in several steps", () => {
  it("two transactions locking a then b and b then a both commit, without a deadlock error", async () => {
    await adapter.migrate();
    const aHeld = gate();
    const bHeld = gate();
    const runs = { first: 0, second: 0 };
    const step = async (
      name: "first" | "second",
      mine: string,
      other: string,
      held: ReturnType<typeof gate>,
      wait: ReturnType<typeof gate>,
    ) =>
      adapter.transaction(async (t) => {
        runs[name]++;
        await t.lock([mine]);
        held.open();
        await wait.opened;
        await t.lock([other]);
        const n = (await t.get<{ n: number }>("counters", "c"))?.n ?? 0;
        await t.put("counters", "c", { n: n + 1 });
      });
    // maxRetries 0: a 40P01 deadlock would reach the caller.
    await Promise.all([step("first", "a", "b", aHeld, bHeld), step("second", "b", "a", bHeld, aHeld)]);
    expect(await adapter.transaction(async (t) => t.get("counters", "c"))).toEqual({ n: 2 });
    // At least one of them found its second lock taken and re-ran (both may, when they try at the
    // same moment). With maxRetries 0 a deadlock (40P01) would have reached the caller.
    expect(runs.first + runs.second).toBeGreaterThanOrEqual(3);
    expect(runs.first + runs.second).toBeLessThanOrEqual(4);
  });

  it("a function that swallows the restart still does not commit without its lock", async () => {
    const holder = gate();
    const release = gate();
    let runs = 0;
    const holding = adapter.transaction(async (t) => {
      await t.lock(["y"]);
      holder.open();
      await release.opened;
    });
    await holder.opened;
    const swallowing = adapter.transaction(async (t) => {
      runs++;
      await t.lock(["x"]);
      try {
        await t.lock(["y"]);
      } catch {
        release.open();
      }
      await t.put("docs", "swallowed", { runs });
    });
    await Promise.all([holding, swallowing]);
    expect(runs).toBe(2);
    expect(await adapter.transaction(async (t) => t.get("docs", "swallowed"))).toEqual({ runs: 2 });
  });
});
