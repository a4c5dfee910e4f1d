import { createCustomerContext, memoryAdapter } from "../../src/index.js";

/** The free names that examples may use without declaring them, each given a real value. */
export const FIXTURE_NAMES = [
  "cc",
  "profileId",
  "email",
  "phone",
  "identifier",
  "ref",
  "storage",
  "adapter",
  "view",
] as const;

/**
 * A context in the state the examples assume: Jan Kowalski known by email and phone (region PL),
 * a loan offer in the catalogue, one web interaction.
 */
export async function createFixtures() {
  const cc = createCustomerContext({
    identity: { defaultRegion: "PL" },
    clock: () => new Date("2026-04-03T12:00:00Z"),
  });
  const email = { type: "email", value: "jan@x.pl" };
  const phone = { type: "phone", value: "+48601234567" };
  const { profileId } = await cc.identify({
    identifiers: [email, phone],
    traits: { name: "Jan" },
    channel: "web",
    at: "2026-04-01T09:00:00Z",
  });
  await cc.offers.define({ id: "loan", name: "Personal loan", category: "marketing", terms: { apr: 5.9 } });
  await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:12:00Z",
    customer: [email],
    subject: "Loan application LN-7781",
  });
  const view = await cc.context({ profileId });
  const storage = memoryAdapter();
  return {
    cc,
    profileId,
    email,
    phone,
    identifier: email,
    ref: { profileId },
    storage,
    adapter: storage,
    view,
    async dispose() {
      await cc.close();
      await storage.close();
    },
  };
}
