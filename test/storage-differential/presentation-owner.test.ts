/**
 * Minimal reproduction of the order dependence the multi-process test found: `offers.present`
 * names the presentation by the observation's anchor but files it (`ownerKey` and the `owner`
 * index) under the profile's anchor at that moment, which depends on what arrived before. Once the
 * two identifiers are separated, the presentation follows whichever one it was filed under, so two
 * arrival orders of the same evidence show the customer different offers.
 */
import { describe, expect, it } from "vitest";
import { createCustomerContext } from "../../src/context.js";

const cookie = { type: "cookie", value: "k1" };
const crm = { type: "crmId", value: "c1" };
const seenAlone = { identifiers: [crm], at: "2026-04-01T08:00:00Z" };
const linked = { identifiers: [crm, cookie], at: "2026-04-01T09:00:00Z" };
const presented = {
  customer: [cookie],
  offerId: "loan",
  channel: "web",
  at: "2026-04-01T10:00:00Z",
  terms: { apr: 5 },
};

async function run(order: "present first" | "identify first") {
  const cc = createCustomerContext({ clock: () => new Date("2026-05-01T00:00:00Z") });
  await cc.offers.define({ id: "loan", name: "Loan", category: "marketing", terms: { apr: 5 } });
  if (order === "present first") {
    await cc.offers.present(presented);
    await cc.identify(seenAlone);
    await cc.identify(linked);
  } else {
    await cc.identify(seenAlone);
    await cc.identify(linked);
    await cc.offers.present(presented);
  }
  const profile = await cc.profiles.find(cookie);
  await cc.profiles.unmerge(profile?.id as string, cookie, { reason: "shared device" });
  return {
    cookie: (await cc.context({ identifier: cookie }))?.offers.map((p) => p.id),
    crm: (await cc.context({ identifier: crm }))?.offers.map((p) => p.id),
  };
}

describe("offers.present files a presentation independently of arrival order", () => {
  it("shows the same offers to each customer whichever order the evidence arrived in", async () => {
    const a = await run("present first");
    const b = await run("identify first");
    expect(a.cookie).toHaveLength(1);
    expect(b).toEqual(a);
  });
});
