import { describe, expect, it } from "vitest";
import { quantile } from "./quantile.js";

describe("quantile", () => {
  it("interpolates between closest ranks (type 7)", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9.1);
    expect(quantile([180, 600, 7200], 0.9)).toBe(5880);
  });
});
