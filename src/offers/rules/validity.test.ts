import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import { createRuleSet } from "../createRuleSet.js";
import { evaluateRules } from "../evaluateRules.js";
import { VALIDITY_DEFAULTS, validity } from "./validity.js";

const spring = offerVersion({ id: "loan", terms: { apr: 5.9 }, validFrom: day(2, 0), validTo: day(30, 23, 59) });
const at = (iso: string, channel = "web") =>
  factsFor(presented({ id: "x", offerId: "loan", channel, at: iso }), { catalogue: [spring] });

describe("validity", () => {
  it("fires before validFrom and after validTo", () => {
    expect(validity.evaluate(at(day(1)), VALIDITY_DEFAULTS)).toEqual([
      {
        rule: "validity",
        severity: "error",
        message: "Offer loan v1 presented on web on 1 Apr 2026, before it is valid from 2 Apr",
        evidence: { offerVersion: 1, at: day(1), validFrom: day(2, 0), validTo: day(30, 23, 59) },
      },
    ]);
    expect(validity.evaluate(at(day(31)), VALIDITY_DEFAULTS).map((v) => v.message)).toEqual([
      "Offer loan v1 presented on web on 1 May 2026, after it expired on 30 Apr",
    ]);
  });

  it("is silent inside the window, at both ends, and for offers without a window", () => {
    expect(validity.evaluate(at(day(15)), VALIDITY_DEFAULTS)).toEqual([]);
    expect(validity.evaluate(at(day(2, 0)), VALIDITY_DEFAULTS)).toEqual([]);
    expect(validity.evaluate(at(day(30, 23, 59)), VALIDITY_DEFAULTS)).toEqual([]);
    const open = factsFor(presented({ id: "x", offerId: "o", at: day(1) }), { catalogue: [offerVersion({ id: "o" })] });
    expect(validity.evaluate(open, VALIDITY_DEFAULTS)).toEqual([]);
  });

  it("judges the version the presentation was made under", () => {
    const v2 = offerVersion({ id: "loan", version: 2, validFrom: day(10, 0) });
    const facts = factsFor(presented({ id: "x", offerId: "loan", offerVersion: 2, at: day(5) }), {
      catalogue: [spring, v2],
    });
    expect(validity.evaluate(facts, VALIDITY_DEFAULTS)).toHaveLength(1);
  });

  it("reports the customer, not the identity the presentation came through", () => {
    const facts = factsFor(
      presented({ id: "x", profileId: "p-phone", offerId: "loan", channel: "phone", at: day(31) }),
      {
        catalogue: [spring],
        profileId: "p1",
      },
    );
    const found = evaluateRules(createRuleSet({ rules: { parity: false } }), facts);
    expect(found.map((v) => [v.rule, v.profileId, v.channel])).toEqual([["validity", "p1", "phone"]]);
  });

  it("has no exemption: transactional offers are checked too, and severity is configurable", () => {
    const t = offerVersion({ id: "t", category: "transactional", validTo: day(3) });
    const facts = factsFor(presented({ id: "x", offerId: "t", at: day(4) }), { catalogue: [t] });
    expect(validity.evaluate(facts, { severity: "warning" }).map((v) => v.severity)).toEqual(["warning"]);
  });
});
