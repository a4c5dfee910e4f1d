import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeTicks } from "./timeAxis.js";

describe("timeTicks", () => {
  it("uses times of day with the date under the first tick of each day", () => {
    const start = Date.UTC(2026, 3, 2, 23, 10);
    const ticks = timeTicks(start, start + 80 * 60_000, 6);
    expect(ticks.map((t) => t.label)).toEqual(["23:15", "23:30", "23:45", "00:00", "00:15", "00:30"]);
    expect(ticks.map((t) => t.sublabel)).toEqual([
      "2 Apr 2026",
      undefined,
      undefined,
      "3 Apr 2026",
      undefined,
      undefined,
    ]);
  });

  it("uses calendar months in UTC for long spans", () => {
    const ticks = timeTicks(Date.UTC(2025, 10, 20), Date.UTC(2026, 4, 2), 7);
    expect(ticks.map((t) => t.label)).toEqual(["Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"]);
  });

  it("gives between 1 and maxTicks ascending ticks inside the range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2050, 0, 1) }),
        fc.integer({ min: 0, max: 20 * 365 * 86_400_000 }),
        fc.integer({ min: 3, max: 12 }),
        (start, span, maxTicks) => {
          const ticks = timeTicks(start, start + span, maxTicks).filter((t) => t.edge !== true);
          expect(ticks.length).toBeGreaterThanOrEqual(1);
          expect(ticks.length).toBeLessThanOrEqual(maxTicks);
          ticks.forEach((tick, i) => {
            expect(tick.ms).toBeGreaterThanOrEqual(start);
            expect(tick.ms).toBeLessThanOrEqual(start + span);
            if (i > 0) expect(tick.ms).toBeGreaterThan(ticks[i - 1]!.ms);
          });
        },
      ),
    );
  });

  it("names the first day when no tick falls on it", () => {
    const start = Date.UTC(2026, 3, 2, 23, 50);
    const ticks = timeTicks(start, start + 3 * 3600_000, 4);
    expect(ticks[0]).toMatchObject({ edge: true, label: "2 Apr", ms: start });
    expect(ticks[1]?.sublabel).toBe("3 Apr 2026");
  });

  it("puts day boundaries and labels in the given time zone", () => {
    // 22:30 UTC on 1 Apr is 00:30 on 2 Apr in Warsaw (UTC+2 in summer time).
    const start = Date.UTC(2026, 3, 1, 21, 0);
    const utc = timeTicks(start, start + 4 * 3600_000, 5);
    const warsaw = timeTicks(start, start + 4 * 3600_000, 5, "Europe/Warsaw");
    expect(utc.filter((t) => !t.edge).map((t) => t.label)).toEqual(["21:00", "22:00", "23:00", "00:00", "01:00"]);
    expect(warsaw.filter((t) => !t.edge).map((t) => t.label)).toEqual(["23:00", "00:00", "01:00", "02:00", "03:00"]);
    // The zone's midnight is 22:00 UTC, and that tick names the new day.
    const midnight = warsaw.find((t) => t.label === "00:00");
    expect(midnight?.ms).toBe(Date.UTC(2026, 3, 1, 22, 0));
    expect(midnight?.sublabel).toBe("2 Apr 2026");
  });
});
