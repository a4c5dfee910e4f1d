import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import { createRuleSet } from "../createRuleSet.js";
import { evaluateRules } from "../evaluateRules.js";
import { PARITY_DEFAULTS, ParityOptions, parity } from "./parity.js";

const loan = offerVersion({
  id: "loan",
  terms: { apr: 5.9, fee: 0, currency: "EUR" },
  channelTerms: { store: { fee: 10 } },
  channels: ["web", "phone", "store"],
});
const options = (o: Record<string, unknown> = {}) => ParityOptions.parse({ ...PARITY_DEFAULTS, ...o });

describe("parity", () => {
  it("fires when a presented term differs from the catalogue", () => {
    const facts = factsFor(
      presented({ id: "x1", offerId: "loan", channel: "phone", at: day(2), terms: { apr: 6.9 } }),
      {
        catalogue: [loan],
      },
    );
    const violations = parity.evaluate(facts, options());
    expect(violations).toEqual([
      {
        rule: "parity",
        severity: "error",
        message: "APR 6.9 on phone differs from the catalogue's 5.9 (loan v1)",
        evidence: { offerVersion: 1, term: "apr", presented: 6.9, expected: 5.9, source: "terms", tolerance: 0 },
      },
    ]);
  });

  it("applies declared channel overrides and flags an undeclared per-channel difference", () => {
    const inStore = factsFor(
      presented({ id: "x1", offerId: "loan", channel: "store", at: day(2), terms: { fee: 10 } }),
      {
        catalogue: [loan],
      },
    );
    expect(parity.evaluate(inStore, options())).toEqual([]);
    const onWeb = factsFor(presented({ id: "x2", offerId: "loan", channel: "web", at: day(2), terms: { fee: 10 } }), {
      catalogue: [loan],
    });
    expect(parity.evaluate(onWeb, options()).map((v) => v.message)).toEqual([
      "fee 10 on web differs from the catalogue's 0 (loan v1)",
    ]);
    const storeWithBaseFee = factsFor(
      presented({ id: "x3", offerId: "loan", channel: "store", at: day(2), terms: { fee: 0 } }),
      { catalogue: [loan] },
    );
    expect(parity.evaluate(storeWithBaseFee, options())[0]?.evidence).toMatchObject({
      source: "channelTerms",
      expected: 10,
    });
  });

  it("is silent for equal terms, a subset of terms, values within tolerance and ignored terms", () => {
    const at = day(2);
    const same = factsFor(presented({ id: "a", offerId: "loan", at, terms: { apr: 5.9, fee: 0, currency: "EUR" } }), {
      catalogue: [loan],
    });
    expect(parity.evaluate(same, options())).toEqual([]);
    const subset = factsFor(presented({ id: "b", offerId: "loan", at, terms: { apr: 5.9 } }), { catalogue: [loan] });
    expect(parity.evaluate(subset, options())).toEqual([]);
    const close = factsFor(presented({ id: "c", offerId: "loan", at, terms: { apr: 5.95 } }), { catalogue: [loan] });
    expect(parity.evaluate(close, options({ tolerance: 0.05 }))).toEqual([]);
    expect(parity.evaluate(close, options({ tolerance: 0.01 }))).toHaveLength(1);
    expect(parity.evaluate(close, options({ ignore: ["apr"] }))).toEqual([]);
  });

  it("flags terms the catalogue does not have, and missing terms with requireAll", () => {
    const facts = factsFor(presented({ id: "a", offerId: "loan", at: day(2), terms: { apr: 5.9, bonus: 100 } }), {
      catalogue: [loan],
    });
    expect(parity.evaluate(facts, options()).map((v) => v.message)).toEqual([
      "bonus 100 on web is not a term of loan v1 in the catalogue",
    ]);
    expect(parity.evaluate(facts, options({ requireAll: true })).map((v) => v.message)).toEqual([
      "bonus 100 on web is not a term of loan v1 in the catalogue",
      "currency was not presented on web; the catalogue has EUR (loan v1)",
      "fee was not presented on web; the catalogue has 0 (loan v1)",
    ]);
  });

  it("flags a channel the offer is not offered on, unless switched off", () => {
    const facts = factsFor(presented({ id: "a", offerId: "loan", channel: "sms", at: day(2), terms: { apr: 5.9 } }), {
      catalogue: [loan],
    });
    expect(parity.evaluate(facts, options()).map((v) => v.message)).toEqual([
      "Offer loan is not offered on sms (channels: web, phone, store)",
    ]);
    expect(parity.evaluate(facts, options({ channels: false }))).toEqual([]);
  });

  it("judges each identity of one customer against the same catalogue and reports the profile", () => {
    const ruleSet = createRuleSet({ rules: { honour: false } });
    const byEmail = factsFor(
      presented({ id: "e", profileId: "p-email", offerId: "loan", channel: "web", at: day(2), terms: { apr: 6.9 } }),
      { catalogue: [loan], profileId: "p1" },
    );
    const byPhone = factsFor(
      presented({ id: "f", profileId: "p1", offerId: "loan", channel: "phone", at: day(3), terms: { apr: 6.9 } }),
      { catalogue: [loan], profileId: "p1" },
    );
    const found = [...evaluateRules(ruleSet, byEmail), ...evaluateRules(ruleSet, byPhone)];
    expect(found.map((v) => [v.rule, v.profileId, v.channel])).toEqual([
      ["parity", "p1", "web"],
      ["parity", "p1", "phone"],
    ]);
  });

  it("has no exemption: transactional and service offers are checked too", () => {
    for (const category of ["transactional", "service"] as const) {
      const offer = offerVersion({ id: "o", category, terms: { price: 10 } });
      const facts = factsFor(presented({ id: "a", offerId: "o", at: day(2), terms: { price: 12 } }), {
        catalogue: [offer],
      });
      expect(parity.evaluate(facts, options())).toHaveLength(1);
    }
  });
});
