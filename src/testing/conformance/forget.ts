import { expect, type TestContext, it as vitestIt } from "vitest";
import type { StorageAdapter, StorageTransaction } from "../../storage/port.js";

/**
 * The `forget` group: events are indexed by the ids they name, and `deleteEventsNaming` erases
 * them in bulk, atomically with the rest of the transaction. Runs for adapters with the `events`
 * capability, which must have `deleteEventsNaming`.
 */
export function forgetGroup(adapter: () => StorageAdapter): void {
  // Without an event log there is nothing to erase here: every test skips itself.
  const it = (name: string, body: () => Promise<void>) =>
    vitestIt(name, async (ctx: TestContext) => {
      if (!adapter().capabilities.events) ctx.skip();
      await body();
    });
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);
  const all = async () => ((await adapter().readEvents?.(0, 1000)) ?? []).map((e) => e.type);
  const append = (t: StorageTransaction, type: string, names?: string[]) =>
    t.appendEvents
      ? t.appendEvents([
          names
            ? { type, at: "2026-01-01T00:00:00.000Z", payload: { type }, names }
            : { type, at: "2026-01-01T00:00:00.000Z", payload: { type } },
        ])
      : t.appendEvent?.(type, "2026-01-01T00:00:00.000Z", { type }, names);

  it("has deleteEventsNaming, since erasure cannot be emulated", async () => {
    await tx(async (t) => expect(typeof t.deleteEventsNaming).toBe("function"));
  });

  it("deletes exactly the events naming any of the given ids, whatever the other names", async () => {
    await tx(async (t) => {
      await append(t, "a", ["p1"]);
      await append(t, "b", ["p2", "c9"]);
      await append(t, "c", ["p3"]);
      await append(t, "d");
      await append(t, "e", ["p1", "p3"]);
      await append(t, "f", ["c9"]);
    });
    expect(await tx(async (t) => t.deleteEventsNaming?.(["p1", "c9", "nobody"]))).toBe(4);
    expect(await all()).toEqual(["c", "d"]);
    expect(await tx(async (t) => t.deleteEventsNaming?.(["p1"]))).toBe(0);
    expect(await tx(async (t) => t.deleteEventsNaming?.([]))).toBe(0);
    expect(await all()).toEqual(["c", "d"]);
  });

  it("also erases events appended earlier in the same transaction, and keeps sequence numbers increasing", async () => {
    await tx(async (t) => {
      await append(t, "old", ["x"]);
    });
    await tx(async (t) => {
      await append(t, "new", ["x"]);
      await append(t, "kept", ["y"]);
      // "old", committed before, and "new", appended by this very transaction.
      expect(await t.deleteEventsNaming?.(["x"])).toBe(2);
      await append(t, "later", ["y"]);
    });
    const events = (await adapter().readEvents?.(0, 10)) ?? [];
    expect(events.map((e) => e.type)).toEqual(["kept", "later"]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(2);
    // readEvents pages over the holes erasure leaves.
    const first = (await adapter().readEvents?.(0, 1)) ?? [];
    expect(first.map((e) => e.type)).toEqual(["kept"]);
    const next = (await adapter().readEvents?.(first[0]?.seq ?? 0, 1)) ?? [];
    expect(next.map((e) => e.type)).toEqual(["later"]);
  });

  it("rolls the deletion back with the transaction", async () => {
    await tx(async (t) => {
      await append(t, "a", ["p1"]);
      await append(t, "b", ["p2"]);
    });
    await expect(
      tx(async (t) => {
        await t.deleteEventsNaming?.(["p1", "p2"]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await all()).toEqual(["a", "b"]);
    // Their index entries came back too.
    expect(await tx(async (t) => t.deleteEventsNaming?.(["p2"]))).toBe(1);
    expect(await all()).toEqual(["a"]);
  });

  it("matches names exactly, including unicode and look-alike prefixes", async () => {
    await tx(async (t) => {
      await append(t, "a", ["prof_1"]);
      await append(t, "b", ["prof_10"]);
      await append(t, "c", ["ż😀\uE000"]);
    });
    expect(await tx(async (t) => t.deleteEventsNaming?.(["prof_1", "ż😀\uE000"]))).toBe(2);
    expect(await all()).toEqual(["b"]);
  });
}
