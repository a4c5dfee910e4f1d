import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileIdentityOptions } from "../compileIdentityOptions.js";
import { countCooccurrence } from "./countCooccurrence.js";
import { deriveProfileFacts } from "./deriveProfileFacts.js";
import { describeRefusal } from "./describeRefusal.js";
import { explainResolution } from "./explainResolution.js";
import { resolveIdentities } from "./resolveIdentities.js";
import { splitProfile } from "./splitProfile.js";
import type { LinkEvidence, NodeInfo, OperatorDecision } from "./types.js";

const { rules } = compileIdentityOptions({});
const t = (d: number) => `2026-04-${String(d).padStart(2, "0")}T09:00:00.000Z`;

function link(id: string, keys: string[], day: number, traits: LinkEvidence["traits"] = {}): LinkEvidence {
  return { id, keys: [...keys].sort(), firstSeen: t(day), lastSeen: t(day), count: 1, first: {}, last: {}, traits };
}

function nodesOf(links: readonly LinkEvidence[]): Map<string, NodeInfo> {
  const nodes = new Map<string, NodeInfo>();
  for (const l of links) {
    for (const key of l.keys) {
      const known = nodes.get(key);
      if (!known || known.firstSeen > l.firstSeen)
        nodes.set(key, { key, type: key.split(":")[0] as string, firstSeen: l.firstSeen, lastSeen: l.lastSeen });
    }
  }
  return nodes;
}

describe("deriveProfileFacts", () => {
  it("gives each profile its owned trait evidence, newest evidence order and separations", () => {
    const name = { first: { value: "Jan", at: t(1) }, last: { value: "Jan", at: t(1) } };
    const links = [link("l1", ["email:a@x.pl", "phone:+48601"], 1, { name }), link("l2", ["email:b@x.pl"], 3)];
    const split: OperatorDecision = {
      id: "dec1",
      kind: "split",
      key: "email:b@x.pl",
      detached: ["email:b@x.pl"],
      kept: ["email:a@x.pl"],
      at: t(2),
      reason: "two people",
    };
    const resolution = resolveIdentities({ links, nodes: nodesOf(links), decisions: [split] }, rules);
    const facts = deriveProfileFacts(links, [split], resolution, rules);
    const a = facts.get(resolution.profileOf.get("email:a@x.pl") as string);
    const b = facts.get(resolution.profileOf.get("email:b@x.pl") as string);
    expect(a).toEqual({ traitSources: [{ name }], maxOrder: `${t(1)}|l1`, separations: { dec1: 1 } });
    expect(b).toEqual({ traitSources: [{}], maxOrder: `${t(3)}|l2`, separations: { dec1: 0 } });
  });

  it("does not depend on the order of the links", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 })),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.nat(),
        (pairs, seed) => {
          const links = pairs.map(([a, b, day], i) =>
            link(`l${i}`, [...new Set([`cookie:c${a}`, `email:e${b}@x.pl`])], day),
          );
          const resolution = resolveIdentities({ links, nodes: nodesOf(links), decisions: [] }, rules);
          const shuffled = [...links].sort((x, y) => ((x.id.length * 31 + seed) % 7) - ((y.id.length * 17 + seed) % 5));
          const norm = (m: Map<string, { maxOrder: string; separations: Record<string, number> }>) =>
            [...m].map(([id, f]) => [id, f.maxOrder, f.separations]).sort();
          expect(norm(deriveProfileFacts(shuffled, [], resolution, rules))).toEqual(
            norm(deriveProfileFacts(links, [], resolution, rules)),
          );
        },
      ),
    );
  });
});

describe("splitProfile", () => {
  it("detaches the identifier with everything linked only through it, and keeps the earliest part", () => {
    const links = [
      link("l1", ["email:a@x.pl", "phone:+48601"], 1),
      link("l2", ["phone:+48601", "cookie:c1"], 2),
      link("l3", ["email:a@x.pl", "cookie:c2"], 3),
    ];
    const firstSeen = (k: string) => nodesOf(links).get(k)?.firstSeen ?? "";
    const keys = ["cookie:c1", "cookie:c2", "email:a@x.pl", "phone:+48601"];
    expect(splitProfile(keys, "phone:+48601", { links, decisions: [] }, firstSeen)).toEqual({
      start: "email:a@x.pl",
      kept: ["cookie:c2", "email:a@x.pl"],
      detached: ["cookie:c1", "phone:+48601"],
    });
  });

  it("keeps a part joined by an operator merge, and ignores links through auto-blocked identifiers", () => {
    const links = [link("l1", ["email:a@x.pl", "phone:+48601"], 1), link("l2", ["phone:+48601", "cookie:c1"], 2)];
    const merge: OperatorDecision = {
      id: "m",
      kind: "merge",
      keys: ["email:a@x.pl", "cookie:c1"],
      at: t(3),
      reason: "r",
    };
    const firstSeen = (k: string) => nodesOf(links).get(k)?.firstSeen ?? "";
    const keys = ["cookie:c1", "email:a@x.pl", "phone:+48601"];
    expect(splitProfile(keys, "phone:+48601", { links, decisions: [merge] }, firstSeen).detached).toEqual([
      "phone:+48601",
    ]);
    const blocked = splitProfile(
      keys,
      "email:a@x.pl",
      { links, decisions: [], autoBlocked: new Set(["cookie:c1"]) },
      firstSeen,
    );
    expect(blocked).toEqual({ start: "phone:+48601", kept: ["phone:+48601"], detached: ["cookie:c1", "email:a@x.pl"] });
  });
});

describe("describeRefusal", () => {
  it("says which identifier was not linked, to what and why", () => {
    const links = [link("l1", ["crmId:C-1", "email:a@x.pl"], 1), link("l2", ["crmId:C-2", "email:a@x.pl"], 2)];
    const resolution = resolveIdentities({ links, nodes: nodesOf(links), decisions: [] }, rules);
    const [refusal] = resolution.refusals;
    expect(refusal).toBeDefined();
    const described = describeRefusal(refusal as NonNullable<typeof refusal>, resolution, rules);
    // crmId has the higher priority, so the second link speaks for C-2 and the email is refused.
    expect(described).toEqual({
      identifier: { type: "email", value: "a@x.pl" },
      reason: "limit",
      profileId: resolution.profileOf.get("crmId:C-2"),
      message: 'email "a@x.pl" was not linked to crmId "C-2": the profile would hold more than 1 crmId value(s)',
    });
    expect(
      describeRefusal(
        { linkId: "l", key: "phone:+48601", against: "email:a@x.pl", reason: "unmerged" },
        resolution,
        rules,
      ).message,
    ).toBe('phone "+48601" was not linked to email "a@x.pl": an operator separated them');
    expect(
      describeRefusal(
        { linkId: "l", key: "phone:+48601", against: "phone:+48601", reason: "auto-blocked" },
        { profileOf: new Map() },
        rules,
      ),
    ).toEqual({
      identifier: { type: "phone", value: "+48601" },
      reason: "auto-blocked",
      message: `phone "+48601" was seen with too many other customers' identifiers and no longer links anything`,
    });
  });
});

describe("countCooccurrence", () => {
  it("counts other types' values, blocks above the threshold, and leaves its input alone", () => {
    const before = { email: ["email:a@x.pl"] };
    const out = countCooccurrence(before, "phone", ["phone:+48601", "email:b@x.pl", "cookie:c1"], 1);
    expect(out).toEqual({
      seenWith: { email: ["email:a@x.pl", "email:b@x.pl"], cookie: ["cookie:c1"] },
      blocked: true,
    });
    expect(before).toEqual({ email: ["email:a@x.pl"] });
    expect(countCooccurrence(before, "phone", ["email:z@x.pl"], Number.POSITIVE_INFINITY)).toEqual({
      seenWith: before,
      blocked: false,
    });
  });

  it("keeps at most threshold + 1 values per type and blocks exactly when a type goes over", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 4 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (observations, threshold) => {
          let seen: Readonly<Record<string, readonly string[]>> = {};
          const all = new Set<string>();
          for (const values of observations) {
            const keys = ["phone:+48601", ...values.map((v) => `email:e${v}@x.pl`)];
            for (const k of keys.slice(1)) all.add(k);
            const out = countCooccurrence(seen, "phone", keys, threshold);
            seen = out.seenWith;
            // Blocked is reported by an observation that names a type over the threshold.
            expect(out.blocked).toBe(values.length > 0 && all.size > threshold);
          }
          expect((seen.email ?? []).length).toBe(Math.min(all.size, threshold + 1));
        },
      ),
    );
  });
});

describe("explainResolution", () => {
  it("lists the edges that joined the profile, the refusals against it and its separations", () => {
    const links = [link("l1", ["crmId:C-1", "email:a@x.pl"], 1), link("l2", ["crmId:C-2", "email:a@x.pl"], 2)];
    const merge: OperatorDecision = {
      id: "m1",
      kind: "merge",
      keys: ["email:a@x.pl", "phone:+48601"],
      at: t(3),
      reason: "same person",
      by: "ops",
    };
    const nodes = nodesOf(links);
    nodes.set("phone:+48601", { key: "phone:+48601", type: "phone", firstSeen: t(3), lastSeen: t(3) });
    const evidence = { links, nodes, decisions: [merge] };
    const resolution = resolveIdentities(evidence, rules);
    const id = resolution.profileOf.get("email:a@x.pl") as string;
    const component = resolution.components.find((c) => c.id === id);
    const why = explainResolution(
      { id, anchor: component?.anchor ?? "", keys: component?.keys ?? [] },
      evidence,
      resolution,
      rules,
    );
    expect(why.identifiers.map((i) => i.value)).toEqual(["C-1", "a@x.pl", "+48601"]);
    expect(why.edges.map((e) => [e.kind, e.to.value])).toEqual(
      expect.arrayContaining([
        ["operator", "+48601"],
        ["observation", expect.any(String)],
      ]),
    );
    expect(why.edges.find((e) => e.kind === "operator")).toMatchObject({
      decisionId: "m1",
      reason: "same person",
      by: "ops",
    });
    expect(why.refused).toEqual([expect.objectContaining({ reason: "limit", linkId: "l2", at: t(2) })]);
    expect(why.separations).toEqual([]);
  });
});
