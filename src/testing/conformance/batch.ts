import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `batch` group: `findMany`, `putMany`, `deleteMany` and `appendEvents`. Each method is
 * optional in the port (the library falls back to single calls); a method the adapter has must
 * behave exactly like the single calls it replaces. Each test skips itself when the adapter
 * lacks the method it checks.
 */
export function batchGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);
  const has = async (method: "findMany" | "putMany" | "deleteMany" | "appendEvents") =>
    tx(async (t) => typeof t[method] === "function");

  it("putMany writes documents with their index entries, as put one by one would", async (ctx) => {
    if (!(await has("putMany"))) ctx.skip();
    await tx(async (t) => {
      await t.put("docs", "b", { old: true }, { index: { owner: "x" } });
      await t.putMany?.("docs", [
        { key: "a", value: { n: 1 }, index: { owner: "p", tag: ["t1", "t2"] } },
        { key: "b", value: { n: 2 }, index: { owner: "q" } },
        { key: "c", value: { n: 3 } },
        { key: "a", value: { n: 4 }, index: { owner: "p" } },
      ]);
    });
    await tx(async (t) => {
      expect(Object.fromEntries(await t.getMany("docs", ["a", "b", "c"]))).toEqual({
        a: { n: 4 },
        b: { n: 2 },
        c: { n: 3 },
      });
      // A key given twice ends with its last entry: "a" no longer has the tag entries.
      expect(await t.find("docs", "tag", "t1")).toEqual([]);
      expect((await t.find("docs", "owner", "p")).map((d) => d.key)).toEqual(["a"]);
      // The index entries of the replaced "b" are gone.
      expect(await t.find("docs", "owner", "x")).toEqual([]);
      expect((await t.find("docs", "owner", "q")).map((d) => d.key)).toEqual(["b"]);
      await t.putMany?.("docs", []);
    });
  });

  it("findMany returns the documents matching any of the values, each once, in key order", async (ctx) => {
    if (!(await has("findMany"))) ctx.skip();
    await tx(async (t) => {
      await t.put("docs", "k3", { n: 3 }, { index: { ident: ["a", "b"] } });
      await t.put("docs", "k1", { n: 1 }, { index: { ident: "b" } });
      await t.put("docs", "k2", { n: 2 }, { index: { ident: "c", other: "a" } });
      await t.put("other", "k0", { n: 0 }, { index: { ident: "a" } });
    });
    await tx(async (t) => {
      const found = (await t.findMany?.("docs", "ident", ["a", "b", "zzz", "a"])) ?? [];
      expect(found).toEqual([
        { key: "k1", value: { n: 1 } },
        { key: "k3", value: { n: 3 } },
      ]);
      expect(await t.findMany?.("docs", "ident", [])).toEqual([]);
      expect(await t.findMany?.("missing", "ident", ["a"])).toEqual([]);
      // Sees the transaction's own writes and deletes.
      await t.put("docs", "k4", { n: 4 }, { index: { ident: "c" } });
      await t.delete("docs", "k2");
      expect(((await t.findMany?.("docs", "ident", ["c"])) ?? []).map((d) => d.key)).toEqual(["k4"]);
    });
  });

  it("deleteMany removes documents and their index entries and counts those that existed", async (ctx) => {
    if (!(await has("deleteMany"))) ctx.skip();
    await tx(async (t) => {
      await t.put("docs", "a", { n: 1 }, { index: { o: "p" } });
      await t.put("docs", "b", { n: 2 }, { index: { o: "p" } });
      await t.put("docs", "c", { n: 3 }, { index: { o: "p" } });
    });
    expect(await tx(async (t) => t.deleteMany?.("docs", ["a", "b", "missing", "a"]))).toBe(2);
    await tx(async (t) => {
      expect((await t.scan("docs")).map((d) => d.key)).toEqual(["c"]);
      expect((await t.find("docs", "o", "p")).map((d) => d.key)).toEqual(["c"]);
      expect(await t.deleteMany?.("docs", [])).toBe(0);
    });
  });

  it("rolls back every batch write when the transaction fails", async (ctx) => {
    if (!(await has("putMany"))) ctx.skip();
    await tx(async (t) => t.put("docs", "keep", { n: 1 }, { index: { o: "p" } }));
    await expect(
      tx(async (t) => {
        await t.putMany?.("docs", [
          { key: "x", value: { n: 2 }, index: { o: "p" } },
          { key: "keep", value: { n: 9 } },
        ]);
        await t.deleteMany?.("docs", ["keep"]);
        await t.appendEvents?.([{ type: "gone", at: "2026-01-01T00:00:00.000Z", payload: null }]);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    await tx(async (t) => {
      expect((await t.scan("docs")).map((d) => [d.key, d.value])).toEqual([["keep", { n: 1 }]]);
      expect((await t.find("docs", "o", "p")).map((d) => d.key)).toEqual(["keep"]);
    });
    expect((await adapter().readEvents?.(0, 10)) ?? []).toEqual([]);
  });

  it("is not changed by mutating what putMany was given or what findMany returned", async (ctx) => {
    if (!(await has("putMany")) || !(await has("findMany"))) ctx.skip();
    const value = { list: [1, 2], inner: { x: 1 } };
    const index = { o: ["p"] };
    await tx(async (t) => t.putMany?.("docs", [{ key: "v", value, index }]));
    value.list.push(3);
    value.inner.x = 99;
    index.o.push("q");
    const [read] = (await tx(async (t) => t.findMany?.<typeof value>("docs", "o", ["p"]))) ?? [];
    try {
      read?.value.list.push(4);
      if (read) read.value.inner.x = 42;
    } catch {
      // Frozen values are a fine way to refuse mutation.
    }
    await tx(async (t) => {
      expect(await t.get("docs", "v")).toEqual({ list: [1, 2], inner: { x: 1 } });
      expect(await t.find("docs", "o", "q")).toEqual([]);
    });
  });

  it("appendEvents appends in array order with increasing sequence numbers", async (ctx) => {
    if (!adapter().capabilities.events || !(await has("appendEvents"))) ctx.skip();
    const seqs = await tx(async (t) => {
      await t.appendEvent?.("first", "2026-01-01T00:00:00.000Z", 1);
      return (
        (await t.appendEvents?.([
          { type: "a", at: "2026-01-01T00:00:01.000Z", payload: { n: 1 } },
          { type: "b", at: "2026-01-01T00:00:02.000Z", payload: ["x"] },
          { type: "c", at: "2026-01-01T00:00:03.000Z", payload: null },
        ])) ?? []
      );
    });
    expect(seqs).toHaveLength(3);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    const all = (await adapter().readEvents?.(0, 100)) ?? [];
    expect(all.map((e) => e.type)).toEqual(["first", "a", "b", "c"]);
    expect(all.slice(1).map((e) => e.seq)).toEqual(seqs);
    expect(all[2]?.payload).toEqual(["x"]);
    expect(await tx(async (t) => t.appendEvents?.([]))).toEqual([]);
  });
}
