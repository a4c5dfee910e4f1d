import { describe, expect, it } from "vitest";
import { loanJourneySnapshot } from "../../test/journeys/_fixtures.js";
import { InvalidInputError } from "../errors.js";
import type { Violation } from "../schema/outputs.js";
import { formatContext } from "./formatContext.js";

const parity = (presentationId: string, message: string): Violation => ({
  rule: "parity",
  severity: "error",
  message,
  offerId: "loan-personal",
  channel: "phone",
  profileId: "p-jan",
  presentationId,
  evidence: {},
});

describe("formatContext", () => {
  const view = loanJourneySnapshot();

  it("shows the customer's violations with their times, and marks the offer that broke a rule", () => {
    const violations = [parity("pr2", "APR 8.9 on phone differs from 7.9 shown on web"), parity("other", "not Jan's")];
    const text = formatContext(view, { violations });
    expect(text).toContain("Offer violations (1)");
    expect(text).toContain("✖ parity (error) · loan-personal on phone");
    expect(text).toContain("2026-03-03 11:20 UTC");
    expect(text).toContain("APR 8.9 on phone differs from 7.9 shown on web");
    expect(text).not.toContain("not Jan's");
    const offerLines = text.split("\n").filter((line) => line.includes("loan-personal v1"));
    expect(offerLines.map((line) => line.startsWith("✖"))).toEqual([false, true]);
    for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
    expect(formatContext(view)).not.toContain("Offer violations");
  });

  it("groups repeats of one problem under one heading", () => {
    const repeated = Array.from({ length: 8 }, () => parity("pr2", "APR 8.9 differs"));
    const text = formatContext(view, { violations: repeated });
    expect(text.match(/✖ parity/g)).toHaveLength(1);
    expect(text).toContain("8 times");
    expect(text).toContain("… and 3 more");
  });

  it("writes times in the given time zone", () => {
    const warsaw = formatContext(view, { timeZone: "Europe/Warsaw" });
    // 09:14 UTC on 2 March is 10:14 in Warsaw (UTC+1 in winter).
    expect(warsaw).toContain("2026-03-02 10:14 [");
    expect(warsaw).toContain("oldest first, Europe/Warsaw");
    expect(formatContext(view)).toContain("2026-03-02 09:14 [");
  });

  it("rejects a malformed view or an unknown time zone with a typed error naming the field", () => {
    const pathOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).details[0]?.path;
      }
      return null;
    };
    expect(pathOf(() => formatContext(null as never))).toEqual(["view"]);
    expect(pathOf(() => formatContext({ ...view, timeline: undefined } as never))).toEqual(["view", "timeline"]);
    expect(pathOf(() => formatContext(view, { timeZone: "Atlantis/Capital" }))).toEqual(["options", "timeZone"]);
  });
});
