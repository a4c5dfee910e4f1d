/** The worked example of docs/conversations.md, kept true by running it. */
import { expect, it } from "vitest";
import { createCustomerContext } from "../../src/index.js";

it("docs/conversations.md: one conversation across web, phone, email and store", async () => {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
  const anna = { type: "email", value: "anna@kowalska.name" };
  const phone = { type: "phone", value: "601 234 567" };
  await cc.identify({ identifiers: [anna, phone], channel: "web", at: "2026-04-01T09:05:00Z" });
  await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:12:00Z",
    customer: [anna],
    subject: "Loan application LN-7781",
  });
  await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-03T10:05:00Z",
    customer: [phone],
    text: "status of LN-7781?",
  });
  await cc.record({
    channel: "email",
    direction: "outbound",
    at: "2026-04-03T14:00:00Z",
    customer: [anna],
    subject: "Your loan agreement LN-7781",
    email: { messageId: "<a1@bank.example>" },
  });
  await cc.record({
    channel: "email",
    direction: "inbound",
    at: "2026-04-04T08:30:00Z",
    customer: [anna],
    subject: "Re: Your loan agreement LN-7781",
    email: { messageId: "<r1@kowalska.name>", inReplyTo: "<a1@bank.example>" },
  });
  await cc.record({
    channel: "store",
    direction: "inbound",
    at: "2026-04-05T11:00:00Z",
    customer: [{ type: "crmId", value: "CRM-104233" }, anna],
    caseRef: "LN-7781",
    text: "signed",
  });
  const view = await cc.context({ identifier: phone });
  expect(view?.conversations[0]?.channels).toEqual(["web", "phone", "email", "store"]);
  expect(view?.timeline.map((i) => i.channel)).toEqual(["web", "phone", "email", "email", "store"]);
  expect(view?.channelSwitches.map((s) => `${s.from}→${s.to}`)).toEqual(["web→phone", "phone→email", "email→store"]);
});
