import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `isolation` group: mutating a value after `put`, or a value that was read, changes nothing
 * stored.
 */
export function isolationGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("is not changed by mutating the value that was put or the value that was read", async () => {
    const value = { list: [1, 2], inner: { x: 1 } };
    await tx(async (t) => t.put("docs", "v", value));
    value.list.push(3);
    value.inner.x = 99;
    const read = await tx(async (t) => t.get<typeof value>("docs", "v"));
    try {
      read?.list.push(4);
      if (read) read.inner.x = 42;
    } catch {
      // Frozen values are a fine way to refuse mutation.
    }
    expect(await tx(async (t) => t.get("docs", "v"))).toEqual({ list: [1, 2], inner: { x: 1 } });
  });
}
