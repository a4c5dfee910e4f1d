// Runs inside an empty project that installed the packed tarball (see ../packed.mjs). It uses every
// export of customer-context/testing, as a team testing its integration would.

import { createCustomerContext, memoryAdapter } from "customer-context";
import {
  arbitraries,
  CHANNELS,
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
    await cc.identify({ identifiers: [email, phone] });
    await expect(cc).toResolveTogether(email, phone);
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
  });
});
