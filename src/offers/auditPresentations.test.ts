import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogueOf, conversation, day, deepFreeze, offerVersion, presented } from "../../test/offers/_fixtures.js";
import { InvalidInputError } from "../errors.js";
import type { Consent, Presentation, Violation } from "../schema/outputs.js";
import { compareAtId } from "./_lib/time.js";
import { type AuditInput, auditPresentations } from "./auditPresentations.js";
import { createRuleSet } from "./createRuleSet.js";
import { defineRule } from "./defineRule.js";
import { evaluateRules } from "./evaluateRules.js";
import type { FactsConversation, OfferFacts, RuleSet } from "./types.js";

const versions = [
  offerVersion({ id: "loan", version: 1, terms: { apr: 5.9, fee: 0 }, exclusiveGroup: "credit", validTo: day(20) }),
  offerVersion({
    id: "loan",
    version: 2,
    terms: { apr: 6.9, fee: 0 },
    exclusiveGroup: "credit",
    channelTerms: { store: { fee: 5 } },
  }),
  offerVersion({ id: "card", version: 1, terms: { apr: 19.9 }, exclusiveGroup: "credit", channels: ["web", "phone"] }),
  offerVersion({
    id: "care",
    version: 1,
    category: "service",
    terms: { price: 0 },
    eligibility: { trait: "age", op: "gte", value: 18 },
  }),
  offerVersion({ id: "receipt", version: 1, category: "transactional", terms: {}, validFrom: day(3) }),
];
const catalogue = catalogueOf(versions);
const offerIds = ["loan", "card", "care", "receipt"] as const;

/** A custom rule that reads the history, so replay equality covers custom rules too. */
const repeatCount = defineRule({
  id: "repeat",
  defaults: { max: 1 },
  evaluate(facts: OfferFacts, { max }) {
    const same = facts.history.filter((p) => p.offerId === facts.presentation.offerId).length;
    return same > max ? [{ rule: "repeat", severity: "warning", message: `${same} earlier`, evidence: { same } }] : [];
  },
});
const ruleSet = createRuleSet({
  rules: { "contact-cap": { max: 2, per: { days: 5 } }, honour: { period: { days: 10 } } },
  custom: [repeatCount],
});

const presentationArb = fc.record({
  profile: fc.constantFrom("p1", "p2", "p3", "p1-old"),
  offer: fc.constantFrom(...offerIds),
  v2: fc.boolean(),
  channel: fc.constantFrom("web", "phone", "sms", "store"),
  minute: fc.integer({ min: 0, max: 22 * 24 * 60 }),
  apr: fc.constantFrom(5.9, 6.9, 19.9, 4.9),
});
const worldArb = fc.record({
  presentations: fc.array(presentationArb, { maxLength: 50 }),
  consents: fc.array(
    fc.record({
      profile: fc.constantFrom("p1", "p2"),
      channel: fc.constantFrom("sms", "web"),
      granted: fc.boolean(),
      minute: fc.integer({ min: 0, max: 30 * 24 * 60 }),
    }),
    { maxLength: 6 },
  ),
  complaint: fc.option(
    fc.record({
      start: fc.integer({ min: 0, max: 29 }),
      length: fc.integer({ min: 1, max: 10 }),
      resolved: fc.boolean(),
    }),
  ),
  ages: fc.record({ p1: fc.integer({ min: 10, max: 40 }), p2: fc.integer({ min: 10, max: 40 }) }),
  range: fc.option(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 10 }))),
});

const at = (minute: number) => new Date(Date.parse("2026-04-01T00:00:00.000Z") + minute * 60_000).toISOString();
const aliases = new Map([["p1-old", "p1"]]);

function build(
  world: fc.Arbitrary<unknown> extends never ? never : typeof worldArb extends fc.Arbitrary<infer W> ? W : never,
): AuditInput {
  const presentations: Presentation[] = world.presentations.map((p, i) => {
    const version = p.offer === "loan" && p.v2 ? 2 : 1;
    const terms =
      p.offer === "care" || p.offer === "receipt" ? {} : p.offer === "loan" ? { apr: p.apr, fee: 0 } : { apr: p.apr };
    return presented({
      id: `x${String(i).padStart(3, "0")}`,
      profileId: p.profile,
      offerId: p.offer,
      offerVersion: version,
      channel: p.channel,
      at: at(p.minute),
      terms,
    });
  });
  const consents = new Map<string, Consent[]>();
  world.consents.forEach((c, i) => {
    consents.set(c.profile, [
      ...(consents.get(c.profile) ?? []),
      {
        id: `k${i}`,
        profileId: c.profile,
        channel: c.channel,
        purpose: "marketing",
        granted: c.granted,
        at: at(c.minute),
      },
    ]);
  });
  const conversations = new Map<string, FactsConversation[]>();
  if (world.complaint !== null) {
    const { start, length, resolved } = world.complaint;
    conversations.set("p1", [
      conversation({
        id: "c1",
        startedAt: day(start + 1),
        tagsSince: { complaint: day(start + 2) },
        ...(resolved ? { resolvedAt: day(start + 1 + length) } : {}),
      }),
    ]);
  }
  const profiles = new Map([
    ["p1", { traits: { age: world.ages.p1 }, tags: [] }],
    ["p2", { traits: { age: world.ages.p2 }, tags: [] }],
  ]);
  const input: AuditInput = { presentations, catalogue, profiles, conversations, consents, aliases };
  if (world.range === null) return input;
  const [from, span] = world.range;
  return { ...input, from: day(from, 0), to: day(from + span, 0) };
}

/** The reference: evaluateRules once per presentation, with a freshly built, copied history. */
function replay(rules: RuleSet, input: AuditInput): Violation[] {
  const resolve = (id: string) => input.aliases?.get(id) ?? id;
  const all = [...input.presentations].sort(compareAtId);
  const out: Violation[] = [];
  for (const p of all) {
    if ((input.from !== undefined && p.at < input.from) || (input.to !== undefined && p.at > input.to)) continue;
    const profileId = resolve(p.profileId);
    const offerVersions = input.catalogue.get(p.offerId) ?? [];
    const offer = offerVersions.find((v) => v.version === p.offerVersion);
    if (offer === undefined) throw new Error("missing version");
    const known = input.profiles.get(profileId);
    const facts: OfferFacts = {
      now: p.at,
      presentation: p,
      offer,
      versions: offerVersions,
      catalogue: input.catalogue,
      profile: { id: profileId, traits: known?.traits ?? {}, tags: known?.tags ?? [] },
      history: all.filter((h) => resolve(h.profileId) === profileId && compareAtId(h, p) < 0),
      conversations: input.conversations.get(profileId) ?? [],
      consents: [...(input.consents.get(profileId) ?? [])].sort(compareAtId),
    };
    out.push(...evaluateRules(rules, facts));
  }
  return out;
}

describe("auditPresentations", () => {
  it("equals evaluateRules replayed over the history one presentation at a time", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const input = build(world);
        const expected = replay(ruleSet, input);
        expect(auditPresentations(ruleSet, deepFreeze(input))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order of the presentations (I1)", () => {
    fc.assert(
      fc.property(worldArb, fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), (world, keys) => {
        const input = build(world);
        const shuffled = input.presentations
          .map((p, i) => ({ p, k: keys[i] ?? 0 }))
          .sort((a, b) => a.k - b.k)
          .map(({ p }) => p);
        const consents = new Map([...input.consents].map(([k, list]) => [k, [...list].reverse()]));
        expect(auditPresentations(ruleSet, { ...input, presentations: shuffled, consents })).toEqual(
          auditPresentations(ruleSet, input),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("finds the honour violation of the APR scenario, and nothing for a new customer", () => {
    const input: AuditInput = {
      presentations: [
        presented({ id: "w1", offerId: "loan", offerVersion: 1, channel: "web", at: day(2), terms: { apr: 5.9 } }),
        presented({ id: "ph1", offerId: "loan", offerVersion: 2, channel: "phone", at: day(6), terms: { apr: 6.9 } }),
        presented({
          id: "n1",
          profileId: "p2",
          offerId: "loan",
          offerVersion: 2,
          channel: "phone",
          at: day(6),
          terms: { apr: 6.9 },
        }),
      ],
      catalogue,
      profiles: new Map(),
      conversations: new Map(),
      consents: new Map(),
    };
    const found = auditPresentations(createRuleSet(), input);
    expect(found.map((v) => [v.rule, v.presentationId, v.message])).toEqual([
      ["honour", "ph1", "APR 6.9 on phone differs from 5.9 shown on web on 2 Apr"],
    ]);
    expect(auditPresentations(createRuleSet(), { ...input, from: day(7) })).toEqual([]);
    expect(auditPresentations(createRuleSet(), { ...input, to: day(5) })).toEqual([]);
    expect(
      auditPresentations(createRuleSet(), { ...input, from: "2026-04-06T12:00:00+02:00", to: day(6) }),
    ).toHaveLength(1);
  });

  it("rejects a presentation whose offer version is not in the catalogue", () => {
    const input: AuditInput = {
      presentations: [presented({ id: "z", offerId: "loan", offerVersion: 9, at: day(2) })],
      catalogue,
      profiles: new Map(),
      conversations: new Map(),
      consents: new Map(),
    };
    expect(() => auditPresentations(createRuleSet(), input)).toThrow(InvalidInputError);
  });
});
