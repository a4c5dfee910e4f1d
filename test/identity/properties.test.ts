/**
 * Invariants of identity resolution (DESIGN.md §4), checked with random observations that
 * include conflicts (several CRM ids), blocked values and identifiers shared across people.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileIdentityOptions,
  createCustomerContext,
  type Identifier,
  type LinkEvidence,
  type NodeInfo,
  normalizeIdentifier,
  resolveIdentities,
  stableIdForTests,
} from "./_support.js";

const POOL: Identifier[] = [
  ...[0, 1, 2, 3, 4].map((i) => ({ type: "email", value: `p${i}@x.pl` })),
  ...[0, 1, 2, 3].map((i) => ({ type: "phone", value: `+4860123456${i}` })),
  ...[0, 1, 2].map((i) => ({ type: "crmId", value: `c${i}` })),
  ...[0, 1, 2].map((i) => ({ type: "cookie", value: `k${i}` })),
  { type: "email", value: "unknown" },
];

interface Obs {
  identifiers: Identifier[];
  at: string;
}

const observation = fc.record({
  identifiers: fc.uniqueArray(fc.constantFrom(...POOL), {
    minLength: 1,
    maxLength: 3,
    selector: (i) => `${i.type}:${i.value}`,
  }),
  at: fc.integer({ min: 0, max: 40 }).map((h) => new Date(Date.UTC(2026, 3, 1, h)).toISOString()),
});
const observations = fc.array(observation, { minLength: 1, maxLength: 14 });
const permuted = observations.chain((list) =>
  fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).map((p) => [list, p] as const),
);

const OPTIONS = [{}, { autoBlock: { threshold: 2 } }] as const;

async function apply(list: readonly Obs[], identity: (typeof OPTIONS)[number]) {
  const cc = createCustomerContext({ identity, clock: () => new Date("2026-05-01T00:00:00Z") });
  for (const o of list) {
    const usable = o.identifiers.some((i) => i.value !== "unknown");
    if (usable) await cc.identify(o);
  }
  return cc;
}

/** The partition as sorted lines `profileId: key key …`. */
async function partition(cc: Awaited<ReturnType<typeof apply>>): Promise<string[]> {
  const groups = new Map<string, string[]>();
  for (const identifier of POOL) {
    const profile = await cc.profiles.find(identifier);
    if (!profile) continue;
    const keys = groups.get(profile.id) ?? [];
    keys.push(`${identifier.type}:${identifier.value}`);
    groups.set(profile.id, keys);
  }
  return [...groups].map(([id, keys]) => `${id}: ${keys.sort().join(" ")}`).sort();
}

/** A from-scratch rebuild: fold the observations into links and resolve them in one batch. */
function rebuild(list: readonly Obs[], identity: (typeof OPTIONS)[number]): string[] {
  const compiled = compileIdentityOptions(identity);
  const links = new Map<string, LinkEvidence>();
  const nodes = new Map<string, NodeInfo>();
  for (const o of list) {
    const keys = [
      ...new Set(
        o.identifiers.flatMap((i) => {
          const r = normalizeIdentifier(i, compiled.normalize);
          return r.ok && !isBlockedValue(r.identifier.value) ? [r.key] : [];
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

const isBlockedValue = (v: string) => v === "unknown";

describe.each(OPTIONS)("identity invariants with %o", (identity) => {
  it("I1: any arrival order gives the same partition and the same ids", async () => {
    await fc.assert(
      fc.asyncProperty(permuted, async ([original, shuffled]) => {
        expect(await partition(await apply(shuffled, identity))).toEqual(
          await partition(await apply(original, identity)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("I2: applying evidence one by one equals one batch rebuild", async () => {
    await fc.assert(
      fc.asyncProperty(observations, async (list) => {
        expect(await partition(await apply(list, identity))).toEqual(rebuild(list, identity));
      }),
      { numRuns: 60 },
    );
  });

  it("I3: no identifier in two profiles and no limit broken", async () => {
    await fc.assert(
      fc.asyncProperty(observations, async (list) => {
        const cc = await apply(list, identity);
        const seen = new Set<string>();
        for (const identifier of POOL) {
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
        const cc = await apply(list, {});
        const profiles = new Map<string, Identifier[]>();
        for (const identifier of POOL) {
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
        const without = list.flatMap((o) => {
          const keys = o.identifiers.map((i) => `${i.type}:${i.value}`);
          if (!keys.some((k) => detached.has(k)) || !keys.some((k) => kept.has(k))) return [o];
          return [
            { ...o, identifiers: o.identifiers.filter((i) => !kept.has(`${i.type}:${i.value}`)) },
            { ...o, identifiers: o.identifiers.filter((i) => !detached.has(`${i.type}:${i.value}`)) },
          ];
        });
        expect(await partition(cc)).toEqual(await partition(await apply(without, {})));
      }),
      { numRuns: 80 },
    );
  });
});
