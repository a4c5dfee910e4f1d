import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { WriteBuffer } from "../../src/shell/writeBuffer.js";
import type { IndexEntries, RangeOptions, StoredDocument } from "../../src/storage/port.js";

type Doc = { value: number; index: IndexEntries | undefined };
type Model = Map<string, Map<string, Doc>>;

const collections = ["a", "b"] as const;
const keys = ["k1", "k2", "k3", "x1", "x2"] as const;
const values = ["v1", "v2", "v3"] as const;

const indexArb = fc.option(
  fc.subarray([...values], { minLength: 1 }).map((vs): IndexEntries => ({ by: vs })),
  {
    nil: undefined,
  },
);
const rangeArb = fc.record(
  {
    after: fc.constantFrom(...keys),
    limit: fc.integer({ min: 0, max: 4 }),
    reverse: fc.boolean(),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RangeOptions>;

type Op =
  | { op: "put"; c: string; k: string; v: number; index: IndexEntries | undefined }
  | { op: "delete"; c: string; k: string }
  | { op: "deleteMany"; c: string; ks: string[] }
  | { op: "get"; c: string; k: string }
  | { op: "getMany"; c: string; ks: string[] }
  | { op: "find"; c: string; v: string; range: RangeOptions }
  | { op: "findMany"; c: string; vs: string[] }
  | { op: "scan"; c: string; range: RangeOptions & { prefix?: string } }
  | { op: "mark" }
  | { op: "rollback" };

const c = fc.constantFrom(...collections);
const k = fc.constantFrom(...keys);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("put" as const), c, k, v: fc.integer({ min: 0, max: 99 }), index: indexArb }),
  fc.record({ op: fc.constant("delete" as const), c, k }),
  fc.record({ op: fc.constant("deleteMany" as const), c, ks: fc.array(k, { maxLength: 3 }) }),
  fc.record({ op: fc.constant("get" as const), c, k }),
  fc.record({ op: fc.constant("getMany" as const), c, ks: fc.array(k, { maxLength: 4 }) }),
  fc.record({ op: fc.constant("find" as const), c, v: fc.constantFrom(...values), range: rangeArb }),
  fc.record({ op: fc.constant("findMany" as const), c, vs: fc.array(fc.constantFrom(...values), { maxLength: 3 }) }),
  fc.record({
    op: fc.constant("scan" as const),
    c,
    range: fc.oneof(
      rangeArb,
      fc.constantFrom({ prefix: "k" }, { prefix: "x", reverse: true }, { prefix: "k", limit: 1 }),
    ),
  }),
  fc.constant({ op: "mark" as const }),
  fc.constant({ op: "rollback" as const }),
);

const seedArb = fc.array(fc.record({ c, k, v: fc.integer({ min: 0, max: 99 }), index: indexArb }), { maxLength: 8 });

function copy(model: Model): Model {
  return new Map([...model].map(([name, docs]) => [name, new Map(docs)]));
}

function matches(doc: Doc, vs: readonly string[]): boolean {
  const own = doc.index?.by;
  if (own === undefined) return false;
  return (typeof own === "string" ? [own] : own).some((x) => vs.includes(x));
}

function range(docs: StoredDocument<number>[], r: RangeOptions & { prefix?: string }): StoredDocument<number>[] {
  let list = docs.sort((x, y) => (x.key < y.key ? -1 : 1));
  if (r.prefix !== undefined) list = list.filter((d) => d.key.startsWith(r.prefix as string));
  if (r.reverse) list.reverse();
  if (r.after !== undefined)
    list = list.filter((d) => (r.reverse ? d.key < (r.after as string) : d.key > (r.after as string)));
  return list.slice(0, r.limit ?? Number.POSITIVE_INFINITY);
}

function docsOf(model: Model, name: string, pick: (doc: Doc) => boolean): StoredDocument<number>[] {
  return [...(model.get(name) ?? new Map<string, Doc>())]
    .filter(([, d]) => pick(d))
    .map(([key, d]) => ({ key, value: d.value }));
}

describe("WriteBuffer", () => {
  it("reads like the transaction it buffers, rolls back to marks, and flushes the same state", async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, fc.array(opArb, { maxLength: 30 }), async (seed, ops) => {
        const adapter = memoryAdapter();
        let model: Model = new Map(collections.map((name) => [name, new Map<string, Doc>()]));
        await adapter.transaction(async (tx) => {
          for (const s of seed) {
            await tx.put(s.c, s.k, s.v, s.index ? { index: s.index } : undefined);
            model.get(s.c)?.set(s.k, { value: s.v, index: s.index });
          }
        });
        await adapter.transaction(async (tx) => {
          const buffer = new WriteBuffer(tx);
          const marks: Array<{ mark: ReturnType<WriteBuffer["mark"]>; model: Model }> = [];
          for (const o of ops) {
            const docs = o.op === "mark" || o.op === "rollback" ? undefined : (model.get(o.c) as Map<string, Doc>);
            switch (o.op) {
              case "put":
                await buffer.put(o.c, o.k, o.v, o.index ? { index: o.index } : undefined);
                docs?.set(o.k, { value: o.v, index: o.index });
                break;
              case "delete":
                expect(await buffer.delete(o.c, o.k)).toBe(docs?.has(o.k));
                docs?.delete(o.k);
                break;
              case "deleteMany": {
                const n = [...new Set(o.ks)].filter((key) => docs?.has(key)).length;
                expect(await buffer.deleteMany(o.c, o.ks)).toBe(n);
                for (const key of o.ks) docs?.delete(key);
                break;
              }
              case "get":
                expect(await buffer.get(o.c, o.k)).toEqual(docs?.get(o.k)?.value ?? null);
                break;
              case "getMany": {
                const got = await buffer.getMany<number>(o.c, o.ks);
                const want = new Map(o.ks.filter((key) => docs?.has(key)).map((key) => [key, docs?.get(key)?.value]));
                expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
                break;
              }
              case "find":
                expect(await buffer.find(o.c, "by", o.v, o.range)).toEqual(
                  range(
                    docsOf(model, o.c, (d) => matches(d, [o.v])),
                    o.range,
                  ),
                );
                break;
              case "findMany":
                expect(await buffer.findMany(o.c, "by", o.vs)).toEqual(
                  range(
                    docsOf(model, o.c, (d) => matches(d, o.vs)),
                    {},
                  ),
                );
                break;
              case "scan":
                expect(await buffer.scan(o.c, o.range)).toEqual(
                  range(
                    docsOf(model, o.c, () => true),
                    o.range,
                  ),
                );
                break;
              case "mark":
                marks.push({ mark: buffer.mark(), model: copy(model) });
                break;
              case "rollback": {
                const last = marks.pop();
                if (last) {
                  buffer.rollbackTo(last.mark);
                  model = last.model;
                }
                break;
              }
            }
          }
          await buffer.flush();
        });
        await adapter.transaction(async (tx) => {
          for (const name of collections) {
            expect(await tx.scan(name)).toEqual(
              range(
                docsOf(model, name, () => true),
                {},
              ),
            );
            for (const v of values) {
              expect(await tx.find(name, "by", v)).toEqual(
                range(
                  docsOf(model, name, (d) => matches(d, [v])),
                  {},
                ),
              );
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("writes a batch with one putMany and one deleteMany per collection and one appendEvents", async () => {
    const adapter = memoryAdapter();
    await adapter.transaction(async (tx) => tx.put("a", "gone", 1));
    const calls: string[] = [];
    await adapter.transaction(async (tx) => {
      const counted = new Proxy(tx, {
        get(target, prop, receiver) {
          const member = Reflect.get(target, prop, receiver);
          if (typeof member !== "function") return member;
          return (...args: unknown[]) => {
            calls.push(String(prop));
            return member.apply(target, args);
          };
        },
      });
      const buffer = new WriteBuffer(counted);
      for (let i = 0; i < 100; i++) await buffer.put("a", `k${i}`, i, { index: { by: `v${i % 3}` } });
      for (let i = 0; i < 100; i++) await buffer.put("b", `k${i}`, i);
      await buffer.deleteMany("a", ["gone"]);
      for (let i = 0; i < 10; i++) await buffer.appendEvent("thing.done", "2026-01-01T00:00:00.000Z", { i });
      calls.length = 0;
      await buffer.flush();
    });
    expect(calls.sort()).toEqual(["appendEvents", "deleteMany", "putMany", "putMany"]);
    const events = await adapter.readEvents?.(0, 100);
    expect(events?.map((e) => (e.payload as { i: number }).i)).toEqual([...Array(10).keys()]);
    await adapter.transaction(async (tx) => {
      expect(await tx.get("a", "gone")).toBeNull();
      expect((await tx.find("a", "by", "v1")).length).toBe(33);
    });
  });

  it("refuses undefined and any use after flush", async () => {
    const adapter = memoryAdapter();
    await adapter.transaction(async (tx) => {
      const buffer = new WriteBuffer(tx);
      await expect(buffer.put("a", "k", undefined)).rejects.toThrow(/undefined/);
      await buffer.flush();
      await expect(buffer.get("a", "k")).rejects.toThrow(/flushed/);
    });
  });
});
