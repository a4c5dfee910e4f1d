import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  REQUIRED_ADAPTER_MEMBERS,
  REQUIRED_TRANSACTION_METHODS,
  type StorageAdapter,
  type StorageTransaction,
} from "../storage/port.js";
import { batchGroup } from "./conformance/batch.js";
import { forgetGroup } from "./conformance/forget.js";

/** Groups of the conformance suite; pass names in `skip` to leave groups out. */
export type ConformanceGroup =
  | "shape"
  | "documents"
  | "indexes"
  | "scan"
  | "isolation"
  | "batch"
  | "transactions"
  | "concurrency"
  | "events"
  | "forget"
  | "close";

/** Options of {@link runAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Name shown in the test report. */
  name: string;
  /** Returns a new adapter over an empty store. Called before every test. */
  createAdapter: () => StorageAdapter | Promise<StorageAdapter>;
  /** Called after every test with the adapter (after `close()` was called on it). */
  teardown?: (adapter: StorageAdapter) => void | Promise<void>;
  /** Groups to leave out. Groups of capabilities the adapter does not declare are skipped anyway. */
  skip?: ConformanceGroup[];
}

/**
 * Registers vitest suites that check a storage adapter against the port: null on a miss,
 * documents and indexes, ordering, commit and rollback, interleaved transactions, unicode and
 * large values, the batch methods (`findMany`, `putMany`, `deleteMany`, `appendEvents`), the
 * event log and close. Run it from your adapter's own test file.
 *
 * @example
 * ```ts
 * import { runAdapterConformance } from "customer-context/testing";
 * import { myAdapter } from "./my-adapter.js";
 * runAdapterConformance({ name: "my-adapter", createAdapter: () => myAdapter() });
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  const skip = new Set(options.skip ?? []);
  let adapter: StorageAdapter;
  let closed = false;

  const group = (name: ConformanceGroup, body: () => void, enabled = true) =>
    (skip.has(name) || !enabled ? describe.skip : describe)(name, body);
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter.transaction<T>(fn);

  describe(`storage adapter conformance: ${options.name}`, () => {
    beforeEach(async () => {
      adapter = await options.createAdapter();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await adapter.close();
      await options.teardown?.(adapter);
    });

    group("shape", () => {
      it("has every required member and declares its capabilities", async () => {
        for (const member of REQUIRED_ADAPTER_MEMBERS) expect(adapter[member], member).toBeDefined();
        expect(typeof adapter.name).toBe("string");
        expect(adapter.capabilities.transactions).toBe(true);
        for (const flag of ["multiProcess", "events", "durable"] as const) {
          expect(typeof adapter.capabilities[flag], flag).toBe("boolean");
        }
        await tx(async (t) => {
          for (const method of REQUIRED_TRANSACTION_METHODS) expect(typeof t[method], method).toBe("function");
        });
      });
    });

    group("documents", () => {
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
    });

    group("indexes", () => {
      it("finds by index in ascending key order, with after, limit and reverse", async () => {
        await tx(async (t) => {
          for (const k of ["k3", "k1", "k5", "k2", "k4"]) await t.put("docs", k, { k }, { index: { owner: "p1" } });
          await t.put("docs", "k0", { k: "k0" }, { index: { owner: "p2" } });
        });
        await tx(async (t) => {
          expect((await t.find("docs", "owner", "p1")).map((d) => d.key)).toEqual(["k1", "k2", "k3", "k4", "k5"]);
          expect((await t.find("docs", "owner", "p1", { after: "k2", limit: 2 })).map((d) => d.key)).toEqual([
            "k3",
            "k4",
          ]);
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
    });

    group("scan", () => {
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
    });

    group("isolation", () => {
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
    });

    group("transactions", () => {
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
    });

    group("concurrency", () => {
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
    });

    describe("events", () => {
      it.skipIf(skip.has("events"))(
        "appends events with increasing sequence numbers and reads them back",
        async (ctx) => {
          if (!adapter.capabilities.events) ctx.skip();
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
          const all = (await adapter.readEvents?.(0, 100)) ?? [];
          expect(all.map((e) => e.type)).toEqual(["a.happened", "b.happened", "c.happened"]);
          const seqs = all.map((e) => e.seq);
          expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
          expect(new Set(seqs).size).toBe(3);
          expect(all[0]?.payload).toEqual({ n: 1 });
          const after = (await adapter.readEvents?.(all[0]?.seq ?? 0, 1)) ?? [];
          expect(after.map((e) => e.type)).toEqual(["b.happened"]);
        },
      );
    });

    group("transactions", () => {
      it("reads in a read-only transaction and refuses writes there", async () => {
        await tx(async (t) => t.put("docs", "r", { n: 1 }));
        expect(await adapter.transaction(async (t) => t.get("docs", "r"), { readOnly: true })).toEqual({ n: 1 });
        await expect(
          adapter.transaction(async (t) => t.put("docs", "w", { n: 2 }), { readOnly: true }),
        ).rejects.toThrow();
        expect(await tx(async (t) => t.get("docs", "w"))).toBeNull();
      });
    });

    group("batch", () => batchGroup(() => adapter));
    group("forget", () => forgetGroup(() => adapter));

    group("close", () => {
      it("refuses transactions after close", async () => {
        await adapter.close();
        closed = true;
        await expect(adapter.transaction(async () => 1)).rejects.toThrow();
      });
    });
  });
}
