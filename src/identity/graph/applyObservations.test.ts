import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareStrings, stableId } from "../../_lib/hash.js";
import {
  type AppliedObservations,
  applyObservations,
  type BatchObservation,
  type KnownIdentifier,
  type LoadedIdentityState,
  type ProfileNode,
} from "./applyObservations.js";
import { deriveProfileFacts, evidenceOrder } from "./deriveProfileFacts.js";
import { keyType, profileIdFor, resolveIdentities } from "./resolveIdentities.js";
import { foldTrait, mergeTraits } from "./traits.js";
import type { IdentityRules, LinkEvidence, NodeInfo } from "./types.js";

const POOL = [
  ...[0, 1, 2, 3, 4].map((i) => `email:e${i}@x.pl`),
  ...[0, 1, 2, 3].map((i) => `phone:+4860000000${i}`),
  ...[0, 1, 2].map((i) => `crmId:c${i}`),
  ...[0, 1, 2, 3].map((i) => `cookie:k${i}`),
];
const LIMITS: Record<string, number> = { crmId: 1, email: 2, phone: 2, cookie: 3 };
const PRIORITY: Record<string, number> = { crmId: 100, email: 70, phone: 60, cookie: 30 };
const rules: IdentityRules = {
  limit: (t) => LIMITS[t] ?? 5,
  priority: (t) => PRIORITY[t] ?? 0,
  autoBlockThreshold: Number.POSITIVE_INFINITY,
};
const options = { rules, traitRule: () => "latest" as const };

interface Raw {
  keys: string[];
  tier?: string;
}

const raw = fc.record(
  {
    keys: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }),
    tier: fc.constantFrom("gold", "silver"),
  },
  { requiredKeys: ["keys"] },
);
const workload = fc.array(raw, { minLength: 1, maxLength: 16 });

/**
 * The batch observations of a workload and the links they fold into. Each is later than the one
 * before, unless `minutes` gives each its time (then some are late evidence).
 */
function observationsOf(
  list: readonly Raw[],
  minutes?: readonly number[],
): { observations: BatchObservation[]; links: LinkEvidence[] } {
  const links = new Map<string, LinkEvidence>();
  const observations = list.map((r, i): BatchObservation => {
    const keys = [...r.keys].sort(compareStrings);
    const at = new Date(Date.UTC(2026, 3, 1, 0, minutes?.[i] ?? i)).toISOString();
    const id = stableId("link", ...keys);
    const before = links.get(id);
    const traits: LinkEvidence["traits"] = Object.assign(Object.create(null), before?.traits);
    if (r.tier !== undefined) traits.tier = foldTrait(traits.tier, { value: r.tier, at });
    const link: LinkEvidence = before
      ? {
          ...before,
          firstSeen: compareStrings(at, before.firstSeen) < 0 ? at : before.firstSeen,
          lastSeen: compareStrings(at, before.lastSeen) >= 0 ? at : before.lastSeen,
          count: before.count + 1,
          traits,
        }
      : { id, keys, firstSeen: at, lastSeen: at, count: 1, first: {}, last: {}, traits };
    links.set(id, link);
    const moved = before !== undefined && before.firstSeen !== link.firstSeen;
    return {
      link,
      at,
      kind: before ? (moved ? "late" : "repeat") : "new",
      autoBlocked: [],
      ...(r.tier !== undefined ? { traits: { tier: r.tier } } : {}),
    };
  });
  return { observations, links: [...links.values()] };
}

/** A full rebuild of the observations: the partition and the profiles as compressed nodes. */
function rebuild(observations: readonly BatchObservation[]): {
  profileOf: Map<string, string>;
  nodes: Map<string, ProfileNode>;
  identifiers: Map<string, KnownIdentifier>;
} {
  const links = new Map<string, LinkEvidence>();
  const nodes = new Map<string, NodeInfo>();
  for (const o of observations) {
    links.set(o.link.id, o.link);
    for (const key of o.link.keys) {
      const n = nodes.get(key);
      const firstSeen = n && compareStrings(n.firstSeen, o.at) < 0 ? n.firstSeen : o.at;
      const lastSeen = n && compareStrings(n.lastSeen, o.at) > 0 ? n.lastSeen : o.at;
      nodes.set(key, { key, type: keyType(key), firstSeen, lastSeen });
    }
  }
  const linkList = [...links.values()];
  const resolution = resolveIdentities({ links: linkList, nodes, decisions: [] }, rules);
  const facts = deriveProfileFacts(linkList, [], resolution, rules);
  // Clean: no link naming one of its identifiers was refused (no separations or auto-blocking here).
  const refusedKeys = new Set(resolution.refusals.flatMap((r) => links.get(r.linkId)?.keys ?? []));
  const out = new Map<string, ProfileNode>();
  for (const c of resolution.components) {
    const counts: Record<string, number> = {};
    for (const key of c.keys) counts[keyType(key)] = (counts[keyType(key)] ?? 0) + 1;
    const f = facts.get(c.id);
    const traits = mergeTraits(f?.traitSources ?? [], options.traitRule);
    out.set(c.id, {
      id: c.id,
      anchor: c.anchor,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      maxOrder: f?.maxOrder ?? "",
      counts,
      separations: {},
      traits: traits.traits,
      provenance: traits.provenance,
      clean: c.keys.every((k) => !refusedKeys.has(k)),
    });
  }
  const identifiers = new Map<string, KnownIdentifier>();
  for (const [key, n] of nodes) {
    identifiers.set(key, {
      profileId: resolution.profileOf.get(key) as string,
      firstSeen: n.firstSeen,
      lastSeen: n.lastSeen,
    });
  }
  return { profileOf: resolution.profileOf, nodes: out, identifiers };
}

/** The state after applying a result to the state it was applied to. */
function advance(state: LoadedIdentityState, result: AppliedObservations): LoadedIdentityState {
  const profiles = new Map(state.profiles);
  for (const id of result.successor.keys()) profiles.delete(id);
  for (const [id, p] of result.profiles) profiles.set(id, p);
  const identifiers = new Map<string, KnownIdentifier>();
  for (const [key, known] of state.identifiers) {
    identifiers.set(key, { ...known, profileId: result.successor.get(known.profileId) ?? known.profileId });
  }
  for (const [key, known] of result.identifiers) identifiers.set(key, known);
  return { profiles, identifiers };
}

/** Plain data to compare: every identifier's profile, and every profile's summary. */
function view(state: LoadedIdentityState) {
  const partition = [...state.identifiers].map(([k, v]) => `${k} ${v.profileId}`).sort(compareStrings);
  const profiles = [...state.profiles.values()]
    .map((p) => JSON.parse(JSON.stringify({ ...p, counts: sorted(p.counts), traits: { ...p.traits } })))
    .sort((a, b) => compareStrings(a.id, b.id));
  return { partition, profiles };
}

/** `state` equals the rebuild of the same evidence, newest evidence orders included. */
function expectRebuilt(state: LoadedIdentityState, full: ReturnType<typeof rebuild>): void {
  expect(view(state)).toEqual(view({ profiles: full.nodes, identifiers: full.identifiers }));
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}

const EMPTY: LoadedIdentityState = { profiles: new Map(), identifiers: new Map() };

describe("applyObservations", () => {
  it("applies a batch exactly as one by one, and as a full rebuild", () => {
    fc.assert(
      fc.property(workload, (list) => {
        const { observations } = observationsOf(list);
        const batch = applyObservations(EMPTY, observations, options);
        expect(batch.applied).toBe(observations.length);
        const batched = view(advance(EMPTY, batch));

        let state = EMPTY;
        for (const o of observations) {
          const one = applyObservations(state, [o], options);
          expect(one.applied).toBe(1);
          state = advance(state, one);
        }
        expect(view(state)).toEqual(batched);

        const full = rebuild(observations);
        expect(batched).toEqual(view({ profiles: full.nodes, identifiers: full.identifiers }));
      }),
      { numRuns: 300 },
    );
  });

  it("continues from profiles loaded as compressed nodes as a rebuild of everything would", () => {
    fc.assert(
      fc.property(workload, fc.nat(), (list, cut) => {
        const { observations } = observationsOf(list);
        const m = cut % (observations.length + 1);
        const prefix = rebuild(observations.slice(0, m));
        const start: LoadedIdentityState = { profiles: prefix.nodes, identifiers: prefix.identifiers };
        const result = applyObservations(start, observations.slice(m), options);
        expect(result.applied).toBe(observations.length - m);
        const full = rebuild(observations);
        expect(view(advance(start, result))).toEqual(view({ profiles: full.nodes, identifiers: full.identifiers }));
      }),
      { numRuns: 300 },
    );
  });

  it("applies late evidence about clean profiles as a rebuild would, and stops at the rest", () => {
    let lateApplied = 0;
    let stopped = 0;
    fc.assert(
      fc.property(
        workload.chain((list) =>
          fc.tuple(fc.constant(list), fc.array(fc.nat(40), { minLength: list.length, maxLength: list.length })),
        ),
        ([list, minutes]) => {
          const { observations } = observationsOf(list, minutes);
          // One by one: what applyObservations applies must equal a rebuild of everything so far;
          // what it stops at is resolved from the whole evidence (the shell reloads the cluster).
          let state = EMPTY;
          for (const [i, o] of observations.entries()) {
            const full = rebuild(observations.slice(0, i + 1));
            const one = applyObservations(state, [o], options);
            const late =
              o.kind === "late" ||
              (o.kind === "new" &&
                o.link.keys.some((k) => {
                  const known = state.identifiers.get(k);
                  const p = known && state.profiles.get(known.profileId);
                  return p !== undefined && compareStrings(p.maxOrder, evidenceOrder(o.link.firstSeen, o.link.id)) >= 0;
                }));
            if (one.applied === 1) {
              if (late) lateApplied++;
              state = advance(state, one);
              expectRebuilt(state, full);
            } else {
              expect(late).toBe(true);
              stopped++;
              state = { profiles: full.nodes, identifiers: full.identifiers };
            }
          }
          // In one batch, the applied prefix equals the same prefix one by one.
          const batch = applyObservations(EMPTY, observations, options);
          expectRebuilt(advance(EMPTY, batch), rebuild(observations.slice(0, batch.applied)));
          // And the whole result is that of the prefix alone (the shell does not resolve it again).
          expect(batch).toEqual(applyObservations(EMPTY, observations.slice(0, batch.applied), options));
        },
      ),
      { numRuns: 400 },
    );
    // Both ways are exercised: late evidence applied in bulk, and late evidence left to the cluster.
    expect(lateApplied).toBeGreaterThan(100);
    expect(stopped).toBeGreaterThan(100);
  });

  it("reports merges, creations and refusals per observation", () => {
    const { observations } = observationsOf([
      { keys: ["email:e0@x.pl", "crmId:c0"] },
      { keys: ["phone:+48600000000", "crmId:c1"] },
      { keys: ["email:e0@x.pl", "phone:+48600000000"] },
    ]);
    const result = applyObservations(EMPTY, observations, options);
    expect(result.outcomes.map((o) => o.created)).toEqual([true, true, false]);
    const third = result.outcomes[2];
    // Two CRM ids never share a profile: the phone is refused, nothing merges.
    expect(third?.merged).toEqual([]);
    expect(third?.refused.map((r) => [r.identifier.type, r.reason])).toEqual([["phone", "limit"]]);
    expect(result.successor.size).toBe(0);
  });

  it("applies late evidence as a union when the order of evidence cannot matter, and stops otherwise", () => {
    const e0 = "email:e0@x.pl";
    const k0 = "cookie:k0";
    // The cookie is seen with the email five minutes before the email's own first observation.
    const late = observationsOf([{ keys: [e0] }, { keys: [e0, k0] }], [10, 5]).observations;
    const applied = applyObservations(EMPTY, late, options);
    expect(applied.applied).toBe(2);
    const [node] = [...applied.profiles.values()];
    // Both identifiers are now first seen at minute 5: the earliest in key order (the cookie) anchors.
    expect(node?.anchor).toBe(k0);
    expect(node?.id).toBe(profileIdFor(k0));
    expect(node?.createdAt).toBe("2026-04-01T00:05:00.000Z");
    expect(applied.successor.get(profileIdFor(e0))).toBe(profileIdFor(k0));
    expect(applied.outcomes[1]?.merged).toEqual([profileIdFor(e0)]);
    // The email's own link stays the newest evidence.
    const first = late[0] as BatchObservation;
    expect(node?.maxOrder).toBe(evidenceOrder(first.link.firstSeen, first.link.id));
    expect(node?.clean).toBe(true);

    // A union that would break a limit depends on the order: it stops.
    const crm = observationsOf([{ keys: ["crmId:c0", e0] }, { keys: ["crmId:c1", e0] }], [10, 5]).observations;
    expect(applyObservations(EMPTY, crm, options).applied).toBe(1);
    // So does late evidence about a profile that once had a link refused, or one that auto-blocks.
    const refused = observationsOf(
      [{ keys: ["crmId:c0", e0] }, { keys: ["crmId:c1", e0] }, { keys: [e0, k0] }],
      [10, 11, 5],
    );
    const two = applyObservations(EMPTY, refused.observations, options);
    expect(two.applied).toBe(2);
    expect([...two.profiles.values()].map((p) => p.clean)).toEqual([false, false]);
    const [a, b] = observationsOf([{ keys: [e0] }, { keys: [e0, k0] }]).observations as [
      BatchObservation,
      BatchObservation,
    ];
    expect(applyObservations(EMPTY, [a, { ...b, kind: "late", autoBlocked: [k0] }], options).applied).toBe(1);
  });

  it("costs the same whatever the size of the profiles it touches", () => {
    const big: ProfileNode = {
      id: profileIdFor("email:e0@x.pl"),
      anchor: "email:e0@x.pl",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      maxOrder: "2026-01-01T00:00:00.000Z|link_x",
      counts: { email: 1, cookie: 100_000 },
      separations: {},
      traits: {},
      provenance: {},
      clean: true,
    };
    const state: LoadedIdentityState = {
      profiles: new Map([[big.id, big]]),
      identifiers: new Map([
        ["email:e0@x.pl", { profileId: big.id, firstSeen: big.createdAt, lastSeen: big.createdAt }],
      ]),
    };
    const { observations } = observationsOf([{ keys: ["email:e0@x.pl", "phone:+48600000000"] }]);
    const result = applyObservations(state, observations, options);
    expect(result.profiles.get(big.id)?.counts).toEqual({ email: 1, cookie: 100_000, phone: 1 });
    // Only the identifiers the observation names come back, not the profile's members.
    expect([...result.identifiers.keys()]).toEqual(["email:e0@x.pl", "phone:+48600000000"]);
  });
});
