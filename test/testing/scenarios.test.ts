import { describe, expect, it } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { createCustomerContext, memoryAdapter, type StorageAdapter } from "../../src/index.js";
import { scenarioOutcome, scenarios, testClock } from "../../src/testing/index.js";

/** The adapters every scenario is replayed against, as a team replays them against its own. */
const ADAPTERS: ReadonlyArray<readonly [string, () => StorageAdapter]> = [
  ["memory", () => memoryAdapter()],
  ["SQLite", () => sqliteAdapter({ filename: ":memory:" })],
];

describe("scenarios", () => {
  it("covers the documented journeys, each with a unique name", () => {
    expect(scenarios.map((s) => s.name)).toEqual([
      "loan-web-hotline-branch",
      "ivr-to-agent",
      "web-to-voice",
      "email-to-contact-centre",
      "chat-completion",
      "social-to-service",
      "sms-text-reply",
      "shared-family-phone",
      "two-crm-ids-one-email",
      "apr-quoted-differently-by-phone",
    ]);
  });

  it.each(ADAPTERS.flatMap(([adapter, storage]) => scenarios.map((s) => [s.name, adapter, s, storage] as const)))(
    "%s replays to its expected outcome on %s",
    async (_name, _adapter, scenario, storage) => {
      const cc = createCustomerContext({ ...scenario.options, storage: storage(), clock: testClock(scenario.now) });
      const summary = await cc.ingest(scenario.items);
      expect(summary.rejected).toEqual([]);
      expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
      await cc.close();
    },
  );

  it.each(scenarios.map((s) => [s.name, s] as const))(
    "%s gives the same outcome item by item through the methods as through ingest",
    async (_name, scenario) => {
      const cc = createCustomerContext({ ...scenario.options, clock: testClock(scenario.now) });
      for (const { kind, ...input } of scenario.items) {
        if (kind === "identify") await cc.identify(input as never);
        else if (kind === "record") await cc.record(input as never);
        else if (kind === "offer") await cc.offers.define(input as never);
        else if (kind === "present") await cc.offers.present(input as never);
        else throw new Error(`no method for ${kind}`);
      }
      expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
      await cc.close();
    },
  );

  it("a broken context does not pass: without the explicit handoff, web-to-voice is two conversations", async () => {
    const scenario = scenarios.find((s) => s.name === "web-to-voice");
    if (!scenario) throw new Error("missing scenario");
    const items = scenario.items.map(({ continues: _dropped, ...item }) => item as typeof item & { kind: string });
    const cc = createCustomerContext({ ...scenario.options, clock: testClock(scenario.now) });
    await cc.ingest(items);
    expect((await scenarioOutcome(cc, { items })).conversations).toEqual([
      { channels: ["phone"], interactions: 1 },
      { channels: ["web"], interactions: 1 },
    ]);
  });
});
