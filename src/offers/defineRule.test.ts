import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../test/offers/_fixtures.js";
import { createRuleSet } from "./createRuleSet.js";
import { defineRule } from "./defineRule.js";
import { evaluateRules } from "./evaluateRules.js";

const maxAmount = defineRule({
  id: "max-amount",
  defaults: { limit: 50_000 },
  evaluate(facts, { limit }) {
    const amount = facts.presentation.terms.amount;
    return typeof amount === "number" && amount > limit
      ? [
          {
            rule: "max-amount",
            severity: "error",
            message: `Amount ${amount} is over ${limit}`,
            evidence: { amount, limit },
          },
        ]
      : [];
  },
});

describe("defineRule", () => {
  it("returns the rule, which can be unit-tested alone and used in a rule set", () => {
    const catalogue = [offerVersion({ id: "loan", terms: { amount: 60_000 } })];
    const facts = factsFor(presented({ id: "x", offerId: "loan", at: day(2), terms: { amount: 60_000 } }), {
      catalogue,
    });
    expect(maxAmount.evaluate(facts, { limit: 50_000 })).toEqual([
      {
        rule: "max-amount",
        severity: "error",
        message: "Amount 60000 is over 50000",
        evidence: { amount: 60_000, limit: 50_000 },
      },
    ]);
    expect(maxAmount.evaluate(facts, { limit: 70_000 })).toEqual([]);
    const ruleSet = createRuleSet({ rules: { "max-amount": { limit: 10 } }, custom: [maxAmount] });
    expect(evaluateRules(ruleSet, facts).map((v) => v.message)).toEqual(["Amount 60000 is over 10"]);
  });
});
