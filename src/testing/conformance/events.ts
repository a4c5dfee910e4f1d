import { expect, it } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `events` group, for adapters that declare `capabilities.events`: `appendEvent` gives
 * increasing sequence numbers, rolled-back events are gone, and `readEvents` pages through them.
 * The test skips itself when the adapter declares no event log.
 */
export function eventsGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("appends events with increasing sequence numbers and reads them back", async (ctx) => {
    if (!adapter().capabilities.events) ctx.skip();
    await tx(async (t) => {
      await t.appendEvent?.("a.happened", "2026-01-01T00:00:00.000Z", { n: 1 });
      await t.appendEvent?.("b.happened", "2026-01-01T00:00:01.000Z", { n: 2 });
    });
    await expect(
      tx(async (t) => {
        await t.appendEvent?.("rolled.back", "2026-01-01T00:00:02.000Z", null);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    await tx(async (t) => {
      await t.appendEvent?.("c.happened", "2026-01-01T00:00:03.000Z", ["x"]);
    });
    const all = (await adapter().readEvents?.(0, 100)) ?? [];
    expect(all.map((e) => e.type)).toEqual(["a.happened", "b.happened", "c.happened"]);
    const seqs = all.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
    expect(all[0]?.payload).toEqual({ n: 1 });
    const after = (await adapter().readEvents?.(all[0]?.seq ?? 0, 1)) ?? [];
    expect(after.map((e) => e.type)).toEqual(["b.happened"]);
  });
}
