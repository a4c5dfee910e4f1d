import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `transactions` group: a transaction sees its own writes, returns its function's value and
 * commits, rolls back every write when the function throws or rejects, and refuses writes when
 * read-only.
 */
export function transactionsGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("sees its own writes, including in find and scan", async () => {
    await tx(async (t) => {
      await t.put("docs", "a", { n: 1 }, { index: { o: "p" } });
      expect(await t.get("docs", "a")).toEqual({ n: 1 });
      expect((await t.find("docs", "o", "p")).map((d) => d.key)).toEqual(["a"]);
      expect((await t.scan("docs")).map((d) => d.key)).toEqual(["a"]);
      await t.delete("docs", "a");
      expect(await t.get("docs", "a")).toBeNull();
      expect(await t.find("docs", "o", "p")).toEqual([]);
    });
  });

  it("returns the value of the function and commits", async () => {
    const result = await tx(async (t) => {
      await t.put("docs", "a", { n: 1 });
      return "done";
    });
    expect(result).toBe("done");
    expect(await tx(async (t) => t.get("docs", "a"))).toEqual({ n: 1 });
  });

  it("rolls back every write when the function throws halfway, and rethrows the same error", async () => {
    await tx(async (t) => {
      for (let i = 0; i < 20; i++) await t.put("docs", `k${i}`, { i }, { index: { o: "before" } });
    });
    const boom = new Error("boom");
    await expect(
      tx(async (t) => {
        for (let i = 0; i < 50; i++) await t.put("docs", `k${i}`, { i, changed: true }, { index: { o: "after" } });
        await t.delete("docs", "k3");
        await t.put("other", "new", { created: true });
        throw boom;
      }),
    ).rejects.toBe(boom);
    await tx(async (t) => {
      const all = await t.scan<{ i: number; changed?: boolean }>("docs");
      expect(all).toHaveLength(20);
      expect(all.every((d) => d.value.changed === undefined)).toBe(true);
      expect(await t.get("docs", "k3")).toEqual({ i: 3 });
      expect(await t.get("other", "new")).toBeNull();
      expect(await t.find("docs", "o", "after")).toEqual([]);
      expect(await t.find("docs", "o", "before")).toHaveLength(20);
    });
  });

  it("rolls back a rejected promise that is not an Error", async () => {
    await expect(
      tx(async (t) => {
        await t.put("docs", "x", { n: 1 });
        return Promise.reject("plain");
      }),
    ).rejects.toBe("plain");
    expect(await tx(async (t) => t.get("docs", "x"))).toBeNull();
  });

  it("reads in a read-only transaction and refuses writes there", async () => {
    await tx(async (t) => t.put("docs", "r", { n: 1 }));
    expect(await adapter().transaction(async (t) => t.get("docs", "r"), { readOnly: true })).toEqual({ n: 1 });
    await expect(
      adapter().transaction(async (t) => t.put("docs", "w", { n: 2 }), { readOnly: true }),
    ).rejects.toThrow();
    expect(await tx(async (t) => t.get("docs", "w"))).toBeNull();
  });
}
