/**
 * The memory adapter's indexes and event names against a naive model: after any sequence of
 * puts, deletes and rolled-back transactions, `find`, `findMany` and `deleteEventsNaming` answer
 * what a scan of every document would. Its buckets are sorted arrays kept by insertion and
 * removal, a single key or seq stored bare, and a sorted array with the keys added since the last
 * read beside it once a value names more than 256 documents, so this checks every switch between
 * the forms.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/index.js";
import type { IndexEntries } from "../../src/storage/port.js";

const KEYS = ["a", "b", "c", "d", "e", "f"];
const VALUES = ["x", "y", "z"];
const NAMES = ["n1", "n2", "n3", "n4"];

type Op =
  | { op: "put"; key: string; entries: Record<string, string | string[]> | undefined }
  | { op: "delete"; key: string }
  | { op: "event"; names: string[] }
  | { op: "forget"; names: string[] };

const entries = fc.option(
  fc.dictionary(
    fc.constantFrom("by", "other", "constructor", "__proto__"),
    fc.oneof(fc.constantFrom(...VALUES), fc.array(fc.constantFrom(...VALUES), { maxLength: 4 })),
    { maxKeys: 3 },
  ),
  { nil: undefined },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("put" as const), key: fc.constantFrom(...KEYS), entries }),
  fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant("event" as const), names: fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }) }),
  fc.record({
    op: fc.constant("forget" as const),
    names: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 }),
  }),
);
const transaction = fc.record({ ops: fc.array(op, { maxLength: 6 }), commit: fc.boolean() });

/** What the model holds: each document's index values per name, and each live event's names. */
interface Model {
  docs: Map<string, Map<string, Set<string>>>;
  events: Map<number, Set<string>>;
}

function valuesOf(e: IndexEntries | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [name, v] of Object.entries(e ?? {})) {
    const set = new Set(typeof v === "string" ? [v] : v);
    if (set.size > 0) out.set(name, set);
  }
  return out;
}

function copyModel(m: Model): Model {
  return { docs: new Map(m.docs), events: new Map(m.events) };
}

describe("memory adapter indexes (model-based)", () => {
  it("find, findMany and deleteEventsNaming answer what the model does after any committed and rolled-back writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 8 }), async (txs) => {
        const adapter = memoryAdapter();
        let model: Model = { docs: new Map(), events: new Map() };
        let seq = 0;
        for (const { ops, commit } of txs) {
          const next = copyModel(model);
          const nextSeq = seq;
          const run = adapter.transaction(async (tx) => {
            let s = nextSeq;
            for (const o of ops) {
              if (o.op === "put") {
                // Index entries built as a caller would: a plain object, which may name "__proto__".
                const index =
                  o.entries === undefined ? undefined : (JSON.parse(JSON.stringify(o.entries)) as IndexEntries);
                await tx.put("docs", o.key, { k: o.key }, index ? { index } : undefined);
                next.docs.set(o.key, valuesOf(index));
              } else if (o.op === "delete") {
                await tx.delete("docs", o.key);
                next.docs.delete(o.key);
              } else if (o.op === "event") {
                s = (await tx.appendEvent?.("e", "2026-01-01T00:00:00.000Z", { s: s + 1 }, o.names)) as number;
                next.events.set(s, new Set(o.names));
              } else {
                const expected = [...next.events].filter(([, names]) => o.names.some((n) => names.has(n)));
                expect(await tx.deleteEventsNaming?.(o.names)).toBe(expected.length);
                for (const [k] of expected) next.events.delete(k);
              }
            }
            if (!commit) throw new Error("roll back");
            return s;
          });
          if (commit) {
            seq = await run;
            model = next;
          } else {
            await expect(run).rejects.toThrow("roll back");
            seq = nextSeq;
          }
        }
        await adapter.transaction(async (tx) => {
          for (const name of ["by", "other", "constructor", "__proto__"]) {
            for (const value of VALUES) {
              const want = [...model.docs]
                .filter(([, idx]) => idx.get(name)?.has(value))
                .map(([k]) => k)
                .sort();
              expect((await tx.find("docs", name, value)).map((d) => d.key)).toEqual(want);
              expect((await tx.find("docs", name, value, { reverse: true })).map((d) => d.key)).toEqual(
                [...want].reverse(),
              );
            }
            const many = [...model.docs]
              .filter(([, idx]) => ["x", "z"].some((v) => idx.get(name)?.has(v)))
              .map(([k]) => k)
              .sort();
            expect(((await tx.findMany?.("docs", name, ["x", "z"])) ?? []).map((d) => d.key)).toEqual(many);
          }
        });
        const live = (await adapter.readEvents?.(0, 1000)) ?? [];
        expect(live.map((e) => e.seq)).toEqual([...model.events.keys()].sort((a, b) => a - b));
        await adapter.transaction(async (tx) => {
          for (const name of NAMES) {
            const want = [...model.events].filter(([, names]) => names.has(name)).length;
            expect(await tx.deleteEventsNaming?.([name])).toBe(want);
            for (const [k, names] of [...model.events]) if (names.has(name)) model.events.delete(k);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it("a value that names hundreds of documents answers in key order, between writes, reads and rollbacks", async () => {
    // Keys in random order, so most are added inside the array, not after it.
    const key = fc.integer({ min: 0, max: 699 }).map((n) => `k${String((n * 7919) % 700).padStart(3, "0")}`);
    const bigOp = fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant("put" as const), key, both: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), key }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("read" as const), after: key, reverse: fc.boolean() }) },
    );
    const bigTransaction = fc.record({
      // Each prefix names about a hundred keys: dropping some first shrinks a large value back to an array.
      drop: fc.oneof(
        { weight: 2, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.subarray(["k0", "k1", "k2", "k3", "k4", "k5", "k6"], { minLength: 1 }) },
      ),
      ops: fc.array(bigOp, { minLength: 80, maxLength: 160 }),
      commit: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(bigTransaction, { minLength: 4, maxLength: 12 }), async (txs) => {
        const adapter = memoryAdapter();
        let model = new Map<string, boolean>(); // key -> also under "y"
        const expectFound = async (
          tx: Parameters<Parameters<typeof adapter.transaction>[0]>[0],
          m: Map<string, boolean>,
          after?: string,
          reverse = false,
        ) => {
          const x = [...m.keys()].sort();
          const y = [...m]
            .filter(([, both]) => both)
            .map(([k]) => k)
            .sort();
          const page = (list: string[]) =>
            (reverse ? [...list].reverse() : list)
              .filter((k) => after === undefined || (reverse ? k < after : k > after))
              .slice(0, 50);
          expect(
            (await tx.find("docs", "by", "x", { ...(after === undefined ? {} : { after }), reverse, limit: 50 })).map(
              (d) => d.key,
            ),
          ).toEqual(page(x));
          expect((await tx.find("docs", "by", "y")).map((d) => d.key)).toEqual(y);
          expect(((await tx.findMany?.("docs", "by", ["x", "y"])) ?? []).map((d) => d.key)).toEqual(x);
        };
        for (const { drop, ops, commit } of txs) {
          const next = new Map(model);
          const run = adapter.transaction(async (tx) => {
            const gone = [...next.keys()].filter((k) => drop.some((prefix) => k.startsWith(prefix)));
            await tx.deleteMany?.("docs", gone);
            for (const k of gone) next.delete(k);
            for (const o of ops) {
              if (o.op === "put") {
                await tx.put("docs", o.key, { k: o.key }, { index: { by: o.both ? ["x", "y"] : "x" } });
                next.set(o.key, o.both);
              } else if (o.op === "delete") {
                await tx.delete("docs", o.key);
                next.delete(o.key);
              } else await expectFound(tx, next, o.after, o.reverse);
            }
            if (!commit) throw new Error("roll back");
          });
          if (commit) {
            await run;
            model = next;
          } else await expect(run).rejects.toThrow("roll back");
        }
        await adapter.transaction((tx) => expectFound(tx, model));
      }),
      { numRuns: 60 },
    );
  });
});
