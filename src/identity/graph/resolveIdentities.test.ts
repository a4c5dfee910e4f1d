import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileIdentityOptions } from "../compileIdentityOptions.js";
import { keyType, profileIdFor, resolveGeneral, resolveIdentities } from "./resolveIdentities.js";
import type { LinkEvidence, NodeInfo, OperatorDecision } from "./types.js";

const { rules } = compileIdentityOptions({});
const t = (d: number) => `2026-04-${String(d).padStart(2, "0")}T09:00:00.000Z`;

function link(id: string, keys: string[], day: number): LinkEvidence {
  return { id, keys: [...keys].sort(), firstSeen: t(day), lastSeen: t(day), count: 1, first: {}, last: {}, traits: {} };
}

/** Every identifier the links name, first seen with the earliest link that names it. */
function nodesOf(links: readonly LinkEvidence[]): Map<string, NodeInfo> {
  const nodes = new Map<string, NodeInfo>();
  for (const l of links) {
    for (const key of l.keys) {
      const known = nodes.get(key);
      const type = key.slice(0, key.indexOf(":"));
      if (!known) nodes.set(key, { key, type, firstSeen: l.firstSeen, lastSeen: l.lastSeen });
      else if (l.firstSeen < known.firstSeen) known.firstSeen = l.firstSeen;
      else if (l.lastSeen > known.lastSeen) known.lastSeen = l.lastSeen;
    }
  }
  return nodes;
}

const resolve = (links: LinkEvidence[], decisions: OperatorDecision[] = []) =>
  resolveIdentities({ links, nodes: nodesOf(links), decisions }, rules);

describe("resolveIdentities", () => {
  it("joins identifiers seen together, transitively, into one profile named after the earliest one", () => {
    const { components, profileOf, edges } = resolve([
      link("l2", ["email:a@x.pl", "phone:+48601234567"], 2),
      link("l1", ["cookie:c1", "email:a@x.pl"], 1),
    ]);
    expect(components).toEqual([
      {
        id: profileIdFor("cookie:c1"),
        anchor: "cookie:c1",
        keys: ["cookie:c1", "email:a@x.pl", "phone:+48601234567"],
        createdAt: t(1),
        updatedAt: t(2),
      },
    ]);
    expect(profileOf.get("phone:+48601234567")).toBe(profileIdFor("cookie:c1"));
    expect(edges.map((e) => e.id)).toEqual(["l1", "l2"]);
  });

  it("gives the same profiles whatever order the links come in", () => {
    const links = [
      link("l1", ["crmId:1", "email:a@x.pl"], 1),
      link("l2", ["crmId:2", "email:a@x.pl"], 2),
      link("l3", ["email:b@x.pl", "phone:+48601"], 3),
    ];
    const forward = resolve(links);
    const backward = resolve([...links].reverse());
    expect(backward.components).toEqual(forward.components);
    expect(backward.refusals).toEqual(forward.refusals);
  });

  it("refuses a link that would put two values of a single-value type in one profile, and reports it", () => {
    const { components, refusals } = resolve([
      link("l1", ["crmId:1", "email:a@x.pl"], 1),
      link("l2", ["crmId:2", "email:a@x.pl"], 2),
    ]);
    expect(components.map((c) => c.keys)).toEqual(expect.arrayContaining([["crmId:1", "email:a@x.pl"], ["crmId:2"]]));
    expect(components).toHaveLength(2);
    expect(refusals).toEqual([
      { linkId: "l2", key: "email:a@x.pl", against: "crmId:2", reason: "limit", type: "crmId" },
    ]);
  });

  it("never joins the two sides of an operator split", () => {
    const split: OperatorDecision = {
      id: "d1",
      kind: "split",
      key: "email:b@x.pl",
      detached: ["email:b@x.pl"],
      kept: ["email:a@x.pl"],
      at: t(2),
      reason: "two people",
    };
    const { components, refusals } = resolve([link("l1", ["email:a@x.pl", "email:b@x.pl"], 3)], [split]);
    expect(components).toHaveLength(2);
    expect(refusals).toMatchObject([{ linkId: "l1", reason: "unmerged" }]);
  });

  it("joins what an operator merged even without a link between them", () => {
    const merge: OperatorDecision = {
      id: "d1",
      kind: "merge",
      keys: ["email:a@x.pl", "phone:+48601"],
      at: t(3),
      reason: "same person",
    };
    const { components, edges } = resolve([link("l1", ["email:a@x.pl"], 1), link("l2", ["phone:+48601"], 2)], [merge]);
    expect(components.map((c) => c.keys)).toEqual([["email:a@x.pl", "phone:+48601"]]);
    expect(edges).toEqual([{ kind: "operator", id: "d1", from: "email:a@x.pl", to: "phone:+48601", at: t(3) }]);
  });

  it("does not link through an auto-blocked identifier (a shared call-centre phone)", () => {
    const shared = "phone:+48800100100";
    const links = [1, 2, 3, 4, 5, 6].map((n) => link(`l${n}`, [`email:c${n}@x.pl`, shared], n));
    const { components, autoBlocked, refusals } = resolve(links);
    expect([...autoBlocked]).toEqual([shared]);
    // Six customers and the blocked phone on its own: nobody was merged through it.
    expect(components).toHaveLength(7);
    expect(refusals.filter((r) => r.reason === "auto-blocked")).toHaveLength(6);
  });
});

describe("resolveIdentities on one link (the shortcut the bulk resolver takes)", () => {
  // Compressed evidence as applyObservations builds it: known profiles as one node each (with
  // type counts and their members mapped onto them), new identifiers as nodes of their own.
  const evidence = fc
    .record({
      profiles: fc.array(
        fc.record({
          members: fc.uniqueArray(fc.constantFrom("email", "phone", "cookie", "crmId"), { minLength: 1, maxLength: 3 }),
          extra: fc.dictionary(fc.constantFrom("email", "phone", "cookie"), fc.integer({ min: 0, max: 6 })),
          first: fc.integer({ min: 1, max: 4 }),
          last: fc.integer({ min: 4, max: 8 }),
        }),
        { maxLength: 3 },
      ),
      fresh: fc.uniqueArray(fc.constantFrom("email", "phone", "cookie", "crmId", "device"), { maxLength: 4 }),
      day: fc.integer({ min: 1, max: 9 }),
      blocked: fc.boolean(),
    })
    .map(({ profiles, fresh, day, blocked }) => {
      const nodes = new Map<string, NodeInfo>();
      const memberOf = new Map<string, string>();
      const keys: string[] = [];
      profiles.forEach((p, i) => {
        const memberKeys = p.members.map((type) => `${type}:p${i}`);
        const anchor = memberKeys[0] as string;
        const counts: Record<string, number> = {};
        for (const [type, n] of Object.entries(p.extra)) counts[type] = n;
        for (const type of p.members) counts[type] = (counts[type] ?? 0) + 1;
        nodes.set(anchor, { key: anchor, type: keyType(anchor), firstSeen: t(p.first), lastSeen: t(p.last), counts });
        for (const key of memberKeys) if (key !== anchor) memberOf.set(key, anchor);
        keys.push(...memberKeys);
      });
      for (const type of fresh) {
        const key = `${type}:new`;
        nodes.set(key, { key, type, firstSeen: t(day), lastSeen: t(day) });
        keys.push(key);
      }
      const l = link("l-new", keys.length > 0 ? keys : ["email:new"], day);
      if (keys.length === 0)
        nodes.set("email:new", { key: "email:new", type: "email", firstSeen: t(day), lastSeen: t(day) });
      return {
        links: [l],
        nodes,
        decisions: [],
        memberOf,
        autoBlocked: new Set(blocked ? [l.keys[0] as string] : []),
      };
    });

  it("gives exactly what the general resolver gives", () => {
    const limited = compileIdentityOptions({ types: { cookie: { limit: 5 }, email: { limit: 3 } } }).rules;
    let shortcut = 0;
    fc.assert(
      fc.property(evidence, fc.boolean(), (e, tight) => {
        const r = tight ? limited : rules;
        const result = resolveIdentities(e, r);
        expect(result).toEqual(resolveGeneral(e, r));
        if (result.refusals.length === 0 && e.autoBlocked.size === 0) shortcut++;
      }),
      { numRuns: 600 },
    );
    // The generator reaches the shortcut, and the cases around it.
    expect(shortcut).toBeGreaterThan(100);
  });
});
