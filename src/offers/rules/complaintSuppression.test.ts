import { describe, expect, it } from "vitest";
import { conversation, day, factsFor, offerVersion, presented } from "../../../test/offers/_fixtures.js";
import type { FactsConversation } from "../types.js";
import { COMPLAINT_SUPPRESSION_DEFAULTS, complaintSuppression } from "./complaintSuppression.js";

const promo = offerVersion({ id: "promo" });
const info = offerVersion({ id: "info", category: "service" });
const receipt = offerVersion({ id: "receipt", category: "transactional" });
const catalogue = [promo, info, receipt];
const facts = (conversations: FactsConversation[], offerId = "promo") =>
  factsFor(presented({ id: "x", offerId, channel: "web", at: day(10) }), { catalogue, conversations });
const complaint = (partial: Partial<FactsConversation> = {}) =>
  conversation({ id: "c1", startedAt: day(1), tagsSince: { complaint: day(2) }, ...partial });

describe("complaint-suppression", () => {
  it("fires for a marketing offer while a complaint conversation is open", () => {
    expect(complaintSuppression.evaluate(facts([complaint()]), COMPLAINT_SUPPRESSION_DEFAULTS)).toEqual([
      {
        rule: "complaint-suppression",
        severity: "error",
        message: "Marketing offer promo on web while conversation c1 tagged complaint is open (since 2 Apr)",
        evidence: { conversationId: "c1", tag: "complaint", since: day(2), startedAt: day(1), channels: ["email"] },
      },
    ]);
  });

  it("clears when the conversation is resolved, and replays the past: resolved later, tagged later", () => {
    expect(
      complaintSuppression.evaluate(facts([complaint({ resolvedAt: day(9) })]), COMPLAINT_SUPPRESSION_DEFAULTS),
    ).toEqual([]);
    expect(
      complaintSuppression.evaluate(facts([complaint({ resolvedAt: day(11) })]), COMPLAINT_SUPPRESSION_DEFAULTS),
    ).toHaveLength(1);
    expect(
      complaintSuppression.evaluate(
        facts([complaint({ tagsSince: { complaint: day(11) } })]),
        COMPLAINT_SUPPRESSION_DEFAULTS,
      ),
    ).toEqual([]);
    expect(
      complaintSuppression.evaluate(facts([complaint({ startedAt: day(11) })]), COMPLAINT_SUPPRESSION_DEFAULTS),
    ).toEqual([]);
    const resolvedNoTime = complaint({ status: "resolved", lastAt: day(5) });
    expect(complaintSuppression.evaluate(facts([resolvedNoTime]), COMPLAINT_SUPPRESSION_DEFAULTS)).toEqual([]);
  });

  it("is silent without a suppressing tag, and honours the tags option", () => {
    const question = complaint({ tagsSince: { question: day(2) } });
    expect(complaintSuppression.evaluate(facts([question]), COMPLAINT_SUPPRESSION_DEFAULTS)).toEqual([]);
    const found = complaintSuppression.evaluate(facts([question]), {
      ...COMPLAINT_SUPPRESSION_DEFAULTS,
      tags: ["complaint", "question"],
    });
    expect(found.map((v) => v.evidence.tag)).toEqual(["question"]);
    const untimed = conversation({ id: "c2", startedAt: day(3), tags: ["complaint"] });
    expect(complaintSuppression.evaluate(facts([untimed]), COMPLAINT_SUPPRESSION_DEFAULTS)[0]?.evidence.since).toBe(
      day(3),
    );
  });

  it("suppresses on a complaint made through another identity of the same customer", () => {
    const byPhone = complaint({ id: "c9", profileId: "p-phone", channels: ["phone"] });
    const found = complaintSuppression.evaluate(facts([byPhone, complaint()]), COMPLAINT_SUPPRESSION_DEFAULTS);
    expect(found.map((v) => v.evidence.conversationId)).toEqual(["c1", "c9"]);
  });

  it("checks service offers and exempts transactional offers", () => {
    expect(
      complaintSuppression.evaluate(facts([complaint()], "info"), COMPLAINT_SUPPRESSION_DEFAULTS)[0]?.message,
    ).toBe("Service offer info on web while conversation c1 tagged complaint is open (since 2 Apr)");
    expect(complaintSuppression.evaluate(facts([complaint()], "receipt"), COMPLAINT_SUPPRESSION_DEFAULTS)).toEqual([]);
  });
});
