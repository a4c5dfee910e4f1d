import { describe, expect, it } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { matchPair } from "../../src/identity/fuzzy/matchPair.js";
import { createCustomerContext, memoryAdapter, type StorageAdapter } from "../../src/index.js";

const fields = { firstName: "name", lastName: "name", dateOfBirth: "date", city: "text" } as const;

describe("fuzzy matching in the context", () => {
  it("is off by default", async () => {
    const cc = createCustomerContext();
    await expect(cc.profiles.suggest()).rejects.toMatchObject({ code: "refused" });
  });

  it("suggests likely duplicates with per-field weights, and accepting one is an operator merge", async () => {
    const cc = createCustomerContext({ identity: { fuzzy: { fields } } });
    const a = await cc.identify({
      identifiers: [{ type: "email", value: "jan.kowalski@poczta.pl" }],
      traits: { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" },
      at: "2026-04-01T09:00:00Z",
    });
    const b = await cc.identify({
      identifiers: [{ type: "phone", value: "+48601234567" }],
      traits: { firstName: "Jan", lastName: "Kowalsky", dateOfBirth: "1980-05-17", city: "Krakow" },
      at: "2026-04-02T09:00:00Z",
    });
    await cc.identify({
      identifiers: [{ type: "email", value: "ewa@poczta.pl" }],
      traits: { firstName: "Ewa", lastName: "Nowak", dateOfBirth: "1991-02-03", city: "Gdańsk" },
      at: "2026-04-03T09:00:00Z",
    });
    const [best, ...rest] = await cc.profiles.suggest({ profileId: a.profileId });
    expect(rest).toEqual([]);
    expect(best).toMatchObject({ a: a.profileId, b: b.profileId });
    expect(best?.score).toBeGreaterThan(0.9);
    expect(Object.keys(best?.weights ?? {}).sort()).toEqual(["city", "dateOfBirth", "firstName", "lastName"]);
    expect(await cc.profiles.suggest()).toHaveLength(1);
    await cc.profiles.merge(a.profileId, b.profileId, { reason: `fuzzy ${best?.score}` });
    const why = await cc.profiles.explain(a.profileId);
    expect(why.edges[0]).toMatchObject({ kind: "operator" });
  });

  it("merges automatically above autoMergeAbove, as operator evidence", async () => {
    const cc = createCustomerContext({ identity: { fuzzy: { fields, autoMergeAbove: 0.95 } } });
    const a = await cc.identify({
      identifiers: [{ type: "email", value: "jan.kowalski@poczta.pl" }],
      traits: { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" },
      at: "2026-04-01T09:00:00Z",
    });
    const b = await cc.identify({
      identifiers: [{ type: "phone", value: "+48601234567" }],
      traits: { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" },
      at: "2026-04-02T09:00:00Z",
    });
    expect(b.profileId).toBe(a.profileId);
    const why = await cc.profiles.explain(a.profileId);
    expect(why.edges[0]).toMatchObject({ kind: "operator", by: "fuzzy" });
  });

  describe("the prior of the per-profile suggestions", () => {
    const jan = { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" };
    const janTypo = { firstName: "Jan", lastName: "Kowalsky", dateOfBirth: "1980-05-17", city: "Krakow" };
    /** Unrelated people: no blocking key in common with Jan (other names, other dates, other towns). */
    const stranger = (i: number) => ({
      firstName: `Zofia${String.fromCharCode(97 + (i % 26))}${i}`,
      lastName: `Wiśniewska${i}`,
      dateOfBirth: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      city: `Town${i}`,
    });

    async function store(strangers: number, options: { prior?: number; storage?: StorageAdapter } = {}) {
      const cc = createCustomerContext({
        ...(options.storage ? { storage: options.storage } : {}),
        identity: { fuzzy: { fields, ...(options.prior ? { parameters: { prior: options.prior } } : {}) } },
      });
      const at = "2026-04-01T09:00:00Z";
      const a = await cc.identify({ identifiers: [{ type: "email", value: "jan@poczta.pl" }], traits: jan, at });
      const b = await cc.identify({ identifiers: [{ type: "phone", value: "+48601234567" }], traits: janTypo, at });
      await cc.ingest(
        Array.from({ length: strangers }, (_, i) => ({
          kind: "identify",
          identifiers: [{ type: "email", value: `z${i}@poczta.pl` }],
          traits: stranger(i),
          at,
        })),
      );
      const [suggestion] = await cc.profiles.suggest({ profileId: a.profileId });
      return { cc, a, b, suggestion };
    }

    it("is estimated from the store's data: the same pair scores lower as unrelated profiles arrive", async () => {
      const scores: number[] = [];
      for (const n of [0, 50, 500]) {
        const { a, b, suggestion } = await store(n);
        expect(suggestion).toMatchObject({ a: a.profileId, b: b.profileId });
        scores.push(suggestion?.score ?? 0);
      }
      expect(scores[0]).toBeGreaterThan(scores[1] as number);
      expect(scores[1]).toBeGreaterThan(scores[2] as number);
      // One likely match among the N - 1 others: prior 1 / (N - 1), prior odds 1 / (N - 2).
      const odds = (p: number) => p / (1 - p);
      expect(odds(scores[1] as number) / odds(scores[2] as number)).toBeCloseTo(500 / 50, 6);
    });

    it("uses parameters.prior when it is given", async () => {
      const { suggestion } = await store(50, { prior: 1e-4 });
      const pair = matchPair(
        { id: "a", traits: jan },
        { id: "b", traits: janTypo },
        { fields, parameters: { prior: 1e-4 } },
      );
      expect(suggestion?.score).toBeCloseTo(pair.score, 12);
      expect((await store(500, { prior: 1e-4 })).suggestion?.score).toBeCloseTo(pair.score, 12);
    });

    it("counts profiles exactly through merges and forget, and scores the same on memory and SQLite", async () => {
      const run = async (storage: StorageAdapter) => {
        const { cc, a, b, suggestion } = await store(30, { storage });
        const before = suggestion?.score;
        await cc.profiles.merge(a.profileId, b.profileId, { reason: "same person" });
        await cc.profiles.forget({ identifier: { type: "email", value: "z3@poczta.pl" } });
        const third = await cc.identify({
          identifiers: [{ type: "email", value: "jan.k@poczta.pl" }],
          traits: janTypo,
          at: "2026-04-02T09:00:00Z",
        });
        const after = await cc.profiles.suggest({ profileId: third.profileId });
        const counts = await storage.transaction(async (tx) => ({
          counted: (await tx.scan<{ n: number }>("profile_counts")).reduce((s, d) => s + d.value.n, 0),
          profiles: (await tx.scan("profiles")).length,
        }));
        return { before, after: after.map((s) => s.score), counts };
      };
      const memory = await run(memoryAdapter());
      const sqlite = await run(sqliteAdapter({ filename: ":memory:" }));
      expect(memory.counts).toEqual({ counted: 31, profiles: 31 });
      expect(sqlite).toEqual(memory);
    });
  });
});
