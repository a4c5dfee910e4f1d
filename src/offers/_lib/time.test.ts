import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareAtId, firstAfter, formatDay } from "./time.js";

describe("formatDay", () => {
  it("reads the date in UTC and adds the year when it differs", () => {
    expect(formatDay("2026-04-02T23:30:00.000Z", "2026-05-01T00:00:00.000Z")).toBe("2 Apr");
    expect(formatDay("2026-04-02T00:30:00.000Z", "2026-05-01T00:00:00.000Z")).toBe("2 Apr");
    expect(formatDay("2025-12-31T23:59:00.000Z", "2026-01-01T00:00:00.000Z")).toBe("31 Dec 2025");
    expect(formatDay("2026-04-02T10:00:00.000Z")).toBe("2 Apr 2026");
  });
});

describe("firstAfter", () => {
  it("finds the first element strictly after a time, like a linear scan", () => {
    const iso = fc.integer({ min: 0, max: 50 }).map((m) => new Date(Date.UTC(2026, 3, 1, 0, m)).toISOString());
    fc.assert(
      fc.property(fc.array(iso), iso, (times, after) => {
        const items = times.sort().map((at) => ({ at }));
        const expected = items.findIndex((item) => item.at > after);
        expect(firstAfter(items, after)).toBe(expected === -1 ? items.length : expected);
      }),
    );
  });
});

describe("compareAtId", () => {
  it("orders by time, then id, a missing id first", () => {
    const list = [
      { at: "2026-04-02T10:00:00.000Z", id: "b" },
      { at: "2026-04-01T10:00:00.000Z", id: "z" },
      { at: "2026-04-02T10:00:00.000Z", id: "a" },
      { at: "2026-04-02T10:00:00.000Z" },
    ];
    expect(list.sort(compareAtId).map((x) => x.id)).toEqual(["z", undefined, "a", "b"]);
  });
});
