import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `concurrency` group: interleaved read-modify-write transactions under `lock` lose no update,
 * a failing transaction does not undo a concurrent one, and locks taken in any order do not
 * deadlock.
 */
export function concurrencyGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("runs interleaved read-modify-write transactions without losing an update", async () => {
    await tx(async (t) => t.put("counters", "c", { n: 0 }));
    const writers = Array.from({ length: 12 }, (_, i) =>
      tx(async (t) => {
        await t.lock(["counter:c"]);
        const current = await t.get<{ n: number }>("counters", "c");
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        await t.put("counters", "c", { n: (current?.n ?? 0) + 1 });
      }),
    );
    await Promise.all(writers);
    expect(await tx(async (t) => t.get("counters", "c"))).toEqual({ n: 12 });
  });

  it("keeps a failing transaction from undoing a concurrent one", async () => {
    const results = await Promise.allSettled([
      tx(async (t) => {
        await t.put("docs", "ok", { n: 1 });
      }),
      tx(async (t) => {
        await t.put("docs", "bad", { n: 1 });
        throw new Error("fail");
      }),
      tx(async (t) => {
        await t.put("docs", "ok2", { n: 2 });
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await tx(async (t) => t.scan("docs"))).map((d) => d.key)).toEqual(["ok", "ok2"]);
  });

  it("locks keys given in any order without deadlocking", async () => {
    await Promise.all([
      tx(async (t) => {
        await t.lock(["a", "b", "c"]);
        await t.put("docs", "1", { n: 1 });
      }),
      tx(async (t) => {
        await t.lock(["c", "b", "a"]);
        await t.put("docs", "2", { n: 2 });
      }),
    ]);
    expect(await tx(async (t) => t.scan("docs"))).toHaveLength(2);
  });
}
