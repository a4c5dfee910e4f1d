import { describe, expect, it } from "vitest";
import { day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import type { Presentation } from "../../schema/outputs.js";
import { CONTACT_CAP_DEFAULTS, ContactCapOptions, contactCap } from "./contactCap.js";

const promo = offerVersion({ id: "promo" });
const info = offerVersion({ id: "info", category: "service" });
const receipt = offerVersion({ id: "receipt", category: "transactional" });
const catalogue = [promo, info, receipt];
const options = (o: Record<string, unknown> = {}) => ContactCapOptions.parse({ ...CONTACT_CAP_DEFAULTS, ...o });
const earlier = (n: number, partial: Partial<Presentation> = {}) =>
  Array.from({ length: n }, (_, i) => presented({ id: `e${i}`, offerId: "promo", at: day(8 + i), ...partial }));
const now = (partial: Partial<Presentation> = {}) => presented({ id: "x", offerId: "promo", at: day(12), ...partial });

describe("contact-cap", () => {
  it("fires when the current presentation makes more than max within the window", () => {
    const found = contactCap.evaluate(factsFor(now(), { catalogue, history: earlier(3) }), options());
    expect(found).toEqual([
      {
        rule: "contact-cap",
        severity: "error",
        message: "4 marketing presentations within 7 days across channels (max 3)",
        evidence: {
          count: 4,
          max: 3,
          per: { days: 7 },
          since: day(5),
          channels: null,
          earlierPresentationIds: ["e0", "e1", "e2"],
        },
      },
    ]);
  });

  it("is silent at the cap, and does not count presentations at or before now - per", () => {
    expect(contactCap.evaluate(factsFor(now(), { catalogue, history: earlier(2) }), options())).toEqual([]);
    const old = presented({ id: "old", offerId: "promo", at: day(5) });
    expect(contactCap.evaluate(factsFor(now(), { catalogue, history: [old, ...earlier(2)] }), options())).toEqual([]);
    const inside = presented({ id: "in", offerId: "promo", at: day(5, 10, 1) });
    expect(
      contactCap.evaluate(factsFor(now(), { catalogue, history: [inside, ...earlier(2)] }), options()),
    ).toHaveLength(1);
    expect(
      contactCap.evaluate(factsFor(now(), { catalogue, history: earlier(1) }), options({ max: 1, per: { hours: 1 } })),
    ).toEqual([]);
  });

  it("counts across channels and identities of the same customer", () => {
    const history = [
      presented({ id: "a", profileId: "p-email", offerId: "promo", channel: "email", at: day(9) }),
      presented({ id: "b", profileId: "p-phone", offerId: "promo", channel: "sms", at: day(10) }),
      presented({ id: "c", profileId: "p1", offerId: "promo", channel: "web", at: day(11) }),
    ];
    expect(
      contactCap.evaluate(factsFor(now(), { catalogue, history, profileId: "p1" }), options())[0]?.evidence.count,
    ).toBe(4);
  });

  it("with channels, counts and caps only those channels", () => {
    const history = [
      ...earlier(2, { channel: "sms" }),
      presented({ id: "w", offerId: "promo", channel: "web", at: day(11) }),
    ];
    const sms = options({ channels: ["sms"], max: 2 });
    expect(contactCap.evaluate(factsFor(now({ channel: "sms" }), { catalogue, history }), sms)[0]?.message).toBe(
      "3 marketing presentations within 7 days on sms (max 2)",
    );
    expect(contactCap.evaluate(factsFor(now({ channel: "web" }), { catalogue, history }), sms)).toEqual([]);
  });

  it("exempts service offers: neither capped nor counted", () => {
    expect(
      contactCap.evaluate(factsFor(now({ offerId: "info" }), { catalogue, history: earlier(5) }), options()),
    ).toEqual([]);
    const services = earlier(5, { offerId: "info" });
    expect(contactCap.evaluate(factsFor(now(), { catalogue, history: services }), options())).toEqual([]);
  });

  it("exempts transactional offers: neither capped nor counted", () => {
    expect(
      contactCap.evaluate(factsFor(now({ offerId: "receipt" }), { catalogue, history: earlier(5) }), options()),
    ).toEqual([]);
    const receipts = earlier(5, { offerId: "receipt" });
    expect(contactCap.evaluate(factsFor(now(), { catalogue, history: receipts }), options())).toEqual([]);
  });
});
