import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `documents` group: null on a miss, JSON documents stored, replaced and deleted, collections
 * kept apart, `getMany`, and unicode keys and large values that round-trip.
 */
export function documentsGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("returns null on a miss and an empty map for missing keys", async () => {
    await tx(async (t) => {
      expect(await t.get("things", "nope")).toBeNull();
      expect((await t.getMany("things", ["a", "b"])).size).toBe(0);
      expect(await t.delete("things", "nope")).toBe(false);
      expect(await t.find("things", "by", "x")).toEqual([]);
      expect(await t.scan("things")).toEqual([]);
    });
  });

  it("stores, replaces and deletes JSON documents", async () => {
    const doc = { a: 1, b: "two", c: [true, false, null], d: { e: 1.5, f: [] as unknown[] }, g: -0.25 };
    await tx(async (t) => t.put("things", "k1", doc));
    expect(await tx(async (t) => t.get("things", "k1"))).toEqual(doc);
    await tx(async (t) => t.put("things", "k1", { replaced: true }));
    expect(await tx(async (t) => t.get("things", "k1"))).toEqual({ replaced: true });
    expect(await tx(async (t) => t.delete("things", "k1"))).toBe(true);
    expect(await tx(async (t) => t.get("things", "k1"))).toBeNull();
  });

  it("keeps collections apart", async () => {
    await tx(async (t) => {
      await t.put("a", "same", { from: "a" });
      await t.put("b", "same", { from: "b" });
    });
    await tx(async (t) => {
      expect(await t.get("a", "same")).toEqual({ from: "a" });
      expect(await t.get("b", "same")).toEqual({ from: "b" });
    });
  });

  it("gets many documents at once", async () => {
    await tx(async (t) => {
      for (const k of ["x", "y", "z"]) await t.put("things", k, { k });
    });
    const found = await tx(async (t) => t.getMany<{ k: string }>("things", ["z", "missing", "x"]));
    expect([...found.keys()].sort()).toEqual(["x", "z"]);
    expect(found.get("z")).toEqual({ k: "z" });
  });

  it("round-trips unicode keys and values and large values", async () => {
    const key = "emoji:😀/ząb/日本語/\u00e9";
    const big = "ü".repeat(1_000_000);
    const value = { text: "Zażółć gęślą jaźń — 回复 — Ответ 😀", big, nested: { "klucz ż": "wartość" } };
    await tx(async (t) => t.put("unicode", key, value, { index: { by: "wartość ż" } }));
    const back = await tx(async (t) => t.get<typeof value>("unicode", key));
    expect(back?.text).toBe(value.text);
    expect(back?.big.length).toBe(1_000_000);
    expect(back?.nested).toEqual(value.nested);
    const found = await tx(async (t) => t.find("unicode", "by", "wartość ż"));
    expect(found.map((d) => d.key)).toEqual([key]);
  });
}
