import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `scan` group: `scan` in UTF-16 code-unit key order, with `prefix`, `after`, `limit` and
 * `reverse`.
 */
export function scanGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("scans in code-unit key order with prefix, after, limit and reverse", async () => {
    // "\uFF5E" sorts after "😀" in UTF-16 code units but before it in code points.
    const keys = ["b", "a", "B", "é", "a/2", "a/1", "c", "a/10", "\uFF5E", "😀", "z\uD800"];
    await tx(async (t) => {
      for (const k of keys) await t.put("docs", k, { k });
    });
    await tx(async (t) => {
      expect((await t.scan("docs")).map((d) => d.key)).toEqual([...keys].sort());
      expect((await t.scan("docs", { prefix: "a/" })).map((d) => d.key)).toEqual(["a/1", "a/10", "a/2"]);
      expect((await t.scan("docs", { after: "a/10", limit: 2 })).map((d) => d.key)).toEqual(["a/2", "b"]);
      expect((await t.scan("docs", { reverse: true, limit: 2 })).map((d) => d.key)).toEqual(["\uFF5E", "😀"]);
      expect((await t.scan("docs", { prefix: "a/", after: "a/1" })).map((d) => d.key)).toEqual(["a/10", "a/2"]);
    });
  });
}
