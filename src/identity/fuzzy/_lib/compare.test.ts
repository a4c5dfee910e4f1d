import { jaroWinkler as skyraJaroWinkler } from "@skyra/jaro-winkler";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jaroWinkler, metaphone } from "./compare.js";

describe("string metrics", () => {
  it("gives the textbook Jaro–Winkler values (Winkler 1990)", () => {
    expect(jaroWinkler("martha", "marhta")).toBeCloseTo(0.961, 3);
    expect(jaroWinkler("dwayne", "duane")).toBeCloseTo(0.84, 3);
    expect(jaroWinkler("dixon", "dicksonx")).toBeCloseTo(0.813, 3);
    expect(jaroWinkler("robert", "robert")).toBe(1);
    expect(jaroWinkler("abc", "xyz")).toBe(0);
  });

  it("boosts a common prefix only above a Jaro similarity of 0.7", () => {
    // Jaro("captaincookcrescent", "cableebach") < 0.7: the shared "ca" must not raise it.
    const raw = skyraJaroWinkler("captaincookcrescent", "cableebach");
    expect(jaroWinkler("captaincookcrescent", "cableebach")).toBeLessThan(raw);
    expect(jaroWinkler("captaincookcrescent", "cableebach")).toBeLessThan(0.7);
  });

  it("is a similarity in [0, 1], symmetric, and 1 only for equal strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
        expect(jaroWinkler(b, a)).toBeCloseTo(s, 12);
        if (a !== b) expect(s).toBeLessThan(1);
      }),
    );
  });

  it("keys names by Double Metaphone, at most four characters", () => {
    expect(metaphone("robert")).toBe("RPRT");
    expect(metaphone("catherine")).toBe(metaphone("kathryn"));
    expect(metaphone("schwarzenegger")).toHaveLength(4);
    expect(metaphone("o'neil")).toBe("o'neil");
  });
});
