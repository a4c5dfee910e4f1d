import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import { createRuleSet } from "../createRuleSet.js";
import { evaluateRules } from "../evaluateRules.js";
import { HONOUR_DEFAULTS, HonourOptions, honour } from "./honour.js";

const v1 = offerVersion({ id: "loan", version: 1, terms: { apr: 5.9, fee: 0 } });
const v2 = offerVersion({ id: "loan", version: 2, terms: { apr: 6.9, fee: 0 }, definedAt: day(5) });
const catalogue = [v1, v2];
const options = (o: Record<string, unknown> = {}) => HonourOptions.parse({ ...HONOUR_DEFAULTS, ...o });
const webQuote = presented({
  id: "w1",
  offerId: "loan",
  offerVersion: 1,
  channel: "web",
  at: day(2),
  terms: { apr: 5.9 },
});
const phoneQuote = (terms: Record<string, number>, at = day(6)) =>
  presented({ id: "ph1", offerId: "loan", offerVersion: 2, channel: "phone", at, terms });

describe("honour", () => {
  it("scenario: APR changes mid-campaign; the customer who saw the old APR on the web gets a violation by phone", () => {
    const ruleSet = createRuleSet();
    const returning = evaluateRules(ruleSet, factsFor(phoneQuote({ apr: 6.9 }), { catalogue, history: [webQuote] }));
    expect(returning).toEqual([
      {
        rule: "honour",
        severity: "error",
        message: "APR 6.9 on phone differs from 5.9 shown on web on 2 Apr",
        offerId: "loan",
        channel: "phone",
        profileId: "p1",
        presentationId: "ph1",
        evidence: {
          term: "apr",
          presented: 6.9,
          shown: 5.9,
          direction: "lower",
          worseForCustomer: true,
          offerVersion: 2,
          earlier: { presentationId: "w1", channel: "web", at: day(2), offerVersion: 1 },
          validFor: "30 days",
        },
      },
    ]);
    const newcomer = presented({
      id: "n1",
      profileId: "p2",
      offerId: "loan",
      offerVersion: 2,
      channel: "phone",
      at: day(6),
      terms: { apr: 6.9 },
    });
    expect(evaluateRules(ruleSet, factsFor(newcomer, { catalogue }))).toEqual([]);
  });

  it("is a warning when the new terms are better for the customer, or a term has no direction", () => {
    const better = honour.evaluate(factsFor(phoneQuote({ apr: 4.9 }), { catalogue, history: [webQuote] }), options());
    expect(better.map((v) => v.severity)).toEqual(["warning"]);
    const earlier = presented({ ...webQuote, terms: { apr: 5.9, months: 12 } });
    const noDirection = honour.evaluate(
      factsFor(phoneQuote({ apr: 5.9, months: 24 }), { catalogue, history: [earlier] }),
      options(),
    );
    expect(noDirection.map((v) => [v.severity, v.message])).toEqual([
      ["warning", "months 24 on phone differs from 12 shown on web on 2 Apr"],
    ]);
    const higherIsBetter = honour.evaluate(
      factsFor(phoneQuote({ apr: 5.9, months: 12 - 1 }), { catalogue, history: [earlier] }),
      options({ directions: { months: "higher" } }),
    );
    expect(higherIsBetter.map((v) => v.severity)).toEqual(["error"]);
  });

  it("is silent for the same terms, another offer, an earlier quote past the honour period or past its version's validTo", () => {
    expect(honour.evaluate(factsFor(phoneQuote({ apr: 5.9 }), { catalogue, history: [webQuote] }), options())).toEqual(
      [],
    );
    const other = presented({ ...webQuote, offerId: "card" });
    const withCard = [...catalogue, offerVersion({ id: "card", terms: { apr: 5.9 } })];
    expect(
      honour.evaluate(factsFor(phoneQuote({ apr: 6.9 }), { catalogue: withCard, history: [other] }), options()),
    ).toEqual([]);
    const late = phoneQuote({ apr: 6.9 }, day(2 + 31));
    expect(honour.evaluate(factsFor(late, { catalogue, history: [webQuote] }), options())).toEqual([]);
    expect(
      honour.evaluate(factsFor(late, { catalogue, history: [webQuote] }), options({ period: false })),
    ).toHaveLength(1);
    expect(
      honour.evaluate(factsFor(late, { catalogue, history: [webQuote] }), options({ period: { months: 1 } })),
    ).toEqual([]);
    expect(
      honour.evaluate(
        factsFor(phoneQuote({ apr: 6.9 }, day(30)), { catalogue, history: [webQuote] }),
        options({ period: { months: 1 } }),
      ),
    ).toHaveLength(1);
    const expiring = [offerVersion({ ...v1, validTo: day(4) }), v2];
    expect(
      honour.evaluate(factsFor(phoneQuote({ apr: 6.9 }), { catalogue: expiring, history: [webQuote] }), options()),
    ).toEqual([]);
    expect(
      honour.evaluate(
        factsFor(phoneQuote({ apr: 6.9 }, day(4)), { catalogue: expiring, history: [webQuote] }),
        options(),
      ),
    ).toHaveLength(1);
  });

  it("keeps the honour period boundary inclusive", () => {
    const atEnd = phoneQuote({ apr: 6.9 }, new Date(Date.parse(day(2)) + 30 * 86_400_000).toISOString());
    expect(honour.evaluate(factsFor(atEnd, { catalogue, history: [webQuote] }), options())).toHaveLength(1);
    const justAfter = phoneQuote({ apr: 6.9 }, new Date(Date.parse(day(2)) + 30 * 86_400_000 + 1).toISOString());
    expect(honour.evaluate(factsFor(justAfter, { catalogue, history: [webQuote] }), options())).toEqual([]);
  });

  it("compares with the most recent valid quote of every channel", () => {
    const webAgain = presented({ id: "w2", offerId: "loan", channel: "web", at: day(3), terms: { apr: 5.5 } });
    const phoneEarlier = presented({
      id: "ph0",
      offerId: "loan",
      offerVersion: 2,
      channel: "phone",
      at: day(5),
      terms: { apr: 6.9 },
    });
    const found = honour.evaluate(
      factsFor(phoneQuote({ apr: 6.9 }), { catalogue, history: [phoneEarlier, webAgain, webQuote] }),
      options(),
    );
    expect(found.map((v) => v.message)).toEqual(["APR 6.9 on phone differs from 5.5 shown on web on 3 Apr"]);
  });

  it("counts quotes given to another identity of the same customer (an id absorbed by a merge)", () => {
    const byEmail = presented({ ...webQuote, profileId: "p-email" });
    const found = evaluateRules(
      createRuleSet(),
      factsFor(phoneQuote({ apr: 6.9 }), { catalogue, history: [byEmail], profileId: "p1" }),
    );
    expect(found.map((v) => [v.rule, v.profileId])).toEqual([["honour", "p1"]]);
  });

  it("has no exemption: transactional offers are checked too", () => {
    const t1 = offerVersion({ id: "loan", version: 1, category: "transactional", terms: { apr: 5.9 } });
    const t2 = offerVersion({ id: "loan", version: 2, category: "transactional", terms: { apr: 6.9 } });
    const found = honour.evaluate(
      factsFor(phoneQuote({ apr: 6.9 }), { catalogue: [t1, t2], history: [webQuote] }),
      options(),
    );
    expect(found).toHaveLength(1);
  });

  it("names the year when the earlier quote was in another year", () => {
    const old = presented({ ...webQuote, at: "2025-12-30T10:00:00.000Z" });
    const found = honour.evaluate(
      factsFor(phoneQuote({ apr: 6.9 }, "2026-01-05T10:00:00.000Z"), { catalogue, history: [old] }),
      options(),
    );
    expect(found[0]?.message).toBe("APR 6.9 on phone differs from 5.9 shown on web on 30 Dec 2025");
  });
});
