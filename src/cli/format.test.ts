import { describe, expect, it } from "vitest";
import type { JourneyMetrics } from "../journeys/journeyMetrics.js";
import { journeyMetrics } from "../journeys/journeyMetrics.js";
import type { Violation } from "../schema/outputs.js";
import { formatJourneyMetrics, formatViolations } from "./format.js";

const violation = (profileId: string, presentationId: string, extra: Partial<Violation> = {}): Violation => ({
  rule: "parity",
  severity: "error",
  message: `APR differs for ${profileId}`,
  offerId: "summer-sale",
  channel: "web",
  profileId,
  presentationId,
  evidence: {},
  ...extra,
});

describe("formatViolations", () => {
  it("groups repeats, and names the customer and the time of each occurrence", () => {
    const violations = [
      violation("p2", "x2"),
      violation("p1", "x1"),
      violation("p1", "x3", { rule: "contact-cap", severity: "warning", message: "third contact this week" }),
    ];
    const text = formatViolations(violations, {
      customers: new Map([
        ["p1", "Anna (p1)"],
        ["p2", "Bob (p2)"],
      ]),
      times: new Map([
        ["x1", "2026-04-01T09:00:00.000Z"],
        ["x2", "2026-04-02T09:00:00.000Z"],
        ["x3", "2026-04-03T09:00:00.000Z"],
      ]),
      timeZone: "Europe/Warsaw",
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe("✖ parity (error) · summer-sale on web — 2 times, 2 customers");
    expect(lines[1]).toBe("  · 2026-04-01 11:00 Europe/Warsaw · Anna (p1)");
    expect(lines[3]).toBe("  · 2026-04-02 11:00 Europe/Warsaw · Bob (p2)");
    expect(text.indexOf("! contact-cap (warning)")).toBeGreaterThan(text.indexOf("Bob"));
  });

  it("caps the occurrences shown per group", () => {
    const many = Array.from({ length: 478 }, (_, i) => violation(`p${i % 40}`, `x${i}`));
    const text = formatViolations(many);
    expect(text.split("\n").length).toBeLessThan(15);
    expect(text).toContain("478 times, 40 customers");
    expect(text).toContain("… and 473 more");
  });

  it("says so when there is nothing", () => {
    expect(formatViolations([])).toBe("No offer violations.");
  });
});

describe("formatJourneyMetrics", () => {
  it("uses the same duration formatter as the SVG, so p90 and median read alike", () => {
    const base = journeyMetrics({ conversations: [], interactions: [] });
    const metrics: JourneyMetrics = {
      ...base,
      firstResponse: { ...base.firstResponse, medianSeconds: 47.7 * 3600, p90Seconds: 2 * 86_400 },
    };
    const text = formatJourneyMetrics(metrics);
    expect(text).toContain("median 48\u00A0h, p90 2\u00A0d");
  });
});
