import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `indexes` group: `find` by index in ascending key order with `after`, `limit` and `reverse`;
 * several values and indexes per document; index entries replaced on put and removed on delete.
 */
export function indexesGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("finds by index in ascending key order, with after, limit and reverse", async () => {
    await tx(async (t) => {
      for (const k of ["k3", "k1", "k5", "k2", "k4"]) await t.put("docs", k, { k }, { index: { owner: "p1" } });
      await t.put("docs", "k0", { k: "k0" }, { index: { owner: "p2" } });
    });
    await tx(async (t) => {
      expect((await t.find("docs", "owner", "p1")).map((d) => d.key)).toEqual(["k1", "k2", "k3", "k4", "k5"]);
      expect((await t.find("docs", "owner", "p1", { after: "k2", limit: 2 })).map((d) => d.key)).toEqual(["k3", "k4"]);
      expect((await t.find("docs", "owner", "p1", { reverse: true, limit: 2 })).map((d) => d.key)).toEqual([
        "k5",
        "k4",
      ]);
      expect((await t.find("docs", "owner", "p1", { reverse: true, after: "k3" })).map((d) => d.key)).toEqual([
        "k2",
        "k1",
      ]);
      const [first] = await t.find<{ k: string }>("docs", "owner", "p2");
      expect(first).toEqual({ key: "k0", value: { k: "k0" } });
    });
  });

  it("supports several values per index and several indexes per document", async () => {
    await tx(async (t) => t.put("docs", "d", { v: 1 }, { index: { tag: ["red", "blue"], owner: "p" } }));
    await tx(async (t) => {
      expect((await t.find("docs", "tag", "red")).map((d) => d.key)).toEqual(["d"]);
      expect((await t.find("docs", "tag", "blue")).map((d) => d.key)).toEqual(["d"]);
      expect((await t.find("docs", "owner", "p")).map((d) => d.key)).toEqual(["d"]);
      expect(await t.find("docs", "tag", "green")).toEqual([]);
    });
  });

  it("replaces index entries on put and removes them on delete", async () => {
    await tx(async (t) => t.put("docs", "d", { v: 1 }, { index: { owner: "old" } }));
    await tx(async (t) => t.put("docs", "d", { v: 2 }, { index: { owner: "new" } }));
    await tx(async (t) => {
      expect(await t.find("docs", "owner", "old")).toEqual([]);
      expect(await t.find("docs", "owner", "new")).toEqual([{ key: "d", value: { v: 2 } }]);
    });
    await tx(async (t) => t.put("docs", "d", { v: 3 }));
    expect(await tx(async (t) => t.find("docs", "owner", "new"))).toEqual([]);
    await tx(async (t) => t.put("docs", "e", { v: 1 }, { index: { owner: "x" } }));
    await tx(async (t) => t.delete("docs", "e"));
    expect(await tx(async (t) => t.find("docs", "owner", "x"))).toEqual([]);
  });
}
