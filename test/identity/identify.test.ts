import { type Scenario, scenarioOutcome, scenarios, testClock } from "customer-context/testing";
import { describe, expect, it } from "vitest";
import { type CustomerContextEvent, createCustomerContext, isCustomerContextError } from "../../src/index.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const crm = (value: string) => ({ type: "crmId", value });
const cookie = (value: string) => ({ type: "cookie", value });
const day = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z`;

function scenarioNamed(name: string): Scenario {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`the kit has no scenario ${name}`);
  return scenario;
}

function setup(options: Parameters<typeof createCustomerContext>[0] = {}) {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(day(30)), ...options });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events };
}

describe("identify", () => {
  it("normalises identifiers and links identifiers seen together", async () => {
    const { cc } = setup();
    const a = await cc.identify({ identifiers: [email(" Jan@X.PL ")], at: day(1) });
    const b = await cc.identify({ identifiers: [phone("601 234 567")], at: day(2) });
    expect(a.created && b.created).toBe(true);
    const c = await cc.identify({ identifiers: [email("jan@x.pl"), phone("+48601234567")], at: day(3) });
    expect(c).toMatchObject({ profileId: a.profileId, created: false, merged: [b.profileId], refused: [] });
    const profile = await cc.profiles.find(phone("+48 601-234-567"));
    expect(profile?.identifiers.map((i) => `${i.type}:${i.value}`)).toEqual(["email:jan@x.pl", "phone:+48601234567"]);
  });

  it("keeps the id of the profile with the earliest evidence, and old ids resolve to it", async () => {
    const { cc, events } = setup();
    const later = await cc.identify({ identifiers: [email("a@x.pl")], at: day(5) });
    const earlier = await cc.identify({ identifiers: [phone("601234567")], at: day(1) });
    const merged = await cc.identify({ identifiers: [email("a@x.pl"), phone("601234567")], at: day(6) });
    expect(merged.profileId).toBe(earlier.profileId);
    expect((await cc.profiles.get({ profileId: later.profileId }))?.id).toBe(earlier.profileId);
    expect(events.filter((e) => e.type === "profile.merged")).toEqual([
      expect.objectContaining({ profileId: earlier.profileId, absorbed: [later.profileId] }),
    ]);
  });

  it("refuses a link that would put two CRM ids in one profile, and reports it", async () => {
    const { cc, events } = setup();
    const first = await cc.identify({ identifiers: [crm("1"), email("shared@x.pl")], at: day(1) });
    const second = await cc.identify({ identifiers: [crm("2"), email("shared@x.pl")], at: day(2) });
    expect(second.profileId).not.toBe(first.profileId);
    expect(second.refused).toEqual([
      expect.objectContaining({ identifier: email("shared@x.pl"), reason: "limit", profileId: second.profileId }),
    ]);
    expect(second.refused[0]?.message).toMatch(/more than 1 crmId/);
    expect(events.some((e) => e.type === "identify.refused")).toBe(true);
    expect((await cc.profiles.find(email("shared@x.pl")))?.id).toBe(first.profileId);
  });

  it("applies evidence in time order: a late observation gives the same result as on-time arrival", async () => {
    const inOrder = setup().cc;
    await inOrder.identify({ identifiers: [crm("1"), email("e@x.pl")], at: day(1) });
    await inOrder.identify({ identifiers: [crm("2"), email("e@x.pl")], at: day(2) });
    const late = setup().cc;
    await late.identify({ identifiers: [crm("2"), email("e@x.pl")], at: day(2) });
    await late.identify({ identifiers: [crm("1"), email("e@x.pl")], at: day(1) });
    for (const cc of [inOrder, late]) {
      const owner = await cc.profiles.find(email("e@x.pl"));
      expect(owner?.identifiers.map((i) => i.value).sort()).toEqual(["1", "e@x.pl"]);
    }
    expect((await late.profiles.find(crm("1")))?.id).toBe((await inOrder.profiles.find(crm("1")))?.id);
  });

  it("never links through blocked values", async () => {
    const { cc } = setup();
    const a = await cc.identify({ identifiers: [email("test@test.com"), phone("601111111")], at: day(1) });
    const b = await cc.identify({ identifiers: [email("test@test.com"), phone("602222222")], at: day(2) });
    expect(a.profileId).not.toBe(b.profileId);
    expect(a.refused).toEqual([expect.objectContaining({ reason: "blocked" })]);
    await expect(cc.identify({ identifiers: [email("unknown")] })).rejects.toMatchObject({ code: "refused" });
  });

  it("refuses values that cannot be normalised instead of storing garbage", async () => {
    const { cc } = setup();
    const r = await cc.identify({ identifiers: [phone("not-a-phone"), email("ok@x.pl")], at: day(1) });
    expect(r.refused).toEqual([expect.objectContaining({ reason: "invalid", identifier: phone("not-a-phone") })]);
    const profile = await cc.profiles.get({ profileId: r.profileId });
    expect(profile?.identifiers.map((i) => i.type)).toEqual(["email"]);
  });

  describe("adversarial", () => {
    it("a shared family phone seen with many customers stops linking them (auto-block): the kit's scenario", async () => {
      const scenario = scenarioNamed("shared-family-phone");
      // Through identify, one call at a time, as a webhook would; the default threshold, then a low one.
      const { cc } = setup({ ...scenario.options, clock: testClock(scenario.now) });
      for (const { kind: _kind, ...observation } of scenario.items) await cc.identify(observation as never);
      expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
      const low = setup({ identity: { defaultRegion: "PL", autoBlock: { threshold: 2 } } }).cc;
      const three = scenario.items.slice(0, 3);
      for (const { kind: _kind, ...observation } of three) await low.identify(observation as never);
      const outcome = await scenarioOutcome(low, { items: three });
      expect(outcome.profiles).toHaveLength(4);
      expect(outcome.profiles.every((keys) => keys.length === 1)).toBe(true);
    });

    it("a junk email used across many names does not glue them together", async () => {
      const { cc } = setup({ identity: { defaultRegion: "PL", autoBlock: { threshold: 3 } } });
      for (let i = 0; i < 6; i++) {
        await cc.identify({ identifiers: [email("none@none.com"), crm(`c${i}`)], at: day(i + 1) });
      }
      const profiles = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => cc.profiles.find(crm(`c${i}`))));
      expect(new Set(profiles.map((p) => p?.id)).size).toBe(6);
    });

    it("an anonymous cookie shared by two people on one device does not merge them", async () => {
      const { cc } = setup();
      const device = cookie("ck-123");
      const a = await cc.identify({ identifiers: [device, { type: "userId", value: "u-anna" }], at: day(1) });
      const b = await cc.identify({ identifiers: [device, { type: "userId", value: "u-bob" }], at: day(2) });
      expect(a.profileId).not.toBe(b.profileId);
      expect(b.refused[0]?.reason).toBe("limit");
    });

    it("two CRM ids with one email stay two customers: the kit's scenario", async () => {
      const scenario = scenarioNamed("two-crm-ids-one-email");
      const { cc } = setup({ ...scenario.options, clock: testClock(scenario.now) });
      const results = [];
      for (const { kind: _kind, ...observation } of scenario.items)
        results.push(await cc.identify(observation as never));
      // The second link is refused and reported, not silently applied.
      expect(results[1]?.refused).toEqual([expect.objectContaining({ reason: "limit" })]);
      expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
    });
  });
});

describe("traits", () => {
  it("keeps the latest value per trait with its provenance by default", async () => {
    const { cc } = setup();
    await cc.identify({ identifiers: [email("t@x.pl")], traits: { city: "Kraków" }, at: day(2), source: "crm" });
    await cc.identify({ identifiers: [email("t@x.pl")], traits: { city: "Gdańsk" }, at: day(1), source: "web" });
    const p = await cc.profiles.find(email("t@x.pl"));
    expect(p?.traits.city).toBe("Kraków");
    expect(p?.traitProvenance.city).toMatchObject({ source: "crm", at: "2026-04-02T09:00:00.000Z" });
  });

  it("can keep the first value, or prefer a source", async () => {
    const { cc } = setup({ identity: { traits: { name: "first", city: { sources: ["crm"] } } } });
    await cc.identify({
      identifiers: [email("t@x.pl")],
      traits: { name: "Jan", city: "Kraków" },
      at: day(1),
      source: "crm",
    });
    await cc.identify({
      identifiers: [email("t@x.pl")],
      traits: { name: "Janek", city: "Gdańsk" },
      at: day(2),
      source: "web",
    });
    const p = await cc.profiles.find(email("t@x.pl"));
    expect(p?.traits).toEqual({ name: "Jan", city: "Kraków" });
  });
});

describe("operator decisions", () => {
  it("merge joins two profiles as evidence; a merge that breaks a limit is refused and writes nothing", async () => {
    const { cc } = setup();
    const a = await cc.identify({ identifiers: [email("a@x.pl")], at: day(1) });
    const b = await cc.identify({ identifiers: [phone("601234567")], at: day(2) });
    const merged = await cc.profiles.merge(a.profileId, b.profileId, { reason: "confirmed on the phone" });
    expect(merged.profileId).toBe(a.profileId);
    const why = await cc.profiles.explain(a.profileId);
    expect(why.edges).toEqual([expect.objectContaining({ kind: "operator", reason: "confirmed on the phone" })]);

    const c1 = await cc.identify({ identifiers: [crm("1")], at: day(3) });
    const c2 = await cc.identify({ identifiers: [crm("2")], at: day(4) });
    const error = await cc.profiles.merge(c1.profileId, c2.profileId, { reason: "x" }).catch((e) => e);
    expect(isCustomerContextError(error, "refused")).toBe(true);
    expect((await cc.profiles.get({ profileId: c2.profileId }))?.id).toBe(c2.profileId);
  });

  it("unmerge detaches an identifier and what hangs on it, restores its old id, and is sticky", async () => {
    const { cc, events } = setup();
    const main = await cc.identify({ identifiers: [email("jan@x.pl"), crm("7")], at: day(1) });
    const family = await cc.identify({ identifiers: [phone("601000111"), cookie("ck-1")], at: day(2) });
    await cc.identify({ identifiers: [email("jan@x.pl"), phone("601000111")], at: day(3) });
    expect((await cc.profiles.find(cookie("ck-1")))?.id).toBe(main.profileId);

    const result = await cc.profiles.unmerge(main.profileId, phone("601000111"), { reason: "family phone" });
    expect(result).toEqual({ profileId: main.profileId, detachedProfileId: family.profileId });
    expect((await cc.profiles.find(cookie("ck-1")))?.id).toBe(family.profileId);
    expect(events.some((e) => e.type === "profile.split" && e.reason === "family phone")).toBe(true);

    const again = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601000111")], at: day(4) });
    expect(again.refused).toEqual([expect.objectContaining({ reason: "unmerged" })]);
    expect((await cc.profiles.find(phone("601000111")))?.id).toBe(family.profileId);

    await cc.profiles.merge(main.profileId, family.profileId, { reason: "it was him after all" });
    expect((await cc.profiles.find(phone("601000111")))?.id).toBe(main.profileId);
  });

  it("explain names the observation that linked every identifier", async () => {
    const { cc } = setup();
    const r = await cc.identify({ identifiers: [email("e@x.pl")], at: day(1), channel: "web", source: "signup" });
    await cc.identify({
      identifiers: [email("e@x.pl"), phone("601234567")],
      at: day(2),
      channel: "phone",
      source: "ivr",
    });
    const why = await cc.profiles.explain(r.profileId);
    expect(why.identifiers).toHaveLength(2);
    expect(why.edges).toEqual([
      expect.objectContaining({
        kind: "observation",
        at: "2026-04-02T09:00:00.000Z",
        channel: "phone",
        source: "ivr",
        from: email("e@x.pl"),
        to: phone("+48601234567"),
      }),
    ]);
  });

  it("forget erases the profile; the same identifier later starts a new empty profile", async () => {
    const { cc, events } = setup();
    const r = await cc.identify({
      identifiers: [email("gone@x.pl"), phone("601234567")],
      traits: { name: "X" },
      at: day(1),
    });
    await cc.record({
      channel: "email",
      direction: "inbound",
      at: day(1, 10),
      customer: [email("gone@x.pl")],
      text: "hi",
    });
    expect(await cc.profiles.forget({ profileId: r.profileId })).toBe(true);
    expect(events.some((e) => e.type === "profile.forgotten")).toBe(true);
    expect(await cc.profiles.find(email("gone@x.pl"))).toBeNull();
    expect(await cc.context({ profileId: r.profileId })).toBeNull();
    const fresh = await cc.identify({ identifiers: [email("gone@x.pl")], at: day(5) });
    expect(fresh.created).toBe(true);
    const view = await cc.context({ profileId: fresh.profileId });
    expect(view?.profile.traits).toEqual({});
    expect(view?.timeline).toEqual([]);
    expect(await cc.profiles.forget({ identifier: email("nobody@x.pl") })).toBe(false);
  });
});

describe("bad input", () => {
  it("names the field and writes nothing", async () => {
    const { cc, events } = setup();
    const error = await cc.identify({ identifers: [email("a@x.pl")] } as never).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_input" });
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: ["identifers"], code: "unrecognized_key", message: 'unknown key "identifers"' },
        expect.objectContaining({ path: ["identifiers"] }),
      ]),
    );
    const badDate = await cc.identify({ identifiers: [email("a@x.pl")], at: "yesterday" }).catch((e) => e);
    expect(badDate.details).toEqual([expect.objectContaining({ path: ["at"] })]);
    const badType = await cc.identify({ identifiers: [{ type: "", value: "x" }] }).catch((e) => e);
    expect(badType.details).toEqual([expect.objectContaining({ path: ["identifiers", 0, "type"] })]);
    expect(events).toEqual([]);
    expect(await cc.profiles.find(email("a@x.pl"))).toBeNull();
  });
});
