import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import { createRuleSet } from "../createRuleSet.js";
import { evaluateRules } from "../evaluateRules.js";
import { ELIGIBILITY_DEFAULTS, eligibility } from "./eligibility.js";

const loan = offerVersion({
  id: "loan",
  eligibility: {
    all: [
      { trait: "age", op: "gte", value: 18 },
      { tag: "blocked", present: false },
    ],
  },
});
const facts = (traits: Record<string, number | string>, tags: string[] = [], profileId = "p1") =>
  factsFor(presented({ id: "x", profileId, offerId: "loan", at: day(2) }), { catalogue: [loan], traits, tags });

describe("eligibility", () => {
  it("fires when the profile does not meet the condition, naming what failed", () => {
    expect(eligibility.evaluate(facts({ age: 16 }, ["blocked"]), ELIGIBILITY_DEFAULTS)).toEqual([
      {
        rule: "eligibility",
        severity: "error",
        message: "Profile p1 is not eligible for loan v1: age gte 18 (is 16); tag blocked absent (it is present)",
        evidence: {
          offerVersion: 1,
          failed: ["age gte 18 (is 16)", "tag blocked absent (it is present)"],
          condition: loan.eligibility,
        },
      },
    ]);
    expect(eligibility.evaluate(facts({}), ELIGIBILITY_DEFAULTS)[0]?.message).toBe(
      "Profile p1 is not eligible for loan v1: age gte 18 (missing)",
    );
  });

  it("is silent when the profile meets it, or the offer has no condition", () => {
    expect(eligibility.evaluate(facts({ age: 30 }), ELIGIBILITY_DEFAULTS)).toEqual([]);
    const open = factsFor(presented({ id: "x", offerId: "o", at: day(2) }), { catalogue: [offerVersion({ id: "o" })] });
    expect(eligibility.evaluate(open, ELIGIBILITY_DEFAULTS)).toEqual([]);
  });

  it("uses the resolved profile's traits for a presentation made through another identity", () => {
    const viaPhone = factsFor(
      presented({ id: "x", profileId: "p-phone", offerId: "loan", channel: "phone", at: day(2) }),
      {
        catalogue: [loan],
        traits: { age: 40 },
        profileId: "p1",
      },
    );
    expect(evaluateRules(createRuleSet(), viaPhone)).toEqual([]);
    const young = factsFor(
      presented({ id: "y", profileId: "p-phone", offerId: "loan", channel: "phone", at: day(2) }),
      {
        catalogue: [loan],
        traits: { age: 17 },
        profileId: "p1",
      },
    );
    expect(evaluateRules(createRuleSet(), young).map((v) => [v.rule, v.profileId])).toEqual([["eligibility", "p1"]]);
  });

  it("has no exemption: service and transactional offers are checked too", () => {
    for (const category of ["service", "transactional"] as const) {
      const offer = offerVersion({ id: "o", category, eligibility: { tag: "customer" } });
      const f = factsFor(presented({ id: "x", offerId: "o", at: day(2) }), { catalogue: [offer] });
      expect(eligibility.evaluate(f, ELIGIBILITY_DEFAULTS)).toHaveLength(1);
    }
  });
});
