import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Condition } from "../schema/inputs.js";
import { evaluateCondition } from "./evaluateCondition.js";

const subject = {
  traits: { age: 30, country: "PL", name: "Jan Kowalski", vip: true, since: "2020-01-01" },
  tags: ["gold"],
};
const ok = (condition: Condition) => evaluateCondition(condition, subject).ok;

describe("evaluateCondition", () => {
  it("evaluates every operator on present traits", () => {
    expect(ok({ trait: "age", op: "eq", value: 30 })).toBe(true);
    expect(ok({ trait: "age", op: "eq", value: "30" })).toBe(false);
    expect(ok({ trait: "age", op: "ne", value: 31 })).toBe(true);
    expect(ok({ trait: "age", op: "gt", value: 29 })).toBe(true);
    expect(ok({ trait: "age", op: "gt", value: 30 })).toBe(false);
    expect(ok({ trait: "age", op: "gte", value: 30 })).toBe(true);
    expect(ok({ trait: "age", op: "lt", value: 30 })).toBe(false);
    expect(ok({ trait: "age", op: "lte", value: 30 })).toBe(true);
    expect(ok({ trait: "since", op: "lt", value: "2021-01-01" })).toBe(true);
    expect(ok({ trait: "age", op: "gt", value: "1" })).toBe(false);
    expect(ok({ trait: "country", op: "in", value: ["PL", "DE"] })).toBe(true);
    expect(ok({ trait: "country", op: "nin", value: ["PL", "DE"] })).toBe(false);
    expect(ok({ trait: "name", op: "contains", value: "Kowal" })).toBe(true);
    expect(ok({ trait: "age", op: "contains", value: "3" })).toBe(false);
    expect(ok({ trait: "vip", op: "exists" })).toBe(true);
    expect(ok({ trait: "vip", op: "exists", value: false })).toBe(false);
  });

  it("treats a missing trait as failing, except ne, nin and exists: false", () => {
    for (const op of ["eq", "gt", "gte", "lt", "lte", "in", "contains", "exists"] as const) {
      expect(ok({ trait: "income", op, value: op === "in" ? [1] : 1 })).toBe(false);
    }
    expect(ok({ trait: "income", op: "ne", value: 1 })).toBe(true);
    expect(ok({ trait: "income", op: "nin", value: [1] })).toBe(true);
    expect(ok({ trait: "income", op: "exists", value: false })).toBe(true);
    expect(evaluateCondition({ trait: "income", op: "eq", value: 1 }, { traits: { income: null }, tags: [] }).ok).toBe(
      false,
    );
  });

  it("combines with all, any and not, and reports the failing leaves", () => {
    expect(ok({ tag: "gold" })).toBe(true);
    expect(ok({ tag: "gold", present: false })).toBe(false);
    expect(
      evaluateCondition(
        {
          all: [
            { trait: "age", op: "gte", value: 18 },
            { any: [{ tag: "silver" }, { trait: "country", op: "eq", value: "DE" }] },
          ],
        },
        subject,
      ),
    ).toEqual({ ok: false, failed: ["tag silver present (it is not)", 'country eq "DE" (is "PL")'] });
    expect(evaluateCondition({ any: [{ tag: "silver" }, { tag: "gold" }] }, subject)).toEqual({ ok: true, failed: [] });
    expect(evaluateCondition({ not: { tag: "gold" } }, subject)).toEqual({
      ok: false,
      failed: ["not (tag gold present)"],
    });
    expect(ok({ not: { tag: "silver" } })).toBe(true);
  });

  it("not inverts, and all/any agree with every/some over their children", () => {
    const leaf = fc.constantFrom<Condition>(
      { trait: "age", op: "gt", value: 18 },
      { trait: "age", op: "lt", value: 18 },
      { tag: "gold" },
      { tag: "silver" },
      { trait: "missing", op: "ne", value: 1 },
    );
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 5 }), (children) => {
        const each = children.map(ok);
        expect(ok({ all: children })).toBe(each.every(Boolean));
        expect(ok({ any: children })).toBe(each.some(Boolean));
        expect(ok({ not: { all: children } })).toBe(!each.every(Boolean));
        expect(evaluateCondition({ all: children }, subject).failed.length).toBe(each.filter((x) => !x).length);
      }),
    );
  });
});
