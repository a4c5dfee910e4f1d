import { describe, expect, it } from "vitest";
import { conversation, day, deepFreeze, factsFor, offerVersion, presented } from "../../test/offers/_fixtures.js";
import type { Violation } from "../schema/outputs.js";
import { createRuleSet } from "./createRuleSet.js";
import { defineRule } from "./defineRule.js";
import { evaluateRules } from "./evaluateRules.js";

const loan = offerVersion({ id: "loan", terms: { apr: 5.9 }, validTo: day(20), exclusiveGroup: "credit" });
const card = offerVersion({ id: "card", terms: { apr: 19.9 }, exclusiveGroup: "credit" });
const catalogue = [loan, card];

describe("evaluateRules", () => {
  it("fills offerId, channel, profileId and presentationId, and forces rule to the rule's id", () => {
    const custom = defineRule({
      id: "always",
      evaluate: () => [{ rule: "something-else", severity: "warning", message: "hello", evidence: { n: 1 } }],
    });
    const found = evaluateRules(
      createRuleSet({ custom: [custom] }),
      factsFor(presented({ id: "x1", profileId: "p-old", offerId: "loan", channel: "sms", at: day(2) }), {
        catalogue,
        profileId: "p1",
      }),
    );
    expect(found).toEqual([
      {
        rule: "always",
        severity: "warning",
        message: "hello",
        offerId: "loan",
        channel: "sms",
        profileId: "p1",
        presentationId: "x1",
        evidence: { n: 1 },
      },
    ]);
    const preflight = factsFor(
      { profileId: "p1", offerId: "loan", offerVersion: 1, channel: "sms", at: day(2), terms: {} },
      { catalogue },
    );
    expect(evaluateRules(createRuleSet({ custom: [custom] }), preflight)[0]).not.toHaveProperty("presentationId");
  });

  it("keeps what the rule filled in", () => {
    const custom = defineRule({
      id: "explicit",
      evaluate: () => [
        { rule: "explicit", severity: "error", message: "m", offerId: "other", channel: "web", evidence: {} },
      ],
    });
    const facts = factsFor(presented({ id: "x", offerId: "loan", channel: "sms", at: day(2) }), { catalogue });
    expect(evaluateRules(createRuleSet({ custom: [custom] }), facts)[0]).toMatchObject({
      offerId: "other",
      channel: "web",
    });
  });

  it("reports a custom rule that throws, or returns no array, as an error of that rule and runs the others", () => {
    const broken = defineRule({
      id: "broken",
      evaluate: () => {
        throw new RangeError("no such term");
      },
    });
    const sloppy = { id: "sloppy", evaluate: () => undefined as unknown as Violation[] };
    const facts = factsFor(presented({ id: "x", offerId: "loan", at: day(25), terms: { apr: 5.9 } }), { catalogue });
    const found = evaluateRules(createRuleSet({ custom: [broken, sloppy] }), facts);
    expect(found.map((v) => [v.rule, v.severity, v.message])).toEqual([
      ["validity", "error", "Offer loan v1 presented on web on 25 Apr 2026, after it expired on 20 Apr"],
      ["broken", "error", "Rule broken failed: no such term"],
      ["sloppy", "error", "Rule sloppy failed: evaluate returned undefined, not an array"],
    ]);
    expect(found[1]?.evidence).toEqual({ error: "RangeError", message: "no such term" });
  });

  it("orders by rule position, then message, then evidence", () => {
    const unordered = defineRule({
      id: "unordered",
      evaluate: () => [
        { rule: "unordered", severity: "error", message: "b", evidence: { k: 2 } },
        { rule: "unordered", severity: "error", message: "a", evidence: { k: 9 } },
        { rule: "unordered", severity: "error", message: "b", evidence: { k: 1 } },
      ],
    });
    const facts = factsFor(presented({ id: "x", offerId: "loan", at: day(2), terms: { apr: 6 } }), { catalogue });
    const found = evaluateRules(createRuleSet({ custom: [unordered] }), facts);
    expect(found.map((v) => [v.rule, v.message, v.evidence.k])).toEqual([
      ["parity", "APR 6 on web differs from the catalogue's 5.9 (loan v1)", undefined],
      ["unordered", "a", 9],
      ["unordered", "b", 1],
      ["unordered", "b", 2],
    ]);
  });

  it("never mutates the facts, even with every rule firing", () => {
    const history = [
      presented({ id: "h1", offerId: "loan", at: day(1), terms: { apr: 4.9 } }),
      presented({ id: "h2", offerId: "card", at: day(2) }),
      presented({ id: "h3", offerId: "card", at: day(3) }),
      presented({ id: "h4", offerId: "card", at: day(3, 11) }),
    ];
    const facts = deepFreeze(
      factsFor(presented({ id: "x", offerId: "loan", channel: "sms", at: day(4), terms: { apr: 6.9 } }), {
        catalogue: [offerVersion({ ...loan, channels: ["web"], eligibility: { tag: "adult" } }), card],
        history,
        conversations: [conversation({ id: "c1", startedAt: day(1), tagsSince: { complaint: day(1) } })],
        consents: [{ id: "k1", profileId: "p1", channel: "sms", purpose: "marketing", granted: false, at: day(1) }],
      }),
    );
    const snapshot = structuredClone({ ...facts, catalogue: [...facts.catalogue] });
    const found = evaluateRules(createRuleSet(), facts);
    expect(new Set(found.map((v) => v.rule))).toEqual(
      new Set(["parity", "honour", "eligibility", "exclusivity", "contact-cap", "consent", "complaint-suppression"]),
    );
    expect({ ...facts, catalogue: [...facts.catalogue] }).toEqual(snapshot);
  });
});
