import { describe, expect, it } from "vitest";
import { createCustomerContext } from "../../src/index.js";
import { scenarioOutcome, scenarios, testClock } from "../../src/testing/index.js";

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

  it.each(scenarios.map((s) => [s.name, s] as const))("%s replays to its expected outcome", async (_name, scenario) => {
    const cc = createCustomerContext({ ...scenario.options, clock: testClock(scenario.now) });
    const summary = await cc.ingest(scenario.items);
    expect(summary.rejected).toEqual([]);
    expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
    await cc.close();
  });

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
