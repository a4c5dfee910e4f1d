import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dodge } from "./dodge.js";

describe("dodge", () => {
  it("keeps separate marks on the first row and stacks a burst into a block", () => {
    expect(dodge([0, 20, 40], 10, 3).placements).toEqual([
      { row: 0, x: 0 },
      { row: 0, x: 20 },
      { row: 0, x: 40 },
    ]);
    const burst = dodge([5, 5, 5, 5, 5], 10, 2);
    expect(burst.count).toBe(2);
    expect(burst.placements).toEqual([
      { row: 0, x: 5 },
      { row: 1, x: 5 },
      { row: 0, x: 15 },
      { row: 1, x: 15 },
      { row: 0, x: 25 },
    ]);
  });

  it("never moves a mark left or past maxX, and spaces marks of a row by the gap", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 })), fc.integer({ min: 1, max: 6 }), (raw, rows) => {
        const xs = [...raw].sort((a, b) => a - b);
        const { placements, count } = dodge(xs, 10, rows, 400);
        expect(count).toBeLessThanOrEqual(rows);
        placements.forEach((p, i) => {
          expect(p.x).toBeGreaterThanOrEqual(xs[i]!);
          if (p.x > xs[i]!) expect(p.x).toBeLessThanOrEqual(400);
        });
        // Within a row, shifted marks keep the gap to the previous mark of that row.
        for (let row = 0; row < count; row += 1) {
          const inRow = placements.filter((p) => p.row === row);
          for (let k = 1; k < inRow.length; k += 1) {
            if (inRow[k]!.x !== xs[placements.indexOf(inRow[k]!)]) {
              expect(inRow[k]!.x - inRow[k - 1]!.x).toBeGreaterThanOrEqual(10 - 1e-9);
            }
          }
        }
      }),
    );
  });
});
