import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import { EXCLUSIVITY_DEFAULTS, exclusivity } from "./exclusivity.js";

const gold = offerVersion({ id: "card-gold", exclusiveGroup: "cards" });
const silver = offerVersion({ id: "card-silver", exclusiveGroup: "cards" });
const loan = offerVersion({ id: "loan", exclusiveGroup: "loans" });
const catalogue = [gold, silver, loan];
const now = presented({ id: "x", offerId: "card-gold", channel: "phone", at: day(20) });

describe("exclusivity", () => {
  it("fires when another offer of the same group was presented within the period", () => {
    const earlier = presented({ id: "s1", offerId: "card-silver", channel: "web", at: day(2) });
    expect(exclusivity.evaluate(factsFor(now, { catalogue, history: [earlier] }), EXCLUSIVITY_DEFAULTS)).toEqual([
      {
        rule: "exclusivity",
        severity: "error",
        message:
          'Offer card-gold is in exclusive group "cards" with card-silver, presented on web on 2 Apr (within 30 days)',
        evidence: {
          group: "cards",
          offerVersion: 1,
          earlier: { presentationId: "s1", offerId: "card-silver", offerVersion: 1, channel: "web", at: day(2) },
          period: { days: 30 },
        },
      },
    ]);
  });

  it("is silent for the same offer, another group, no group, or an earlier presentation outside the period", () => {
    const same = presented({ id: "g0", offerId: "card-gold", at: day(10) });
    const other = presented({ id: "l0", offerId: "loan", at: day(10) });
    expect(exclusivity.evaluate(factsFor(now, { catalogue, history: [same, other] }), EXCLUSIVITY_DEFAULTS)).toEqual(
      [],
    );
    const old = presented({ id: "s0", offerId: "card-silver", at: day(1) });
    expect(
      exclusivity.evaluate(factsFor(now, { catalogue, history: [old] }), {
        ...EXCLUSIVITY_DEFAULTS,
        period: { days: 18 },
      }),
    ).toEqual([]);
    expect(
      exclusivity.evaluate(factsFor(now, { catalogue, history: [old] }), {
        ...EXCLUSIVITY_DEFAULTS,
        period: { days: 19 },
      }),
    ).toEqual([]);
    expect(
      exclusivity.evaluate(factsFor(now, { catalogue, history: [old] }), {
        ...EXCLUSIVITY_DEFAULTS,
        period: { days: 20 },
      }),
    ).toHaveLength(1);
    const plain = offerVersion({ id: "plain" });
    const facts = factsFor(presented({ id: "y", offerId: "plain", at: day(20) }), {
      catalogue: [...catalogue, plain],
      history: [old],
    });
    expect(exclusivity.evaluate(facts, EXCLUSIVITY_DEFAULTS)).toEqual([]);
  });

  it("uses the group of the version the earlier presentation was made under", () => {
    const silver2 = offerVersion({ id: "card-silver", version: 2 });
    const underV2 = presented({ id: "s2", offerId: "card-silver", offerVersion: 2, at: day(10) });
    expect(
      exclusivity.evaluate(
        factsFor(now, { catalogue: [...catalogue, silver2], history: [underV2] }),
        EXCLUSIVITY_DEFAULTS,
      ),
    ).toEqual([]);
    const underV1 = presented({ id: "s1", offerId: "card-silver", offerVersion: 1, at: day(10) });
    expect(
      exclusivity.evaluate(
        factsFor(now, { catalogue: [...catalogue, silver2], history: [underV1] }),
        EXCLUSIVITY_DEFAULTS,
      ),
    ).toHaveLength(1);
  });

  it("counts presentations made to another identity of the same customer", () => {
    const viaEmail = presented({
      id: "s1",
      profileId: "p-email",
      offerId: "card-silver",
      channel: "email",
      at: day(12),
    });
    const found = exclusivity.evaluate(
      factsFor(now, { catalogue, history: [viaEmail], profileId: "p1" }),
      EXCLUSIVITY_DEFAULTS,
    );
    expect(found.map((v) => v.evidence.earlier)).toEqual([
      { presentationId: "s1", offerId: "card-silver", offerVersion: 1, channel: "email", at: day(12) },
    ]);
  });

  it("reports each other offer once, with its most recent presentation; no category is exempt", () => {
    const bronze = offerVersion({ id: "card-bronze", category: "service", exclusiveGroup: "cards" });
    const history = [
      presented({ id: "s1", offerId: "card-silver", at: day(5) }),
      presented({ id: "s2", offerId: "card-silver", at: day(8) }),
      presented({ id: "b1", offerId: "card-bronze", at: day(6) }),
    ];
    const found = exclusivity.evaluate(
      factsFor(now, { catalogue: [...catalogue, bronze], history }),
      EXCLUSIVITY_DEFAULTS,
    );
    expect(found.map((v) => (v.evidence.earlier as { presentationId: string }).presentationId)).toEqual(["b1", "s2"]);
  });
});
