/**
 * Invariants of identity resolution (DESIGN.md §4), checked with random observations that
 * include conflicts (several CRM ids), blocked values and identifiers shared across people.
 */

import { arbitraries, type WorkloadItem } from "customer-context/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileIdentityOptions,
  createCustomerContext,
  type Identifier,
  isBlocked,
  type LinkEvidence,
  type NodeInfo,
  normalizeIdentifier,
  resolveIdentities,
  stableIdForTests,
} from "./_support.js";

/**
 * Observations from the kit: four people whose identifiers are seen in any subset, one person's
 * email with another's CRM id (a limit conflict), a phone shared with another person's email,
 * blocked placeholders, redeliveries and late arrivals; times spread over hours, with ties.
 */
const observations = arbitraries
  .workload({ kinds: ["identify"], customers: 4, maxItems: 14, spacing: { min: 0, max: 120 } })
  .map((items) => items.filter((i): i is Obs => i.kind === "identify"));
const permuted = observations.chain((list) =>
  fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).map((p) => [list, p] as const),
);

type Obs = WorkloadItem & { kind: "identify" };

const OPTIONS = [{ defaultRegion: "PL" }, { defaultRegion: "PL", autoBlock: { threshold: 2 } }] as const;
type Options = (typeof OPTIONS)[number];

/** The normalised `type:value` key of an identifier, or null when it does not normalise. */
const keyOf = (identifier: Identifier, identity: Options = OPTIONS[0]): string | null => {
  const r = normalizeIdentifier(identifier, compileIdentityOptions(identity).normalize);
  return r.ok ? r.key : null;
};

/** Every identifier the observations name. */
const universe = (list: readonly Obs[]): Identifier[] => list.flatMap((o) => o.identifiers);

async function apply(list: readonly Obs[], identity: Options) {
  const cc = createCustomerContext({ identity, clock: () => new Date("2026-05-01T00:00:00Z") });
  for (const { kind: _kind, ...o } of list) await cc.identify(o);
  return cc;
}

/** The partition of `identifiers` as sorted lines `profileId: key key …` of normalised keys. */
async function partition(cc: Awaited<ReturnType<typeof apply>>, identifiers: readonly Identifier[]): Promise<string[]> {
  const groups = new Map<string, Set<string>>();
  for (const identifier of identifiers) {
    const profile = await cc.profiles.find(identifier);
    const key = keyOf(identifier);
    if (!profile || key === null) continue;
    const keys = groups.get(profile.id) ?? new Set<string>();
    keys.add(key);
    groups.set(profile.id, keys);
  }
  return [...groups].map(([id, keys]) => `${id}: ${[...keys].sort().join(" ")}`).sort();
}

/** A from-scratch rebuild: fold the observations into links and resolve them in one batch. */
function rebuild(list: readonly Obs[], identity: Options): string[] {
  const compiled = compileIdentityOptions(identity);
  const links = new Map<string, LinkEvidence>();
  const nodes = new Map<string, NodeInfo>();
  for (const o of list) {
    const keys = [
      ...new Set(
        o.identifiers.flatMap((i) => {
          const r = normalizeIdentifier(i, compiled.normalize);
          return r.ok && !isBlocked(compiled.blockList, r.identifier) ? [r.key] : [];
        }),
      ),
    ].sort();
    if (keys.length === 0) continue;
    const id = stableIdForTests("link", ...keys);
    const link = links.get(id);
    links.set(id, {
      id,
      keys,
      firstSeen: link && link.firstSeen < o.at ? link.firstSeen : o.at,
      lastSeen: link && link.lastSeen > o.at ? link.lastSeen : o.at,
      count: (link?.count ?? 0) + 1,
      first: {},
      last: {},
      traits: {},
    });
    for (const key of keys) {
      const n = nodes.get(key);
      nodes.set(key, {
        key,
        type: key.slice(0, key.indexOf(":")),
        firstSeen: n && n.firstSeen < o.at ? n.firstSeen : o.at,
        lastSeen: n && n.lastSeen > o.at ? n.lastSeen : o.at,
      });
    }
  }
  const resolution = resolveIdentities({ links: [...links.values()], nodes, decisions: [] }, compiled.rules);
  return resolution.components.map((c) => `${c.id}: ${[...c.keys].sort().join(" ")}`).sort();
}

describe("the kit's observations", () => {
  it("exercise merges, refusals and blocked values (a property over trivial input would prove little)", async () => {
    const seen = new Set<string>();
    for (const identity of OPTIONS) {
      for (const list of fc.sample(observations, { numRuns: 30, seed: 16 })) {
        const cc = createCustomerContext({ identity, clock: () => new Date("2026-05-01T00:00:00Z") });
        for (const { kind: _kind, ...o } of list) {
          const r = await cc.identify(o);
          if (r.merged.length > 0) seen.add("merged");
          for (const refusal of r.refused) seen.add(`refused:${refusal.reason}`);
        }
      }
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(["merged", "refused:blocked", "refused:limit"]));
  });
});

describe.each(OPTIONS)("identity invariants with %o", (identity) => {
  it("I1: any arrival order gives the same partition and the same ids", async () => {
    await fc.assert(
      fc.asyncProperty(permuted, async ([original, shuffled]) => {
        const ids = universe(original);
        expect(await partition(await apply(shuffled, identity), ids)).toEqual(
          await partition(await apply(original, identity), ids),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("I2: applying evidence one by one equals one batch rebuild", async () => {
    await fc.assert(
      fc.asyncProperty(observations, async (list) => {
        expect(await partition(await apply(list, identity), universe(list))).toEqual(rebuild(list, identity));
      }),
      { numRuns: 60 },
    );
  });

  it("I3: no identifier in two profiles and no limit broken", async () => {
    await fc.assert(
      fc.asyncProperty(observations, async (list) => {
        const cc = await apply(list, identity);
        const seen = new Set<string>();
        for (const identifier of universe(list)) {
          const profile = await cc.profiles.find(identifier);
          if (!profile || seen.has(profile.id)) continue;
          seen.add(profile.id);
          const crmIds = profile.identifiers.filter((i) => i.type === "crmId");
          expect(crmIds.length).toBeLessThanOrEqual(1);
          for (const type of ["email", "phone", "cookie"]) {
            expect(profile.identifiers.filter((i) => i.type === type).length).toBeLessThanOrEqual(5);
          }
          for (const { type, value } of profile.identifiers) {
            expect((await cc.profiles.find({ type, value }))?.id).toBe(profile.id);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("I4: unmerge equals never having seen the evidence that linked the parts", () => {
  it("holds for random profiles and identifiers", async () => {
    await fc.assert(
      fc.asyncProperty(observations, fc.nat(), fc.nat(), async (list, pickProfile, pickKey) => {
        const cc = await apply(list, OPTIONS[0]);
        const profiles = new Map<string, Identifier[]>();
        for (const identifier of universe(list)) {
          const p = await cc.profiles.find(identifier);
          if (p && p.identifiers.length > 1)
            profiles.set(
              p.id,
              p.identifiers.map(({ type, value }) => ({ type, value })),
            );
        }
        const ids = [...profiles.keys()].sort();
        if (ids.length === 0) return;
        const profileId = ids[pickProfile % ids.length] as string;
        const members = profiles.get(profileId) as Identifier[];
        const target = members[pickKey % members.length] as Identifier;
        const { detachedProfileId } = await cc.profiles.unmerge(profileId, target, { reason: "test" });
        const detached = new Set(
          ((await cc.profiles.get({ profileId: detachedProfileId }))?.identifiers ?? []).map(
            (i) => `${i.type}:${i.value}`,
          ),
        );
        const kept = new Set(members.map((i) => `${i.type}:${i.value}`).filter((k) => !detached.has(k)));
        // The world without the linking evidence: every observation naming both parts is split in two.
        // (The halves lose the idempotency key: one key with two contents would be a conflict.)
        const without = list.flatMap((o): Obs[] => {
          const keys = o.identifiers.map((i) => keyOf(i) ?? "");
          if (!keys.some((k) => detached.has(k)) || !keys.some((k) => kept.has(k))) return [o];
          const { id: _id, ...evidence } = o;
          return [
            { ...evidence, identifiers: o.identifiers.filter((i) => !kept.has(keyOf(i) ?? "")) },
            { ...evidence, identifiers: o.identifiers.filter((i) => !detached.has(keyOf(i) ?? "")) },
          ];
        });
        const all = universe(list);
        expect(await partition(cc, all)).toEqual(await partition(await apply(without, OPTIONS[0]), all));
      }),
      { numRuns: 80 },
    );
  });
});
