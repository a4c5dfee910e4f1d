import { describe, expect, it } from "vitest";
import { comparePresentations } from "./comparePresentations.js";

describe("comparePresentations", () => {
  it("orders by at, then by id", () => {
    const list = [
      { id: "b", at: "2026-04-02T10:00:00.000Z" },
      { id: "a", at: "2026-04-02T10:00:00.000Z" },
      { id: "c", at: "2026-04-01T10:00:00.000Z" },
    ];
    expect(list.sort(comparePresentations).map((p) => p.id)).toEqual(["c", "a", "b"]);
    expect(comparePresentations(list[0]!, list[0]!)).toBe(0);
  });
});
