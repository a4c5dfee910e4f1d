import { describe, expect, it } from "vitest";
import { createCustomerContext, isCustomerContextError } from "../../src/index.js";
import { testClock } from "../../src/testing/index.js";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isCustomerContextError(error, "invalid_input")) return error.details;
    throw error;
  }
  throw new Error("expected invalid_input");
}

describe("testClock", () => {
  it("is a clock function that moves only when told", () => {
    const clock = testClock("2026-04-01T09:00:00+02:00");
    expect(clock().toISOString()).toBe("2026-04-01T07:00:00.000Z");
    expect(clock.advance({ days: 1, hours: 2 }).now().toISOString()).toBe("2026-04-02T09:00:00.000Z");
    expect(clock.advance({ minutes: -30 })().toISOString()).toBe("2026-04-02T08:30:00.000Z");
    clock.set(new Date("2027-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("hands out copies: mutating a returned Date does not move the clock", () => {
    const clock = testClock("2026-04-01T00:00:00Z");
    clock().setFullYear(1999);
    expect(clock().toISOString()).toBe("2026-04-01T00:00:00.000Z");
  });

  it("drives the context: an SLA alert appears only once the clock passes the SLA", async () => {
    const clock = testClock("2026-04-01T09:00:00Z");
    const cc = createCustomerContext({ clock, conversations: { sla: { hours: 4 } } });
    const customer = [{ type: "email", value: "ala@poczta.pl" }];
    await cc.record({ channel: "email", direction: "inbound", at: clock(), customer, externalId: "m1" });
    const kinds = async () => (await cc.context({ identifier: customer[0] as never }))?.alerts.map((a) => a.kind) ?? [];
    expect(await kinds()).not.toContain("unanswered");
    clock.advance({ hours: 5 });
    expect(await kinds()).toContain("unanswered");
    await cc.close();
  });

  it("rejects what is not a time or a duration, naming the field", () => {
    expect(issuesOf(() => testClock("yesterday"))).toEqual([expect.objectContaining({ path: ["start"] })]);
    expect(issuesOf(() => testClock("2026-04-01T09:00:00Z").set("2026-04-01"))).toEqual([
      expect.objectContaining({ path: ["when"] }),
    ]);
    expect(issuesOf(() => testClock("2026-04-01T09:00:00Z").advance({ fortnights: 1 } as never))).toEqual([
      { path: ["duration", "fortnights"], code: "unrecognized_key", message: 'unknown unit "fortnights"' },
    ]);
    expect(issuesOf(() => testClock("2026-04-01T09:00:00Z").advance({ hours: Number.NaN }))).toEqual([
      { path: ["duration", "hours"], code: "invalid_type", message: "must be a finite number" },
    ]);
    expect(issuesOf(() => testClock("2026-04-01T09:00:00Z").advance({ years: 1e6 }))).toEqual([
      expect.objectContaining({ path: ["duration"], code: "too_big" }),
    ]);
    expect(issuesOf(() => testClock("2026-04-01T09:00:00Z").advance(null as never))).toEqual([
      expect.objectContaining({ path: ["duration"], code: "invalid_type" }),
    ]);
  });
});
