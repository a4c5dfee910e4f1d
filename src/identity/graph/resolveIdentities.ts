import { compareStrings, stableId } from "../../_lib/hash.js";
import type {
  IdentityRules,
  LinkEdge,
  LinkEvidence,
  LinkRefusal,
  NodeInfo,
  OperatorDecision,
  Resolution,
  ResolvedComponent,
} from "./types.js";

/** Evidence for {@link resolveIdentities}: everything known about one cluster of identifiers. */
export interface IdentityEvidence {
  links: readonly LinkEvidence[];
  /** Every identifier named by a link or a decision. */
  nodes: ReadonlyMap<string, NodeInfo>;
  decisions: readonly OperatorDecision[];
  /** Identifiers known to be auto-blocked; when given, replaces counting over `links`. */
  autoBlocked?: ReadonlySet<string>;
  /**
   * Identifiers represented by a compressed node (see {@link NodeInfo.counts}): key -> the node's
   * key. A link naming such an identifier joins its node; refusals still name the identifier.
   */
  memberOf?: ReadonlyMap<string, string>;
  /** Profile ids already known for some anchors (each is `profileIdFor(anchor)`): saves hashing them again. */
  profileIds?: ReadonlyMap<string, string>;
}

/** Orders identifier keys by their type's priority, highest first, then by key. */
function byPriority(rules: IdentityRules): (a: string, b: string) => number {
  return (a, b) => rules.priority(keyType(b)) - rules.priority(keyType(a)) || compareStrings(a, b);
}

/** The type part of an identifier key `type:value`. */
export function keyType(key: string): string {
  const i = key.indexOf(":");
  return i < 0 ? key : key.slice(0, i);
}

/**
 * The profile id of a component whose earliest identifier is `anchor`. It depends on the anchor
 * only, so late evidence about the same anchor never renames a profile, and a split-off part gets
 * back the id it had before it was merged. (After an erasure, a new profile of the same identifier
 * gets the same id again, with none of the erased evidence.)
 */
export function profileIdFor(anchor: string): string {
  return stableId("prof", anchor);
}

/** Canonical evidence order: time, then the stable id. */
export function compareEvidence(a: { firstSeen: string; id: string }, b: { firstSeen: string; id: string }): number {
  return compareStrings(a.firstSeen, b.firstSeen) || compareStrings(a.id, b.id);
}

/**
 * Derives profiles from identity evidence. Links are applied in canonical order (time, then
 * id) after operator merges, so the result does not depend on the order evidence arrived in.
 * A link never puts more values of a type into one profile than the type's limit, never
 * joins parts an operator separated, and never links through an auto-blocked identifier;
 * when it would, the lowest-priority identifier that causes it is left out and reported.
 *
 * @param evidence - links, node facts and operator decisions of one or more clusters
 * @param rules - limits, priorities and the auto-block threshold
 * @returns components with their stable ids, refusals and the evidence edges that joined them
 *
 * @example
 * ```ts
 * const t1 = "2026-04-01T09:00:00.000Z";
 * // email and phone seen together once, on the web
 * const link = {
 *   id: "link-1", keys: ["email:a@x.pl", "phone:+48601234567"], firstSeen: t1, lastSeen: t1, count: 1,
 *   first: { channel: "web" }, last: { channel: "web" }, traits: {},
 * };
 * // one email and one phone per profile, email wins a conflict, no auto-blocking
 * const rules = {
 *   limit: () => 1,
 *   priority: (type: string) => (type === "email" ? 2 : 1),
 *   autoBlockThreshold: Number.POSITIVE_INFINITY,
 * };
 * const nodes = new Map([
 *   ["email:a@x.pl", { key: "email:a@x.pl", type: "email", firstSeen: t1, lastSeen: t1 }],
 *   ["phone:+48601234567", { key: "phone:+48601234567", type: "phone", firstSeen: t1, lastSeen: t1 }],
 * ]);
 * const { components } = resolveIdentities({ links: [link], nodes, decisions: [] }, rules);
 * components.length; // 1
 * components[0].keys; // ["email:a@x.pl", "phone:+48601234567"]
 * components[0].anchor; // "email:a@x.pl"
 * ```
 */
export function resolveIdentities(evidence: IdentityEvidence, rules: IdentityRules): Resolution {
  return resolveOneLink(evidence, rules) ?? resolveGeneral(evidence, rules);
}

/**
 * The common case of the bulk resolver, without the union-find: one link that names every node,
 * no operator decision, no auto-blocked identifier, and type totals within every limit. Then no
 * rule can refuse anything and the link joins all the nodes into one component, exactly as the
 * general resolver would (same edges, anchor, times and id). Null when the case does not apply.
 */
function resolveOneLink(evidence: IdentityEvidence, rules: IdentityRules): Resolution | null {
  const { nodes, memberOf } = evidence;
  const link = evidence.links[0];
  if (evidence.links.length !== 1 || !link || evidence.decisions.length > 0) return null;
  if (evidence.autoBlocked === undefined || evidence.autoBlocked.size > 0) return null;
  const named = new Set<string>();
  for (const key of link.keys) {
    const node = memberOf?.get(key) ?? key;
    if (!nodes.has(node)) return null;
    named.add(node);
  }
  if (named.size !== nodes.size) return null;
  if (memberOf) for (const node of memberOf.values()) if (!nodes.has(node)) return null;
  if (!withinLimits(nodes, rules)) return null;

  // Edges as the general resolver records them: the anchor joins each other node once, in
  // priority order; a second identifier of an already joined node adds nothing.
  const usable = [...link.keys].sort(byPriority(rules));
  const anchor = usable[0] as string;
  const joined = new Set([memberOf?.get(anchor) ?? anchor]);
  const edges: LinkEdge[] = [];
  for (const key of usable) {
    const node = memberOf?.get(key) ?? key;
    if (joined.has(node)) continue;
    joined.add(node);
    edges.push({ kind: "observation", id: link.id, from: anchor, to: key, at: link.firstSeen });
  }
  const component = componentOf([...nodes.keys()].sort(compareStrings), evidence);
  const profileOf = new Map<string, string>();
  for (const key of component.keys) profileOf.set(key, component.id);
  if (memberOf) for (const key of memberOf.keys()) profileOf.set(key, component.id);
  return {
    components: [component],
    profileOf,
    refusals: [],
    edges,
    autoBlocked: new Set(),
    rejectedMerges: [],
  };
}

/**
 * Whether all the nodes together hold at most each type's limit of identifiers (a compressed node
 * counts its `counts`, any other node one of its own type): then no union of them is refused for
 * a limit, in any order.
 */
export function withinLimits(nodes: ReadonlyMap<string, NodeInfo>, rules: IdentityRules): boolean {
  const totals = new Map<string, number>();
  for (const info of nodes.values()) {
    if (!info.counts) totals.set(info.type, (totals.get(info.type) ?? 0) + 1);
    else for (const [type, n] of Object.entries(info.counts)) totals.set(type, (totals.get(type) ?? 0) + n);
  }
  for (const [type, n] of totals) if (n > rules.limit(type)) return false;
  return true;
}

/**
 * The component of a group of nodes (keys sorted): named after its earliest identifier (the first
 * in key order among equally early ones), created when that one was first seen, updated when any
 * was last seen.
 */
function componentOf(keys: string[], evidence: IdentityEvidence): ResolvedComponent {
  let anchorInfo = evidence.nodes.get(keys[0] as string) as NodeInfo;
  let updatedAt = anchorInfo.lastSeen;
  for (const key of keys) {
    const info = evidence.nodes.get(key) as NodeInfo;
    if (compareStrings(info.firstSeen, anchorInfo.firstSeen) < 0) anchorInfo = info;
    if (compareStrings(info.lastSeen, updatedAt) > 0) updatedAt = info.lastSeen;
  }
  const id = evidence.profileIds?.get(anchorInfo.key) ?? profileIdFor(anchorInfo.key);
  return { id, anchor: anchorInfo.key, keys, createdAt: anchorInfo.firstSeen, updatedAt };
}

/** The general resolver (see {@link resolveIdentities}); exported for the test that pins {@link resolveOneLink} to it. */
export function resolveGeneral(evidence: IdentityEvidence, rules: IdentityRules): Resolution {
  const { nodes } = evidence;
  const memberOf = evidence.memberOf;
  const nodeOf = (key: string): string => memberOf?.get(key) ?? key;
  const known = (key: string): boolean => nodes.has(key) || memberOf?.has(key) === true;
  const autoBlocked = new Set(evidence.autoBlocked ?? findAutoBlocked(evidence.links, rules.autoBlockThreshold));
  const uf = new Components(nodes, evidence.decisions, rules);
  const refusals: LinkRefusal[] = [];
  const edges: LinkEdge[] = [];
  const rejectedMerges: Resolution["rejectedMerges"] = [];

  const merges = evidence.decisions
    .filter((d) => d.kind === "merge")
    .sort((a, b) => compareStrings(a.at, b.at) || compareStrings(a.id, b.id));
  for (const decision of merges) {
    const [a, b] = decision.keys;
    if (!known(a) || !known(b)) continue;
    const outcome = uf.union(nodeOf(a), nodeOf(b));
    if (outcome === "joined") edges.push({ kind: "operator", id: decision.id, from: a, to: b, at: decision.at });
    else if (outcome !== "same") rejectedMerges.push({ decisionId: decision.id, ...outcome });
  }

  const links = [...evidence.links].sort(compareEvidence);
  for (const link of links) {
    const present = link.keys.filter(known);
    const usable = present.filter((k) => !autoBlocked.has(k));
    usable.sort(byPriority(rules));
    const anchor = usable[0];
    for (const key of present) {
      if (autoBlocked.has(key) && present.length > 1) {
        refusals.push({ linkId: link.id, key, reason: "auto-blocked", against: anchor ?? key });
      }
    }
    if (anchor === undefined) continue;
    // Each identifier joins the first group of this link it can join without breaking a rule
    // (the anchor's group first); one that can join none starts a group of its own. So a refused
    // identifier never stops the others of the same observation from linking to each other.
    const linkGroups: string[] = [anchor];
    for (let i = 1; i < usable.length; i++) {
      const key = usable[i] as string;
      let refusal: Exclude<UnionOutcome, "joined" | "same"> | undefined;
      let placed = false;
      for (const group of linkGroups) {
        const outcome = uf.union(nodeOf(group), nodeOf(key));
        if (outcome === "joined") {
          edges.push({ kind: "observation", id: link.id, from: group, to: key, at: link.firstSeen });
          placed = true;
        } else if (outcome === "same") {
          placed = true;
        } else {
          refusal ??= outcome;
        }
        if (placed) break;
      }
      if (!placed) linkGroups.push(key);
      if (refusal && uf.find(nodeOf(key)) !== uf.find(nodeOf(anchor))) {
        refusals.push({ linkId: link.id, key, against: anchor, ...refusal });
      }
    }
  }

  const groups = new Map<number, string[]>();
  for (const key of nodes.keys()) {
    const root = uf.find(key);
    const group = groups.get(root);
    if (group) group.push(key);
    else groups.set(root, [key]);
  }
  const components: ResolvedComponent[] = [];
  const profileOf = new Map<string, string>();
  for (const keys of groups.values()) {
    const component = componentOf(keys.sort(compareStrings), evidence);
    for (const key of keys) profileOf.set(key, component.id);
    components.push(component);
  }
  components.sort((a, b) => compareStrings(a.id, b.id));
  if (memberOf) for (const [key, node] of memberOf) profileOf.set(key, profileOf.get(node) as string);
  return { components, profileOf, refusals, edges, autoBlocked, rejectedMerges };
}

/**
 * Identifiers seen together with more than `threshold` distinct values of another type
 * (a call-centre phone, a shared inbox, a cookie on a shared device).
 */
export function findAutoBlocked(links: readonly LinkEvidence[], threshold: number): Set<string> {
  const blocked = new Set<string>();
  if (!Number.isFinite(threshold)) return blocked;
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const link of links) {
    if (link.keys.length < 2) continue;
    for (const a of link.keys) {
      if (blocked.has(a)) continue;
      const ta = keyType(a);
      let byType = seen.get(a);
      for (const b of link.keys) {
        const tb = keyType(b);
        if (tb === ta) continue;
        if (!byType) {
          byType = new Map();
          seen.set(a, byType);
        }
        let values = byType.get(tb);
        if (!values) {
          values = new Set();
          byType.set(tb, values);
        }
        values.add(b);
        if (values.size > threshold) {
          blocked.add(a);
          break;
        }
      }
    }
  }
  return blocked;
}

type UnionOutcome = "joined" | "same" | { reason: "limit"; type: string } | { reason: "unmerged" };

/** Union-find whose components know their type counts and operator separations. */
class Components {
  #index = new Map<string, number>();
  #parent: number[] = [];
  #size: number[] = [];
  #types: Array<Map<string, number>> = [];
  #sides: Array<Map<string, number> | undefined> = [];
  #rules: IdentityRules;

  constructor(nodes: ReadonlyMap<string, NodeInfo>, decisions: readonly OperatorDecision[], rules: IdentityRules) {
    this.#rules = rules;
    for (const [key, info] of nodes) {
      const i = this.#parent.length;
      this.#index.set(key, i);
      this.#parent.push(i);
      const counts = info.counts ? Object.entries(info.counts) : [[info.type, 1] as const];
      this.#size.push(counts.reduce((n, [, c]) => n + c, 0));
      this.#types.push(new Map(counts));
      this.#sides.push(undefined);
    }
    for (const d of decisions) {
      if (d.kind !== "split" || d.liftedBy !== undefined) continue;
      [d.detached, d.kept].forEach((keys, side) => {
        for (const key of keys) {
          const i = this.#index.get(key);
          if (i === undefined) continue;
          const sides = this.#sides[i] ?? new Map<string, number>();
          sides.set(d.id, side);
          this.#sides[i] = sides;
        }
      });
    }
  }

  find(key: string): number {
    let i = this.#index.get(key) as number;
    while (this.#parent[i] !== i) {
      const grand = this.#parent[this.#parent[i] as number] as number;
      this.#parent[i] = grand;
      i = grand;
    }
    return i;
  }

  union(a: string, b: string): UnionOutcome {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return "same";
    const ta = this.#types[ra] as Map<string, number>;
    const tb = this.#types[rb] as Map<string, number>;
    for (const [type, count] of tb) {
      if ((ta.get(type) ?? 0) + count > this.#rules.limit(type)) return { reason: "limit", type };
    }
    const sa = this.#sides[ra];
    const sb = this.#sides[rb];
    if (sa && sb) {
      const [small, large] = sa.size < sb.size ? [sa, sb] : [sb, sa];
      for (const [tag, side] of small) {
        const other = large.get(tag);
        if (other !== undefined && other !== side) return { reason: "unmerged" };
      }
    }
    if ((this.#size[ra] as number) < (this.#size[rb] as number)) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] = (this.#size[ra] as number) + (this.#size[rb] as number);
    const into = this.#types[ra] as Map<string, number>;
    for (const [type, count] of this.#types[rb] as Map<string, number>) into.set(type, (into.get(type) ?? 0) + count);
    const sidesB = this.#sides[rb];
    if (sidesB) {
      const sidesA = this.#sides[ra] ?? new Map<string, number>();
      for (const [tag, side] of sidesB) sidesA.set(tag, side);
      this.#sides[ra] = sidesA;
    }
    return "joined";
  }
}

/**
 * The identifier a link speaks for: its highest-priority identifier that still links (ties by
 * key), or its highest-priority identifier when none does. Its profile receives the link's traits.
 */
export function linkAnchor(keys: readonly string[], autoBlocked: ReadonlySet<string>, rules: IdentityRules): string {
  const ordered = [...keys].sort(byPriority(rules));
  return ordered.find((k) => !autoBlocked.has(k)) ?? (ordered[0] as string);
}
