// Runs inside an empty project that installed the packed tarball (see ../packed.mjs). It uses every
// export of customer-context/testing, as a team testing its integration would.

import { createCustomerContext, memoryAdapter } from "customer-context";
import {
  arbitraries,
  CHANNELS,
  FaultInjectedError,
  faultyAdapter,
  matchers,
  runAdapterConformance,
  scenarioOutcome,
  scenarios,
  testClock,
} from "customer-context/testing";
import fc from "fast-check";
import "customer-context/testing/vitest";
import { describe, expect, it } from "vitest";

runAdapterConformance({ name: "memory, from the tarball", createAdapter: () => memoryAdapter() });

describe("customer-context/testing from the tarball", () => {
  it("replays every scenario to its expected outcome", async () => {
    for (const scenario of scenarios) {
      const cc = createCustomerContext({ ...scenario.options, clock: testClock(scenario.now) });
      const summary = await cc.ingest(scenario.items);
      expect(summary.rejected).toEqual([]);
      expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
      await cc.close();
    }
  });

  it("has an arbitrary for every public input, each accepted", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          arbitraries.email(),
          arbitraries.phone({ defaultRegion: "PL" }),
          arbitraries.cookie(),
          arbitraries.crmId(),
        ),
        arbitraries.identifier({ customTypes: { loyaltyCard: fc.constant("LC-1") } }),
        arbitraries.observation(),
        arbitraries.consent(),
        arbitraries.offer(),
        arbitraries.presentation(),
        async (identifiers, identifier, observation, consent, offer, presentation) => {
          const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
          await cc.identify({ identifiers: [...identifiers, identifier] });
          await cc.identify(observation);
          await cc.consent(consent);
          await cc.offers.define({ ...offer, id: presentation.offerId });
          await cc.offers.present(presentation);
          await cc.close();
        },
      ),
      { numRuns: 10 },
    );
  });

  it("makes workloads aimed by kinds and spacing, with quotes of its catalogue", async () => {
    const [items] = fc.sample(
      arbitraries.workload({ kinds: ["identify", "present"], customers: 2, spacing: { min: 0, max: 60 } }),
      { numRuns: 1, seed: 1 },
    );
    expect(items.slice(0, 3).map((i) => i.kind)).toEqual(["offer", "offer", "offer"]);
    const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
    expect((await cc.ingest(items)).rejected).toEqual([]);
    await cc.close();
  });

  it("has a clock moved by hand", () => {
    const clock = testClock("2026-04-01T09:00:00Z");
    clock.advance({ hours: 5 });
    expect(clock().toISOString()).toBe("2026-04-01T14:00:00.000Z");
    clock.set("2026-05-01T00:00:00Z");
    expect(clock().toISOString()).toBe("2026-05-01T00:00:00.000Z");
  });

  it("ingests generated workloads and interactions on every channel", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraries.workload({ customers: 2, maxItems: 10 }),
        arbitraries.interaction({ channels: CHANNELS }),
        async (items, interaction) => {
          const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
          await cc.ingest(items);
          await cc.record(interaction);
          await cc.close();
        },
      ),
      { numRuns: 10 },
    );
  });

  it("has matchers that read the evidence, registered and as an object", async () => {
    const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
    const email = { type: "email", value: "ala@poczta.pl" };
    const phone = { type: "phone", value: "601 234 567" };
    await cc.identify({ identifiers: [email, phone], at: "2026-04-01T09:00:00Z" });
    await expect(cc).toResolveTogether(email, phone);
    await cc.record({
      channel: "web",
      direction: "inbound",
      at: "2026-04-01T09:05:00Z",
      customer: [email],
      externalId: "w1",
    });
    await cc.record({
      channel: "phone",
      direction: "inbound",
      at: "2026-04-01T10:00:00Z",
      customer: [phone],
      externalId: "c1",
    });
    await expect(cc).toHaveConversationAcross({ identifier: email }, ["web", "phone"]);
    await cc.offers.define({ id: "loan", name: "Loan", category: "marketing", terms: { apr: 5.9 } });
    const quote = {
      customer: [phone],
      offerId: "loan",
      channel: "phone",
      at: "2026-04-01T10:05:00Z",
      terms: { apr: 6.9 },
    };
    expect(await cc.offers.check(quote)).toHaveViolation("parity");
    expect((await matchers.toResolveTogether.call({}, cc, email, { type: "email", value: "x@poczta.pl" })).pass).toBe(
      false,
    );
    await cc.close();
  });

  it("injects a storage fault that leaves nothing behind", async () => {
    const storage = faultyAdapter(memoryAdapter());
    const cc = createCustomerContext({ storage });
    const before = await storage.dump();
    storage.inject({ methods: ["putMany", "put"], call: 1 });
    const error = await cc.identify({ identifiers: [{ type: "email", value: "jan@shop.pl" }] }).catch((e) => e);
    expect(error.code).toBe("storage_failure");
    storage.clear();
    expect(await storage.dump()).toEqual(before);
    // Underneath, the adapter call itself fails with the kit's own error.
    storage.inject({ methods: ["put"], call: 1 });
    await expect(storage.transaction(async (tx) => tx.put("c", "k", 1))).rejects.toBeInstanceOf(FaultInjectedError);
    storage.clear();
  });
});
