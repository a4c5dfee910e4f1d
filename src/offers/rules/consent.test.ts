import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import type { Consent } from "../../schema/outputs.js";
import { CONSENT_DEFAULTS, consent } from "./consent.js";

const promo = offerVersion({ id: "promo" });
const info = offerVersion({ id: "info", category: "service" });
const receipt = offerVersion({ id: "receipt", category: "transactional" });
const catalogue = [promo, info, receipt];
const decision = (id: string, at: string, granted: boolean, partial: Partial<Consent> = {}): Consent => ({
  id,
  profileId: "p1",
  channel: "sms",
  purpose: "marketing",
  granted,
  at,
  ...partial,
});
const facts = (consents: Consent[], offerId = "promo", channel = "sms") =>
  factsFor(presented({ id: "x", offerId, channel, at: day(10) }), { catalogue, consents });

describe("consent", () => {
  it("fires when the latest decision for the channel and purpose is an opt-out", () => {
    expect(consent.evaluate(facts([decision("c1", day(2), false, { source: "sms STOP" })]), CONSENT_DEFAULTS)).toEqual([
      {
        rule: "consent",
        severity: "error",
        message: "Customer opted out of marketing on sms on 2 Apr",
        evidence: {
          channel: "sms",
          purpose: "marketing",
          decision: { consentId: "c1", granted: false, at: day(2), source: "sms STOP" },
          requireOptIn: false,
        },
      },
    ]);
    const sameTime = [decision("b", day(2), true), decision("a", day(2), false)];
    expect(consent.evaluate(facts(sameTime), CONSENT_DEFAULTS)).toEqual([]);
  });

  it("is silent with no decision, a later opt-in, an opt-out after now, another channel or purpose", () => {
    expect(consent.evaluate(facts([]), CONSENT_DEFAULTS)).toEqual([]);
    expect(
      consent.evaluate(facts([decision("c1", day(2), false), decision("c2", day(3), true)]), CONSENT_DEFAULTS),
    ).toEqual([]);
    expect(consent.evaluate(facts([decision("c1", day(11), false)]), CONSENT_DEFAULTS)).toEqual([]);
    expect(consent.evaluate(facts([decision("c1", day(2), false, { channel: "email" })]), CONSENT_DEFAULTS)).toEqual(
      [],
    );
    expect(consent.evaluate(facts([decision("c1", day(2), false, { purpose: "research" })]), CONSENT_DEFAULTS)).toEqual(
      [],
    );
    expect(consent.evaluate(facts([decision("c1", day(10), false)]), CONSENT_DEFAULTS)).toHaveLength(1);
  });

  it("with requireOptIn, fires when there is no decision", () => {
    const found = consent.evaluate(facts([]), { ...CONSENT_DEFAULTS, requireOptIn: true });
    expect(found.map((v) => v.message)).toEqual(["Customer has not opted in to marketing on sms"]);
    expect(
      consent.evaluate(facts([decision("c1", day(2), true)]), { ...CONSENT_DEFAULTS, requireOptIn: true }),
    ).toEqual([]);
  });

  it("applies a decision recorded through another identity of the same customer", () => {
    const viaEmailProfile = decision("c1", day(2), false, { profileId: "p-email" });
    expect(consent.evaluate(facts([viaEmailProfile]), CONSENT_DEFAULTS)).toHaveLength(1);
  });

  it("checks service offers and exempts transactional offers", () => {
    const optOut = [decision("c1", day(2), false)];
    expect(consent.evaluate(facts(optOut, "info"), CONSENT_DEFAULTS)).toHaveLength(1);
    expect(consent.evaluate(facts(optOut, "receipt"), CONSENT_DEFAULTS)).toEqual([]);
  });
});
