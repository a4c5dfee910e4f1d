import { parseIdentifierKey } from "../normalize/parseIdentifierKey.js";
import { describeRefusal } from "./describeRefusal.js";
import type { IdentityRules, LinkEvidence, OperatorDecision, Resolution } from "./types.js";

/**
 * Explains one profile from the resolution of its cluster: the evidence edges that joined its
 * identifiers (observations with when and how often they were seen, operator merges with their
 * reason), what was refused against it, and the operator separations it takes part in.
 *
 * @param profile - the profile's id, anchor and identifier keys
 * @param evidence - the links and decisions of its cluster
 * @param resolution - the resolver's output for that evidence
 * @param rules - the identity rules (for refusal wording)
 * @returns the explanation `cc.profiles.explain` returns
 *
 * @example
 * ```ts
 * const resolution = resolveIdentities(evidence, rules);
 * const why = explainResolution({ id, anchor, keys }, evidence, resolution, rules);
 * why.edges[0]; // { kind: "observation", from, to, linkId, at, count, identifiers, ... }
 * ```
 */
export function explainResolution(
  profile: { id: string; anchor: string; keys: readonly string[] },
  evidence: { links: readonly LinkEvidence[]; decisions: readonly OperatorDecision[] },
  resolution: Resolution,
  rules: IdentityRules,
) {
  const links = new Map(evidence.links.map((l) => [l.id, l]));
  const decisions = new Map(evidence.decisions.map((d) => [d.id, d]));
  const inProfile = new Set(profile.keys);
  const ident = (key: string) => parseIdentifierKey(key);
  const edges = resolution.edges
    .filter((e) => inProfile.has(e.from))
    .map((e) => {
      if (e.kind === "operator") {
        const d = decisions.get(e.id);
        return {
          kind: "operator" as const,
          from: ident(e.from),
          to: ident(e.to),
          decisionId: e.id,
          at: e.at,
          reason: d?.reason ?? "",
          ...(d?.by !== undefined ? { by: d.by } : {}),
        };
      }
      const l = links.get(e.id) as LinkEvidence;
      return {
        kind: "observation" as const,
        from: ident(e.from),
        to: ident(e.to),
        linkId: e.id,
        at: l.firstSeen,
        lastSeen: l.lastSeen,
        count: l.count,
        identifiers: l.keys.map(ident),
        ...l.first,
      };
    });
  const refused = resolution.refusals
    .filter((r) => inProfile.has(r.key) || inProfile.has(r.against))
    .map((r) => ({
      ...describeRefusal(r, resolution, rules),
      linkId: r.linkId,
      at: links.get(r.linkId)?.firstSeen ?? "",
    }));
  const separations = evidence.decisions
    .filter(
      (d): d is Extract<OperatorDecision, { kind: "split" }> =>
        d.kind === "split" && (d.detached.some((k) => inProfile.has(k)) || d.kept.some((k) => inProfile.has(k))),
    )
    .map((d) => ({
      decisionId: d.id,
      identifier: ident(d.key),
      detached: d.detached.map(ident),
      kept: d.kept.map(ident),
      at: d.at,
      reason: d.reason,
      active: d.liftedBy === undefined,
    }));
  return {
    profileId: profile.id,
    anchor: ident(profile.anchor),
    identifiers: profile.keys.map(ident),
    edges,
    refused,
    separations,
  };
}
