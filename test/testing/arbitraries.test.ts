import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, memoryAdapter, normalizeIdentifier } from "../../src/index.js";
import { arbitraries, faultyAdapter, type WorkloadItem } from "../../src/testing/index.js";

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
    const atOf = (item: WorkloadItem | undefined) => (item && "at" in item ? item.at : "");
    expect(samples.some((items) => items.some((a, i) => i > 0 && atOf(a) < atOf(items[i - 1])))).toBe(true);
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

  it("workloads are aimed by kinds and spacing, and carry threads, replies, shared phones and quotes", async () => {
    const records = fc.sample(arbitraries.workload({ kinds: ["record"], spacing: { min: 0, max: 4320 } }), {
      numRuns: 40,
      seed: 11,
    });
    const flat = records.flat();
    expect(new Set(flat.map((i) => i.kind))).toEqual(new Set(["record"]));
    const recs = flat.filter((i): i is WorkloadItem & { kind: "record" } => i.kind === "record");
    expect(recs.some((r) => r.threadKey !== undefined)).toBe(true);
    expect(recs.some((r) => r.caseRef !== undefined)).toBe(true);
    expect(recs.some((r) => r.subject !== undefined)).toBe(true);
    expect(recs.some((r) => r.tags?.includes("complaint"))).toBe(true);
    expect(recs.some((r) => r.direction === "outbound")).toBe(true);
    expect(recs.some((r) => r.email?.inReplyTo !== undefined)).toBe(true);
    expect(recs.every((r) => (r.channel === "email") === (r.email !== undefined))).toBe(true);
    // Gaps of up to three days: some neighbours are further apart than a day, some share a minute.
    const gaps = records.flatMap((items) => {
      const times = items.map((i) => Date.parse((i as { at: string }).at)).sort((a, b) => a - b);
      return times.slice(1).map((t, i) => t - (times[i] as number));
    });
    expect(gaps.some((g) => g > 86_400_000)).toBe(true);
    expect(gaps.some((g) => g === 0)).toBe(true);
    // The default spacing keeps items a minute apart on the hidden timeline.
    const plain = fc.sample(arbitraries.workload({ late: false, duplicates: false }), { numRuns: 10, seed: 12 });
    for (const items of plain)
      items.forEach((item, i) => {
        if (i > 0)
          expect(Date.parse((item as { at: string }).at) - Date.parse((items[i - 1] as { at: string }).at)).toBe(
            60_000,
          );
      });

    const identities = fc.sample(arbitraries.workload({ kinds: ["identify"], customers: 3 }), {
      numRuns: 40,
      seed: 13,
    });
    expect(identities.flat().every((i) => i.kind === "identify")).toBe(true);
    // A shared phone: one person's phone with another person's email.
    expect(
      identities.some((items) =>
        items.some((i) => i.kind === "identify" && i.identifiers.length === 2 && i.identifiers[0]?.type === "phone"),
      ),
    ).toBe(true);
    const none = fc.sample(
      arbitraries.workload({ kinds: ["identify"], conflicts: false, shared: false, blocked: false }),
      {
        numRuns: 20,
        seed: 14,
      },
    );
    expect(
      none.flat().some((i) => i.kind === "identify" && i.identifiers.some((x) => x.value === "test@test.com")),
    ).toBe(false);
    expect(() => arbitraries.workload({ kinds: [] })).toThrow(RangeError);

    // With presentations: the catalogue comes first, and quotes that differ from it are violations.
    const quotes = fc.sample(arbitraries.workload({ kinds: ["identify", "present"], customers: 2 }), {
      numRuns: 40,
      seed: 15,
    });
    for (const items of quotes) expect(items.slice(0, 3).map((i) => i.kind)).toEqual(["offer", "offer", "offer"]);
    expect(quotes.flat().filter((i) => i.kind === "offer")).toHaveLength(3 * quotes.length);
    const rules = new Set<string>();
    for (const items of quotes) {
      const ctx = cc();
      expect((await ctx.ingest(items)).rejected).toEqual([]);
      for (const v of await ctx.offers.audit()) rules.add(v.rule);
      await ctx.close();
    }
    expect([...rules]).toEqual(expect.arrayContaining(["eligibility", "honour", "parity"]));
    // With "offer", the catalogue is redefined in the stream: some quotes come before their offer.
    const stream = fc.sample(arbitraries.workload({ kinds: ["offer", "present"], customers: 2 }), {
      numRuns: 15,
      seed: 18,
    });
    expect(stream.some((items) => items[0]?.kind === "present")).toBe(true);
    const codes = new Set<string>();
    for (const items of stream) {
      const ctx = cc();
      for (const r of (await ctx.ingest(items)).rejected) codes.add(r.error.code);
      await ctx.close();
    }
    expect([...codes]).toEqual(["not_found"]);
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

  it("shrink a failing property that needs a combination (a limit conflict) to the few items that make it", async () => {
    // Deliberately false: "no observation is ever refused for a limit". Breaking it takes a
    // person's CRM id and then another CRM id with the same email; the shrunk workload holds just that.
    const details = await fc.check(
      fc.asyncProperty(
        arbitraries.workload({ kinds: ["identify", "record"], customers: 3, maxItems: 40 }),
        async (items) => {
          const ctx = cc();
          const refusals: string[] = [];
          for (const item of items) {
            if (item.kind !== "identify") continue;
            const { kind: _kind, ...input } = item;
            for (const r of (await ctx.identify(input)).refused) refusals.push(r.reason);
          }
          await ctx.close();
          return !refusals.includes("limit");
        },
      ),
      { seed: 20, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const counterexample = details.counterexample?.[0] ?? [];
    expect(counterexample.length).toBeGreaterThanOrEqual(2);
    expect(counterexample.length).toBeLessThanOrEqual(3);
    expect(counterexample.every((i) => i.kind === "identify")).toBe(true);
  });
});
