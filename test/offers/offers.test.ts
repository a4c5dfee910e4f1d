import { arbitraries, type WorkloadItem } from "customer-context/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CustomerContextEvent, createCustomerContext } from "../../src/index.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const at = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z`;

function setup(options: Parameters<typeof createCustomerContext>[0] = {}) {
  let now = at(1, 0);
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(now), ...options });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events, setNow: (t: string) => (now = t) };
}

const loan = { id: "loan", name: "Personal loan", category: "marketing" as const, terms: { apr: 5.9, fee: 0 } };

describe("offers in the context", () => {
  it("a loan offer changes APR mid-campaign: honour fires for the customer who saw the old APR, not for a new one", async () => {
    const { cc, setNow } = setup();
    await cc.offers.define(loan);
    const jan = [email("jan@poczta.pl"), phone("601234567")];
    await cc.identify({ identifiers: jan, at: at(1) });
    const web = await cc.offers.present({
      customer: [email("jan@poczta.pl")],
      offerId: "loan",
      channel: "web",
      at: at(2),
      terms: { apr: 5.9, fee: 0 },
    });
    expect(web.violations).toEqual([]);
    setNow(at(5, 0));
    const v2 = await cc.offers.define({ ...loan, terms: { apr: 6.9, fee: 0 } });
    expect(v2.version).toBe(2);
    const phoneQuote = await cc.offers.present({
      customer: [phone("601234567")],
      offerId: "loan",
      channel: "phone",
      at: at(6),
      terms: { apr: 6.9, fee: 0 },
    });
    expect(phoneQuote.violations.map((v) => v.rule)).toEqual(["honour"]);
    expect(phoneQuote.violations[0]?.message).toBe("APR 6.9 on phone differs from 5.9 shown on web on 2 Apr");
    expect(phoneQuote.violations[0]?.severity).toBe("error");
    const newcomer = await cc.offers.present({
      customer: [email("ewa@poczta.pl")],
      offerId: "loan",
      channel: "phone",
      at: at(6),
      terms: { apr: 6.9, fee: 0 },
    });
    expect(newcomer.violations).toEqual([]);
  });

  it("counts presentations per resolved customer, across identifiers (contact cap)", async () => {
    const { cc } = setup({ offers: { rules: { "contact-cap": { max: 1, per: { days: 7 } } } } });
    await cc.offers.define(loan);
    await cc.identify({ identifiers: [email("jan@poczta.pl"), phone("601234567")], at: at(1) });
    await cc.offers.present({
      customer: [email("jan@poczta.pl")],
      offerId: "loan",
      channel: "email",
      at: at(2),
      terms: loan.terms,
    });
    const second = await cc.offers.present({
      customer: [phone("601234567")],
      offerId: "loan",
      channel: "sms",
      at: at(3),
      terms: loan.terms,
    });
    expect(second.violations.map((v) => v.rule)).toContain("contact-cap");
  });

  it("suppresses marketing during an open complaint until the conversation is resolved", async () => {
    const { cc, setNow } = setup();
    await cc.offers.define(loan);
    const c = [email("jan@poczta.pl")];
    const complaint = await cc.record({
      channel: "social",
      direction: "inbound",
      at: at(2),
      customer: c,
      text: "angry",
      tags: ["complaint"],
    });
    const during = await cc.offers.check({
      customer: c,
      offerId: "loan",
      channel: "email",
      at: at(3),
      terms: loan.terms,
    });
    expect(during.ok).toBe(false);
    expect(during.violations.map((v) => v.rule)).toEqual(["complaint-suppression"]);
    setNow(at(4));
    await cc.conversations.resolve(complaint.conversationId);
    const after = await cc.offers.check({
      customer: c,
      offerId: "loan",
      channel: "email",
      at: at(5),
      terms: loan.terms,
    });
    expect(after).toEqual({ ok: true, violations: [] });
  });

  it("records consent as evidence: the latest decision wins", async () => {
    const { cc } = setup();
    await cc.offers.define(loan);
    const c = [email("jan@poczta.pl")];
    await cc.consent({ customer: c, channel: "email", granted: true, at: at(1) });
    await cc.consent({ customer: c, channel: "email", granted: false, at: at(3) });
    const denied = await cc.offers.check({
      customer: c,
      offerId: "loan",
      channel: "email",
      at: at(4),
      terms: loan.terms,
    });
    expect(denied.violations.map((v) => v.rule)).toEqual(["consent"]);
    const before = await cc.offers.check({
      customer: c,
      offerId: "loan",
      channel: "email",
      at: at(2),
      terms: loan.terms,
    });
    expect(before.violations).toEqual([]);
  });

  it("check writes nothing", async () => {
    const { cc, events } = setup();
    await cc.offers.define(loan);
    const quiet = events.length;
    const result = await cc.offers.check({
      customer: [email("new@poczta.pl")],
      offerId: "loan",
      channel: "web",
      at: at(2),
      terms: { apr: 9.9, fee: 0 },
    });
    expect(result.violations.map((v) => v.rule)).toEqual(["parity"]);
    expect(events.length).toBe(quiet);
    expect(await cc.profiles.find(email("new@poczta.pl"))).toBeNull();
    expect(await cc.offers.audit()).toEqual([]);
  });

  it("emits offer.presented and offer.violation", async () => {
    const { cc, events } = setup();
    await cc.offers.define(loan);
    await cc.offers.present({
      customer: [email("a@poczta.pl")],
      offerId: "loan",
      channel: "web",
      at: at(2),
      terms: { apr: 4.9, fee: 0 },
    });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["offer.presented", "offer.violation"]));
  });

  describe("bad input", () => {
    it("an unknown offer id is not_found and nothing is written", async () => {
      const { cc } = setup();
      const error = await cc.offers
        .present({ customer: [email("a@poczta.pl")], offerId: "nope", channel: "web", at: at(2), terms: {} })
        .catch((e) => e);
      expect(error.code).toBe("not_found");
      expect(await cc.profiles.find(email("a@poczta.pl"))).toBeNull();
    });

    it("nested objects in terms are rejected, naming the term", async () => {
      const { cc } = setup();
      const error = await cc.offers.define({ ...loan, terms: { apr: { value: 5.9 } } } as never).catch((e) => e);
      expect(error.code).toBe("invalid_input");
      expect(error.details[0].path).toEqual(["terms", "apr"]);
    });

    it("an invalid duration in rule options is rejected when the context is created", () => {
      expect(() =>
        createCustomerContext({ offers: { rules: { "contact-cap": { max: 2, per: { fortnights: 1 } } } } }),
      ).toThrow(expect.objectContaining({ code: "invalid_input" }));
      expect(() => createCustomerContext({ offers: { rules: { "no-such-rule": false } } })).toThrow(
        expect.objectContaining({ code: "invalid_input" }),
      );
    });
  });
});

describe("offer invariants", () => {
  // The kit's quotes: one person seen by any subset of their email, phone and CRM id, on four
  // channels, the kit's catalogue (a channel list, a validity window, an eligibility rule, an
  // exclusive group) at its APR or another. At least a day apart: with equal times, what a
  // presentation "saw" depends on arrival order, while audit replays ties in id order.
  const list = arbitraries
    .workload({
      kinds: ["present"],
      customers: 1,
      maxItems: 10,
      channels: ["web", "phone", "email", "store"],
      spacing: { min: 24 * 60, max: 3 * 24 * 60 },
      duplicates: false,
      late: false,
      from: "2026-04-02T00:00:00Z",
    })
    .map((items) => ({
      catalogue: items.filter((i) => i.kind === "offer"),
      quotes: items.filter((i): i is WorkloadItem & { kind: "present" } => i.kind === "present"),
    }));

  async function run({ catalogue, quotes }: { catalogue: WorkloadItem[]; quotes: readonly Quote[] }) {
    const { cc } = setup({ offers: { rules: { "contact-cap": { max: 2, per: { days: 5 } } } } });
    await cc.ingest(catalogue);
    // A check never links identifiers, so the person's identifiers are linked before anything is presented.
    const person = new Map(quotes.flatMap((q) => q.customer.map((i) => [`${i.type}:${i.value}`, i] as const)));
    if (person.size > 0) await cc.identify({ identifiers: [...person.values()], at: at(1, 0) });
    const returned = [];
    for (const { kind: _kind, externalId: _id, ...input } of quotes) {
      const checked = await cc.offers.check(input);
      const presented = await cc.offers.present(input);
      returned.push({ checked: checked.violations, presented: presented.violations });
    }
    return { cc, returned };
  }

  it("check predicts what present returns, and audit equals check replayed over history", async () => {
    await fc.assert(
      fc.asyncProperty(list, async (items) => {
        const { cc, returned } = await run(items);
        for (const r of returned) {
          expect(r.presented.map((v) => [v.rule, v.message])).toEqual(r.checked.map((v) => [v.rule, v.message]));
        }
        const audited = await cc.offers.audit();
        expect(audited.map((v) => v.message).sort()).toEqual(
          returned.flatMap((r) => r.presented.map((v) => v.message)).sort(),
        );
      }),
      { numRuns: 40 },
    );
  });

  it("I1: audit does not depend on the order presentations arrived in", async () => {
    const permuted = list.chain((items) =>
      fc
        .shuffledSubarray(items.quotes, { minLength: items.quotes.length, maxLength: items.quotes.length })
        .map((quotes) => [items, { ...items, quotes }] as const),
    );
    await fc.assert(
      fc.asyncProperty(permuted, async ([items, shuffled]) => {
        const a = await (await run(items)).cc.offers.audit();
        const b = await (await run(shuffled)).cc.offers.audit();
        expect(b).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });

  it("the kit's quotes break several rules (a property over quiet input would prove little)", async () => {
    const rules = new Set<string>();
    for (const items of fc.sample(list, { numRuns: 20, seed: 19 })) {
      for (const v of await (await run(items)).cc.offers.audit()) rules.add(v.rule);
    }
    expect([...rules]).toEqual(expect.arrayContaining(["contact-cap", "eligibility", "parity", "validity"]));
  });
});

type Quote = WorkloadItem & { kind: "present" };
