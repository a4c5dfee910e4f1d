import { compareStrings } from "../../_lib/hash.js";
import { linkAnchor } from "./resolveIdentities.js";
import type { IdentityRules, LinkEvidence, OperatorDecision, Resolution } from "./types.js";

/** What a profile's document summarises of the evidence of its cluster. */
export interface ProfileFacts {
  /** Trait evidence of the links the profile speaks for (their anchor is in the profile). */
  traitSources: Array<LinkEvidence["traits"]>;
  /**
   * Largest `lastSeen|linkId` of any link naming one of its identifiers ("" when none): an upper
   * bound of their evidence orders that only grows (see `ProfileNode.maxOrder`).
   */
  maxOrder: string;
  /** Active operator separations its identifiers take part in: decision id -> side (0 detached, 1 kept). */
  separations: Record<string, number>;
}

/** The evidence order of a link: its first-seen time, then its id. */
export function evidenceOrder(at: string, id: string): string {
  return `${at}|${id}`;
}

/**
 * Derives, for every profile of a resolution, the facts its document keeps beyond its identifiers:
 * the trait evidence it owns, its newest evidence order and its operator separations. Pure: the
 * same cluster evidence always gives the same facts, whatever order it was loaded in.
 *
 * @param links - every link of the cluster
 * @param decisions - every operator decision of the cluster
 * @param resolution - the resolver's output for that cluster
 * @param rules - the identity rules (priorities decide which identifier a link speaks for)
 * @returns the facts per profile id (profiles without any are absent)
 *
 * @example
 * ```ts
 * const resolution = resolveIdentities({ links, nodes, decisions }, rules);
 * const facts = deriveProfileFacts(links, decisions, resolution, rules);
 * facts.get(resolution.components[0].id)?.maxOrder; // "2026-04-01T09:00:00.000Z|link_..."
 * ```
 */
export function deriveProfileFacts(
  links: readonly LinkEvidence[],
  decisions: readonly OperatorDecision[],
  resolution: Pick<Resolution, "profileOf" | "autoBlocked">,
  rules: IdentityRules,
): Map<string, ProfileFacts> {
  const facts = new Map<string, ProfileFacts>();
  const of = (id: string): ProfileFacts => {
    let f = facts.get(id);
    if (!f) {
      f = { traitSources: [], maxOrder: "", separations: {} };
      facts.set(id, f);
    }
    return f;
  };
  for (const link of links) {
    const present = link.keys.filter((k) => resolution.profileOf.has(k));
    const owner = resolution.profileOf.get(linkAnchor(present, resolution.autoBlocked, rules));
    if (owner) of(owner).traitSources.push(link.traits);
    const o = evidenceOrder(link.lastSeen, link.id);
    for (const key of link.keys) {
      const pid = resolution.profileOf.get(key);
      if (pid && compareStrings(o, of(pid).maxOrder) > 0) of(pid).maxOrder = o;
    }
  }
  for (const d of decisions) {
    if (d.kind !== "split" || d.liftedBy !== undefined || d.id === "") continue;
    [d.detached, d.kept].forEach((keys, side) => {
      for (const key of keys) {
        const pid = resolution.profileOf.get(key);
        if (pid) of(pid).separations[d.id] = side;
      }
    });
  }
  return facts;
}
