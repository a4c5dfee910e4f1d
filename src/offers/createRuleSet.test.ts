import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError, isCustomerContextError } from "../errors.js";
import { BUILT_IN_RULES } from "./builtInRules.js";
import { createRuleSet } from "./createRuleSet.js";
import { defineRule } from "./defineRule.js";
import type { RuleSetOptions } from "./types.js";

const issuesOf = (options: RuleSetOptions) => {
  try {
    createRuleSet(options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(isCustomerContextError(error, "invalid_input")).toBe(true);
    return (error as InvalidInputError).details;
  }
  throw new Error("expected createRuleSet to throw");
};

const maxAmount = defineRule({
  id: "max-amount",
  options: z.strictObject({ limit: z.number().positive() }),
  defaults: { limit: 50_000 },
  evaluate: () => [],
});

describe("createRuleSet", () => {
  it("enables every built-in rule with its defaults, in order", () => {
    const ruleSet = createRuleSet();
    expect(ruleSet.rules.map((r) => r.id)).toEqual([
      "parity",
      "honour",
      "validity",
      "eligibility",
      "exclusivity",
      "contact-cap",
      "consent",
      "complaint-suppression",
    ]);
    expect(ruleSet.rules.map((r) => r.id)).toEqual(BUILT_IN_RULES.map((r) => r.id));
    expect(ruleSet.rules.find((r) => r.id === "contact-cap")?.options).toEqual({
      max: 3,
      per: { days: 7 },
      severity: "error",
    });
    expect(Object.isFrozen(ruleSet.rules)).toBe(true);
  });

  it("switches rules off, merges options over defaults and appends custom rules", () => {
    const ruleSet = createRuleSet({
      rules: {
        exclusivity: false,
        "contact-cap": { max: 2 },
        honour: { directions: { points: "higher" } },
        "max-amount": { limit: 10 },
      },
      custom: [maxAmount],
    });
    expect(ruleSet.rules.map((r) => r.id)).not.toContain("exclusivity");
    expect(ruleSet.rules.at(-1)).toMatchObject({ id: "max-amount", builtIn: false, options: { limit: 10 } });
    expect(ruleSet.rules.find((r) => r.id === "contact-cap")?.options).toEqual({
      max: 2,
      per: { days: 7 },
      severity: "error",
    });
    const honour = ruleSet.rules.find((r) => r.id === "honour")?.options as { directions: Record<string, string> };
    expect(honour.directions).toMatchObject({ points: "higher", apr: "lower", discount: "higher" });
    expect(createRuleSet({ rules: { "max-amount": false }, custom: [maxAmount] }).rules.map((r) => r.id)).not.toContain(
      "max-amount",
    );
  });

  it("rejects bad options and invalid durations with paths under offers.rules", () => {
    expect(issuesOf({ rules: { "contact-cap": { per: { days: -1 } } } })).toEqual([
      {
        path: ["offers", "rules", "contact-cap", "per", "days"],
        code: expect.any(String),
        message: expect.any(String),
      },
    ]);
    expect(issuesOf({ rules: { "contact-cap": { per: {} } } }).map((i) => i.path.join("."))).toEqual([
      "offers.rules.contact-cap.per",
    ]);
    expect(issuesOf({ rules: { "contact-cap": { per: { fortnights: 1 } } } }).map((i) => i.path.join("."))).toContain(
      "offers.rules.contact-cap.per.fortnights",
    );
    expect(issuesOf({ rules: { exclusivity: { period: { days: 1.5 } } } }).map((i) => i.path.join("."))).toEqual([
      "offers.rules.exclusivity.period.days",
    ]);
    expect(
      issuesOf({ rules: { parity: { tolerance: -1, colour: "red" } } })
        .map((i) => i.path.join("."))
        .sort(),
    ).toEqual(["offers.rules.parity.colour", "offers.rules.parity.tolerance"]);
    expect(issuesOf({ rules: { honour: { directions: { apr: "sideways" } } } }).map((i) => i.path.join("."))).toEqual([
      "offers.rules.honour.directions.apr",
    ]);
    expect(issuesOf({ rules: { consent: true as never } })).toEqual([
      { path: ["offers", "rules", "consent"], code: expect.any(String), message: "must be false or an options object" },
    ]);
    expect(
      issuesOf({ rules: { "max-amount": { limit: -5 } }, custom: [maxAmount] }).map((i) => i.path.join(".")),
    ).toEqual(["offers.rules.max-amount.limit"]);
  });

  it("rejects unknown rule ids, duplicate custom ids and custom ids that clash with built-in rules", () => {
    expect(issuesOf({ rules: { "contact-capp": false } })).toEqual([
      {
        path: ["offers", "rules", "contact-capp"],
        code: expect.any(String),
        message: expect.stringContaining('unknown rule "contact-capp"'),
      },
    ]);
    expect(issuesOf({ custom: [maxAmount, { ...maxAmount }] })).toEqual([
      {
        path: ["offers", "custom", 1, "id"],
        code: expect.any(String),
        message: 'duplicate custom rule id "max-amount"',
      },
    ]);
    expect(issuesOf({ custom: [{ ...maxAmount, id: "parity" }] })).toEqual([
      {
        path: ["offers", "custom", 0, "id"],
        code: expect.any(String),
        message: '"parity" clashes with the built-in rule of that id',
      },
    ]);
    expect(issuesOf({ custom: [{ id: "x" } as never] }).map((i) => i.path.join("."))).toEqual(["offers.custom.0"]);
    expect(issuesOf({ custom: [{ id: "", evaluate: () => [] }] }).map((i) => i.path.join("."))).toEqual([
      "offers.custom.0.id",
    ]);
  });

  it("lists every problem at once", () => {
    const issues = issuesOf({
      rules: { nope: false, "contact-cap": { max: -1 } },
      custom: [{ ...maxAmount, id: "honour" }],
    });
    expect(issues.map((i) => i.path.join(".")).sort()).toEqual([
      "offers.custom.0.id",
      "offers.rules.contact-cap.max",
      "offers.rules.nope",
    ]);
  });

  it("gives a custom rule without schema its defaults merged with the given options", () => {
    const plain = { id: "plain", defaults: { a: 1, b: 2 }, evaluate: () => [] };
    expect(createRuleSet({ rules: { plain: { b: 3 } }, custom: [plain] }).rules.at(-1)?.options).toEqual({
      a: 1,
      b: 3,
    });
    const bare = { id: "bare", evaluate: () => [] };
    expect(createRuleSet({ custom: [bare] }).rules.at(-1)?.options).toEqual({});
  });
});
