import { describe, expect, it } from "vitest";
import { createCustomerContext } from "../../src/index.js";
import { matchers } from "../../src/testing/index.js";
import "../../src/testing/vitest.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const crm = (value: string) => ({ type: "crmId", value });

async function linked() {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
  await cc.identify({
    identifiers: [email("ala@poczta.pl"), phone("601 234 567")],
    channel: "web",
    at: "2026-04-01T09:00:00Z",
  });
  await cc.identify({ identifiers: [crm("A"), email("family@poczta.pl")], at: "2026-04-01T10:00:00Z" });
  await cc.identify({ identifiers: [crm("B"), email("family@poczta.pl")], at: "2026-04-02T10:00:00Z" });
  return cc;
}

describe("matchers registered by customer-context/testing/vitest", () => {
  it("toResolveTogether passes for linked identifiers and fails with the evidence for unlinked ones", async () => {
    const cc = await linked();
    await expect(cc).toResolveTogether(email("Ala@poczta.pl"), phone("+48601234567"));
    await expect(cc).not.toResolveTogether(crm("A"), crm("B"));

    const failed = await matchers.toResolveTogether.call({}, cc, crm("A"), crm("B"));
    expect(failed.pass).toBe(false);
    const message = failed.message();
    expect(message).toContain("they are two profiles");
    expect(message).toContain("crmId:A — email:family@poczta.pl: seen together");
    expect(message).toMatch(/refused email:family@poczta\.pl: .+/);

    const unknown = await matchers.toResolveTogether.call({}, cc, email("ala@poczta.pl"), email("nobody@poczta.pl"));
    expect(unknown.message()).toContain("email:nobody@poczta.pl is unknown");
    expect(unknown.message()).toContain("phone:+48601234567");
  });

  it("toHaveConversationAcross passes for the channels in order and lists the conversations otherwise", async () => {
    const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
    const customer = [email("ala@poczta.pl")];
    await cc.record({
      channel: "web",
      direction: "inbound",
      at: "2026-04-01T09:00:00Z",
      customer,
      externalId: "w1",
      text: "loan LN-1",
    });
    await cc.record({
      channel: "phone",
      direction: "inbound",
      at: "2026-04-01T10:00:00Z",
      customer,
      externalId: "p1",
      text: "about LN-1",
    });
    const ref = { identifier: email("ala@poczta.pl") };
    await expect(cc).toHaveConversationAcross(ref, ["web", "phone"]);
    await expect(cc).not.toHaveConversationAcross(ref, ["phone", "web"]);
    const failed = await matchers.toHaveConversationAcross.call({}, cc, ref, ["web", "email"]);
    expect(failed.pass).toBe(false);
    expect(failed.message()).toContain("the customer's conversations are:\n  web → phone");
    const unknown = await matchers.toHaveConversationAcross.call({}, cc, { identifier: email("x@poczta.pl") }, ["web"]);
    expect(unknown.message()).toContain("the customer is unknown");
  });

  it("toHaveViolation reads check results and violation lists, showing the messages", async () => {
    const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
    await cc.offers.define({ id: "loan", name: "Loan", category: "marketing", terms: { apr: 5.9 } });
    const result = await cc.offers.check({
      customer: [email("ala@poczta.pl")],
      offerId: "loan",
      channel: "phone",
      at: "2026-04-01T09:00:00Z",
      terms: { apr: 6.9 },
    });
    expect(result).toHaveViolation("parity");
    expect(result.violations).not.toHaveViolation("honour");
    const failed = matchers.toHaveViolation.call({}, result, "honour");
    expect(failed.message()).toMatch(/the violations are:\n {2}parity: APR 6\.9 on phone differs/);
    expect(() => matchers.toHaveViolation.call({}, 42, "parity")).toThrow(TypeError);
  });

  it("the context matchers refuse what is not a context", async () => {
    await expect(matchers.toResolveTogether.call({}, {}, email("a@b.pl"), email("c@d.pl"))).rejects.toThrow(
      /expected a customer context/,
    );
  });
});
