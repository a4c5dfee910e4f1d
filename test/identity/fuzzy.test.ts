import { describe, expect, it } from "vitest";
import { createCustomerContext } from "../../src/index.js";

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
});
