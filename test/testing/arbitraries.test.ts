import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, memoryAdapter, normalizeIdentifier } from "../../src/index.js";
import { arbitraries, faultyAdapter } from "../../src/testing/index.js";

const cc = () => createCustomerContext({ identity: { defaultRegion: "PL" } });

describe("arbitraries", () => {
  it("make identifiers that normalise, in every shape they promise", () => {
    const emails = fc.sample(arbitraries.email(), { numRuns: 300, seed: 1 });
    expect(emails.some((e) => e.value.includes("+"))).toBe(true);
    expect(emails.some((e) => /[A-Z]/.test(e.value))).toBe(true);
    expect(emails.some((e) => /@[^@]*[^\x00-\x7f]/.test(e.value))).toBe(true);
    const phones = fc.sample(arbitraries.phone({ defaultRegion: "PL" }), { numRuns: 300, seed: 2 });
    expect(phones.some((p) => !p.value.startsWith("+") && !p.value.startsWith("00"))).toBe(true);
    expect(new Set(phones.filter((p) => p.value.startsWith("+")).map((p) => p.value.slice(0, 3))).size).toBeGreaterThan(
      2,
    );
    fc.assert(
      fc.property(arbitraries.identifier({ defaultRegion: "DE" }), (identifier) => {
        expect(normalizeIdentifier(identifier, { defaultRegion: "DE" }).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("aim at your own identifier types and channels", () => {
    const own = { customTypes: { loyaltyCard: fc.stringMatching(/^LC-\d{4}$/) }, channels: ["kiosk", "app"] };
    const types = new Set(fc.sample(arbitraries.identifier(own), { numRuns: 200, seed: 3 }).map((i) => i.type));
    expect(types).toContain("loyaltyCard");
    const channels = new Set(fc.sample(arbitraries.interaction(own), { numRuns: 50, seed: 4 }).map((i) => i.channel));
    expect([...channels].sort()).toEqual(["app", "kiosk"]);
  });

  it("produce inputs every public method accepts", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraries.observation(),
        arbitraries.interaction(),
        arbitraries.consent(),
        arbitraries.offer(),
        arbitraries.presentation(),
        async (observation, interaction, consent, offer, presentation) => {
          const ctx = cc();
          await ctx.identify(observation);
          await ctx.record(interaction);
          await ctx.consent(consent);
          await ctx.offers.define(offer);
          await ctx.offers.define({ ...offer, id: presentation.offerId });
          await ctx.offers.present(presentation);
          await ctx.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("workloads carry conflicts, blocked values, redeliveries and late items, and ingest whole", async () => {
    const samples = fc.sample(arbitraries.workload({ customers: 3, maxItems: 30 }), { numRuns: 60, seed: 5 });
    const flat = samples.flat();
    expect(flat.some((i) => i.kind === "identify" && i.identifiers.some((x) => x.value === "test@test.com"))).toBe(
      true,
    );
    expect(
      samples.some((items) =>
        items.some((a, i) => items.slice(i + 1).some((b) => JSON.stringify(a) === JSON.stringify(b))),
      ),
    ).toBe(true);
    expect(samples.some((items) => items.some((a, i) => i > 0 && a.at < (items[i - 1] as { at: string }).at))).toBe(
      true,
    );
    await fc.assert(
      fc.asyncProperty(arbitraries.workload({ customers: 3, maxItems: 20 }), async (items) => {
        const storage = faultyAdapter(memoryAdapter());
        const ctx = createCustomerContext({ storage, identity: { defaultRegion: "PL" } });
        // Valid input throughout: conflicts are refusals inside an identify, redeliveries are duplicates.
        const summary = await ctx.ingest(items);
        expect(summary.rejected).toEqual([]);
        // I9: the same workload again changes nothing.
        const once = await storage.dump();
        await ctx.ingest(items);
        expect(await storage.dump()).toEqual(once);
        await ctx.close();
      }),
      { numRuns: 25 },
    );
  });

  it("shrink a failing workload to a few items", () => {
    const details = fc.check(
      fc.property(
        arbitraries.workload({ customers: 4, maxItems: 40 }),
        (items) => !items.some((i) => i.kind === "consent"),
      ),
      { seed: 7 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0].length).toBeLessThanOrEqual(2);
  });
});
