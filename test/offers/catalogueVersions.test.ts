import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareVersions, versionAt, versionRecordedBy } from "../../src/offers/_lib/catalogue.js";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
const versions = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }).chain((days) =>
  fc.shuffledSubarray(
    days.map((d, i) => ({ version: i + 1, definedAt: day(d) })),
    { minLength: days.length, maxLength: days.length },
  ),
);

describe("the catalogue version in effect at a time", () => {
  it("before, between and after two versions", () => {
    const list = [
      { version: 2, definedAt: day(10) },
      { version: 1, definedAt: day(20) },
    ];
    expect(versionRecordedBy(list, day(5))).toBeUndefined();
    expect(versionAt(list, day(5))?.version).toBe(1);
    expect(versionAt(list, day(10))?.version).toBe(2);
    expect(versionAt(list, day(15))?.version).toBe(2);
    expect(versionAt(list, day(20))?.version).toBe(1);
    expect(versionAt(list, day(30))?.version).toBe(1);
    expect(versionAt([], day(30))).toBeUndefined();
    expect(versionAt(undefined, day(30))).toBeUndefined();
  });

  it("on equal times the later-numbered version wins", () => {
    const list = [
      { version: 1, definedAt: day(1) },
      { version: 2, definedAt: day(1) },
    ];
    expect(versionAt(list, day(1))?.version).toBe(2);
    expect(versionAt([...list].reverse(), day(1))?.version).toBe(2);
  });

  it("property: the latest recorded at or before T, else the latest, whatever the stored order", () => {
    fc.assert(
      fc.property(versions, fc.integer({ min: 0, max: 50 }), (list, t) => {
        const sorted = [...list].sort(compareVersions);
        const recorded = sorted.filter((v) => v.definedAt <= day(t));
        expect(versionRecordedBy(list, day(t))).toEqual(recorded[recorded.length - 1]);
        expect(versionAt(list, day(t))).toEqual(recorded[recorded.length - 1] ?? sorted[sorted.length - 1]);
      }),
    );
  });
});
