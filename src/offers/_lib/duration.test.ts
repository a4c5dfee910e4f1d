import { add, sub } from "date-fns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeDuration, isoMinus, isoPlus, shiftUtc } from "./duration.js";

describe("shiftUtc", () => {
  it("matches date-fns add and sub evaluated in UTC", () => {
    const previous = process.env.TZ;
    process.env.TZ = "UTC";
    try {
      const unit = fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined });
      const duration = fc.record({
        years: unit,
        months: unit,
        weeks: unit,
        days: unit,
        hours: unit,
        minutes: unit,
        seconds: unit,
      });
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), duration, (ms, d) => {
          const clean = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
          expect(shiftUtc(ms, clean, 1)).toBe(add(new Date(ms), clean).getTime());
          expect(shiftUtc(ms, clean, -1)).toBe(sub(new Date(ms), clean).getTime());
        }),
      );
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("clamps to the end of the month and ignores the local time zone", () => {
    expect(isoPlus("2026-01-31T10:00:00.000Z", { months: 1 })).toBe("2026-02-28T10:00:00.000Z");
    expect(isoMinus("2024-03-31T10:00:00.000Z", { months: 1 })).toBe("2024-02-29T10:00:00.000Z");
    expect(isoMinus("2026-03-30T12:00:00.000Z", { days: 7 })).toBe("2026-03-23T12:00:00.000Z");
    expect(isoPlus("2026-10-20T00:30:00.000Z", { weeks: 1, hours: 1 })).toBe("2026-10-27T01:30:00.000Z");
  });

  it("describes durations in words", () => {
    expect(describeDuration({ days: 7 })).toBe("7 days");
    expect(describeDuration({ months: 1, hours: 12, minutes: undefined })).toBe("1 month 12 hours");
    expect(describeDuration({})).toBe("0 seconds");
  });
});
