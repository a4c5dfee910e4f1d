/** The example of README.md, kept true by running it. */
import { expect, it } from "vitest";
import { createCustomerContext } from "../src/index.js";

it("README example", async () => {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
  const email = { type: "email", value: "Anna@Kowalska.name" };
  const phone = { type: "phone", value: "601 234 567" };

  await cc.identify({ identifiers: [email, phone], traits: { name: "Anna" }, channel: "web" });
  await cc.offers.define({ id: "loan", name: "Personal loan", category: "marketing", terms: { apr: 5.9 } });
  await cc.offers.present({
    customer: [email],
    offerId: "loan",
    channel: "web",
    at: "2026-04-01T09:10:00Z",
    terms: { apr: 5.9 },
  });
  await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:12:00Z",
    customer: [email],
    subject: "Loan application LN-7781",
  });
  await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-03T10:05:00Z",
    customer: [phone],
    text: "Where is my loan LN-7781?",
  });

  const { violations } = await cc.offers.check({
    customer: [phone],
    offerId: "loan",
    channel: "phone",
    at: "2026-04-03T10:09:00Z",
    terms: { apr: 6.9 },
  });
  expect(violations.map((v) => v.message)).toEqual([
    "APR 6.9 on phone differs from the catalogue's 5.9 (loan v1)",
    "APR 6.9 on phone differs from 5.9 shown on web on 1 Apr",
  ]);
  const view = await cc.context({ identifier: phone });
  expect(view?.conversations[0]?.channels).toEqual(["web", "phone"]);
});
