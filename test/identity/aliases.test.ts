import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";

const email = (value: string) => ({ type: "email", value });
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

describe("absorbed profile ids", () => {
  it("resolve after any number of chained merges, in one alias hop", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({
      storage,
      identity: { types: { email: { limit: 100 } } },
      clock: () => new Date("2026-06-01T00:00:00Z"),
    });
    // Each new profile is earlier than the previous survivor, so every merge absorbs the
    // survivor: the first id is absorbed 70 times over, a chain of 70 redirects without collapse.
    const ids: string[] = [];
    const n = 70;
    for (let i = 0; i < n; i++) {
      ids.push((await cc.identify({ identifiers: [email(`p${i}@x.pl`)], at: at(n - i) })).profileId);
    }
    let survivor = ids[0] as string;
    for (let i = 1; i < n; i++) {
      survivor = (await cc.profiles.merge(survivor, ids[i] as string, { reason: "same person" })).profileId;
    }
    expect(survivor).toBe(ids[n - 1]);
    for (const id of ids) expect((await cc.profiles.get({ profileId: id }))?.id, id).toBe(survivor);
    const recorded = await cc.record({
      channel: "sms",
      direction: "inbound",
      at: "2026-05-01T00:00:00Z",
      customer: { profileId: ids[0] as string },
      text: "hello",
    });
    expect(recorded.profileId).toBe(survivor);
    // Collapsed: every alias points straight at the survivor.
    const targets = await storage.transaction(async (tx) =>
      (await tx.scan<{ target: string }>("profile_aliases")).map((d) => d.value.target),
    );
    expect(targets).toHaveLength(n - 1);
    expect(new Set(targets)).toEqual(new Set([survivor]));
  });

  it("re-point to the part that holds their anchor after an unmerge", async () => {
    const cc = createCustomerContext({ clock: () => new Date("2026-06-01T00:00:00Z") });
    const a = await cc.identify({ identifiers: [email("a@x.pl")], at: at(1) });
    const b = await cc.identify({ identifiers: [email("b@x.pl")], at: at(2) });
    const c = await cc.identify({ identifiers: [email("c@x.pl")], at: at(3) });
    // c is absorbed into b, then b into a: the alias of c points at a.
    await cc.identify({ identifiers: [email("b@x.pl"), email("c@x.pl")], at: at(4) });
    await cc.identify({ identifiers: [email("a@x.pl"), email("b@x.pl")], at: at(5) });
    expect((await cc.profiles.get({ profileId: c.profileId }))?.id).toBe(a.profileId);
    // Detaching b takes c with it (c is linked only through b): c's id resolves to b's profile again.
    const split = await cc.profiles.unmerge(a.profileId, email("b@x.pl"), { reason: "two people" });
    expect(split.detachedProfileId).toBe(b.profileId);
    expect((await cc.profiles.get({ profileId: c.profileId }))?.id).toBe(b.profileId);
    expect((await cc.profiles.get({ profileId: a.profileId }))?.identifiers.map((i) => i.value)).toEqual(["a@x.pl"]);
  });

  it("an absorbed id that late evidence makes the anchor again is a profile, not an alias", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage, clock: () => new Date("2026-06-01T00:00:00Z") });
    const a = email("a@x.pl");
    const phone = { type: "phone", value: "+48601234567" };
    // The phone's profile is older: joining them absorbs the email's profile.
    const absorbed = (await cc.identify({ identifiers: [a], at: at(10) })).profileId;
    const survivor = (await cc.identify({ identifiers: [phone], at: at(5) })).profileId;
    expect((await cc.identify({ identifiers: [a, phone], at: at(11) })).merged).toEqual([absorbed]);
    // Evidence from before both: the email is now the earliest identifier (another email seen with
    // it at the same time sorts after it), so the profile takes the email's id back.
    const late = await cc.identify({ identifiers: [a, email("b@x.pl")], at: at(1) });
    expect(late.profileId).toBe(absorbed);
    expect(late.merged).toEqual([survivor]);
    const aliases = await storage.transaction(async (tx) =>
      (await tx.scan<{ target: string }>("profile_aliases")).map((d) => [d.key, d.value.target]),
    );
    expect(aliases).toEqual([[survivor, absorbed]]);
    expect((await cc.profiles.get({ profileId: survivor }))?.identifiers).toHaveLength(3);
  });
});
