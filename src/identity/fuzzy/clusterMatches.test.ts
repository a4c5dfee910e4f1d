import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { connectedComponents } from "./_lib/evaluation.js";
import { clusterMatches } from "./clusterMatches.js";

const ids = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, "0")}`);
const link = fc.record({
  a: fc.constantFrom(...ids),
  b: fc.constantFrom(...ids),
  score: fc.double({ min: 0.5, max: 1, noNaN: true }),
});
const links = fc.array(link, { maxLength: 40 });

describe("clusterMatches", () => {
  it("does not chain two groups through one weak link", () => {
    const clique = (xs: string[], score: number) => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => ({ a, b, score })));
    const left = ["a1", "a2", "a3", "a4"];
    const right = ["b1", "b2", "b3", "b4"];
    const all = [...left, ...right];
    const out = clusterMatches(all, [...clique(left, 0.99), ...clique(right, 0.98), { a: "a4", b: "b1", score: 0.97 }]);
    expect(out.map((c) => c.ids)).toEqual([left, right]);
    expect(out.map((c) => c.cohesion)).toEqual([1, 1]);
    expect(out[1]!.weakest).toBe(0.98);
  });

  it("keeps every cluster at least as cohesive as asked, and partitions the records", () => {
    fc.assert(
      fc.property(links, fc.constantFrom(0.2, 0.3, 0.5, 1), (ls, minCohesion) => {
        const out = clusterMatches(ids, ls, { minCohesion });
        const seen = new Set<string>();
        for (const c of out) {
          expect(c.ids.length).toBeGreaterThan(1);
          expect(c.cohesion).toBeGreaterThanOrEqual(minCohesion - 1e-12);
          for (const id of c.ids) {
            expect(seen.has(id)).toBe(false);
            seen.add(id);
          }
        }
      }),
    );
  });

  it("with minCohesion 0 gives connected components", () => {
    fc.assert(
      fc.property(links, (ls) => {
        const components = connectedComponents(
          ids,
          ls.map((l) => [l.a, l.b] as const),
        );
        const groups = new Map<string, string[]>();
        for (const id of ids) groups.set(components.get(id)!, [...(groups.get(components.get(id)!) ?? []), id]);
        const expected = [...groups.values()].filter((g) => g.length > 1).sort((p, q) => (p[0]! < q[0]! ? -1 : 1));
        expect(clusterMatches(ids, ls, { minCohesion: 0 }).map((c) => c.ids)).toEqual(expected);
      }),
    );
  });

  it("does not depend on the order of the links", () => {
    fc.assert(
      fc.property(
        links.chain((ls) => fc.tuple(fc.constant(ls), fc.shuffledSubarray(ls, { minLength: ls.length }))),
        ([ls, shuffled]) => {
          expect(clusterMatches(ids, shuffled)).toEqual(clusterMatches(ids, ls));
        },
      ),
    );
  });

  it("rejects bad input with a typed error naming the field", () => {
    const at = (path: string) =>
      expect.objectContaining({
        code: "invalid_input",
        details: [expect.objectContaining({ path: path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) })],
      });
    expect(() => clusterMatches(ids, [{ a: "r00", b: 1 as never, score: 1 }])).toThrow(at("links.0.b"));
    expect(() => clusterMatches(ids, [], { minCohesion: 2 })).toThrow(at("minCohesion"));
    expect(() => clusterMatches("x" as never, [])).toThrow(at("ids"));
  });
});
