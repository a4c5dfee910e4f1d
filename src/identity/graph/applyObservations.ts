import { compareStrings } from "../../_lib/hash.js";
import { maxString, minString } from "../../_lib/strings.js";
import type { Refusal } from "../../schema/outputs.js";
import type { Scalar } from "../../schema/primitives.js";
import { evidenceOrder } from "./deriveProfileFacts.js";
import { describeRefusal } from "./describeRefusal.js";
import { keyType, linkAnchor, resolveIdentities, withinLimits } from "./resolveIdentities.js";
import { mergeTraits, type TraitRule } from "./traits.js";
import type { IdentityRules, LinkEvidence, NodeInfo, OperatorDecision, TraitObservation } from "./types.js";

/**
 * A known profile as one compressed node: what its document summarises (anchor, type counts,
 * times, separations, traits), never the list of its identifiers.
 */
export interface ProfileNode {
  id: string;
  anchor: string;
  createdAt: string;
  updatedAt: string;
  /**
   * Largest `lastSeen|linkId` of any link naming one of its identifiers. It bounds every link's
   * evidence order (`firstSeen|linkId`) from above and only grows (a link seen again earlier keeps
   * its last-seen time), so a link first seen after it is the profile's newest evidence, whatever
   * order the evidence arrived in.
   */
  maxOrder: string;
  /** Identifiers per type. */
  counts: Record<string, number>;
  /** Active operator separations its identifiers take part in: decision id -> side. */
  separations: Record<string, number>;
  traits: Record<string, Scalar>;
  provenance: Record<string, TraitObservation>;
  /**
   * True when no link naming one of its identifiers was ever refused, none of them is
   * auto-blocked, and no operator separation applies to it. Then every link naming one of its
   * identifiers names only its identifiers, so late evidence that keeps every type within its
   * limit is a plain union (see {@link applyObservations}).
   */
  clean: boolean;
}

/** What is known about one identifier a batch names. */
export interface KnownIdentifier {
  /** The (current) profile it belongs to. */
  profileId: string;
  firstSeen: string;
  lastSeen: string;
}

/** The state a batch is applied to: the profiles its identifiers belong to, as compressed nodes. */
export interface LoadedIdentityState {
  /** Every profile named by `identifiers`, by id. */
  profiles: ReadonlyMap<string, ProfileNode>;
  /** The identifiers the batch names that were seen before, by key (absent: never seen). */
  identifiers: ReadonlyMap<string, KnownIdentifier>;
}

/** One observation of a batch, with its link already folded (see `foldLink` in the shell). */
export interface BatchObservation {
  /** The link after this observation (its keys sorted). */
  link: LinkEvidence;
  /** When it was seen. */
  at: string;
  /**
   * `"new"`: the first observation of this identifier set; `"repeat"`: a set seen before whose
   * first-seen time did not move; `"late"`: a set seen before whose first-seen time moved earlier,
   * or an observation that auto-blocked an identifier.
   */
  kind: "new" | "repeat" | "late";
  /** Its identifiers that are auto-blocked (after counting this observation). */
  autoBlocked: readonly string[];
  traits?: Readonly<Record<string, Scalar | null>>;
  channel?: string;
  source?: string;
}

/** What one applied observation did. */
export interface ObservationOutcome {
  /** The profile of the identifier the observation speaks for. */
  profileId: string;
  /** That identifier (its link anchor). */
  anchor: string;
  /** True when none of its identifiers was known. */
  created: boolean;
  /** Profiles absorbed into `profileId`. */
  merged: string[];
  refused: Refusal[];
  /** What happened to each profile it touched, in profile id order: merges and creations. */
  changes: Array<{ profileId: string; absorbed: string[]; created: boolean }>;
}

/** Output of {@link applyObservations}. */
export interface AppliedObservations {
  /**
   * How many observations (a prefix of the batch) were applied. The next one needs its whole
   * cluster (see {@link applyObservations}): resolve it from the whole cluster, then apply the rest.
   * Everything else in the result is that of the prefix alone, as if the batch had ended there
   * (the shell relies on it: it does not resolve the prefix again).
   */
  applied: number;
  outcomes: ObservationOutcome[];
  /** The profiles that exist after the batch and that it touched or created, by id. */
  profiles: Map<string, ProfileNode>;
  /** Profiles that no longer exist -> the profile that absorbed them (after the batch). */
  successor: Map<string, string>;
  /** The anchor each profile of `successor` had when it was absorbed. */
  absorbedAnchors: Map<string, string>;
  /** Every identifier the applied observations named, with its profile after the batch. */
  identifiers: Map<string, KnownIdentifier>;
}

/** What {@link applyObservations} needs of the identity options. */
export interface ApplyObservationsOptions {
  rules: IdentityRules;
  traitRule(name: string): TraitRule;
}

/**
 * Resolves a batch of observations against the profiles they touch, each known profile being one
 * compressed node (anchor, type counts, times, separations): an observation touching profiles
 * P1..Pn costs O(its identifiers + n), whatever the size of the profiles. Observations are applied
 * in batch order, each exactly as the full resolver would place it:
 *
 * - evidence newer than every profile it touches is placed by the rules, as the resolver places
 *   its newest link;
 * - late evidence (older than a profile it touches, or a known link seen earlier) is applied when
 *   the order of evidence cannot matter: every profile it touches is {@link ProfileNode.clean},
 *   it names no auto-blocked identifier, and the union keeps every type within its limit. Then
 *   the rebuild joins everything it names, whatever the order; only times and the anchor (the
 *   earliest identifier) move.
 *
 * The first observation that fits neither stops the batch. Pure: the result equals applying the
 * observations one by one, and equals a rebuild with `resolveIdentities`.
 *
 * @param state - the profiles and identifiers the batch touches, as loaded
 * @param observations - the batch, in arrival order
 * @param options - identity rules and trait rules
 * @returns what each applied observation did, and the profiles and identifiers after the batch
 *
 * @example
 * ```ts
 * const result = applyObservations({ profiles: new Map(), identifiers: new Map() }, [
 *   { link, at: t1, kind: "new", autoBlocked: [] },
 * ], { rules, traitRule: () => "latest" });
 * result.outcomes[0].created; // true
 * ```
 */
export function applyObservations(
  state: LoadedIdentityState,
  observations: readonly BatchObservation[],
  options: ApplyObservationsOptions,
): AppliedObservations {
  const { rules } = options;
  const profiles = new Map(state.profiles);
  const identifiers = new Map(state.identifiers);
  const successor = new Map<string, string>();
  const absorbedAnchors = new Map<string, string>();
  const touchedIds = new Set<string>();
  const named = new Set<string>();
  const outcomes: ObservationOutcome[] = [];
  const current = (id: string): string => {
    let at = id;
    for (let next = successor.get(at); next !== undefined; next = successor.get(at)) at = next;
    return at;
  };
  let applied = 0;
  for (const o of observations) {
    const { link } = o;
    const touched = new Map<string, ProfileNode>();
    for (const key of link.keys) {
      const known = identifiers.get(key);
      if (!known) continue;
      const id = current(known.profileId);
      const profile = profiles.get(id);
      if (!profile) throw new Error(`profile ${id} of ${key} was not loaded`);
      touched.set(id, profile);
    }
    const order = evidenceOrder(link.firstSeen, link.id);
    const seen = evidenceOrder(link.lastSeen, link.id);
    const late =
      o.kind === "late" ||
      (o.kind === "new" && [...touched.values()].some((p) => compareStrings(p.maxOrder, order) >= 0));
    if (late && !mayBePlainUnion(o, touched)) break;

    // The compressed evidence: one node per known profile, one per new identifier. A profile's node
    // is its earliest identifier, which late evidence can move onto one of the keys it names.
    const nodes = new Map<string, NodeInfo>();
    const memberOf = new Map<string, string>();
    const byAnchor = new Map<string, ProfileNode>();
    const profileIds = new Map<string, string>();
    for (const p of touched.values()) {
      let key = p.anchor;
      let firstSeen = p.createdAt;
      let lastSeen = p.updatedAt;
      for (const k of link.keys) {
        const known = identifiers.get(k);
        if (!known || current(known.profileId) !== p.id) continue;
        const first = minString(known.firstSeen, o.at);
        const c = compareStrings(first, firstSeen);
        if (c < 0 || (c === 0 && compareStrings(k, key) < 0)) {
          key = k;
          firstSeen = first;
        }
        lastSeen = maxString(lastSeen, maxString(known.lastSeen, o.at));
      }
      byAnchor.set(key, p);
      if (key === p.anchor) profileIds.set(key, p.id);
      nodes.set(key, { key, type: keyType(key), firstSeen, lastSeen, counts: p.counts });
    }
    const nodeKeys = new Map<string, string>();
    for (const [key, p] of byAnchor) nodeKeys.set(p.id, key);
    for (const key of link.keys) {
      const known = identifiers.get(key);
      if (!known) {
        nodes.set(key, { key, type: keyType(key), firstSeen: o.at, lastSeen: o.at });
        continue;
      }
      const node = nodeKeys.get(current(known.profileId)) as string;
      if (key !== node) memberOf.set(key, node);
    }
    // A union that breaks a limit refuses something, and what depends on the order of evidence.
    if (late && !withinLimits(nodes, rules)) break;
    const sides = new Map<string, { detached: string[]; kept: string[] }>();
    for (const p of touched.values()) {
      for (const [tag, side] of Object.entries(p.separations)) {
        const s = sides.get(tag) ?? { detached: [], kept: [] };
        (side === 0 ? s.detached : s.kept).push(nodeKeys.get(p.id) as string);
        sides.set(tag, s);
      }
    }
    const decisions: OperatorDecision[] = [...sides].map(([id, s]) => ({
      id,
      kind: "split",
      key: "",
      reason: "",
      at: "",
      ...s,
    }));
    const resolution = resolveIdentities(
      { links: [link], nodes, decisions, autoBlocked: new Set(o.autoBlocked), memberOf, profileIds },
      rules,
    );
    const anchorKey = linkAnchor(link.keys, resolution.autoBlocked, rules);
    const owner = resolution.profileOf.get(anchorKey) as string;

    const changes: ObservationOutcome["changes"] = [];
    let merged: string[] = [];
    for (const component of resolution.components) {
      const parts = component.keys.flatMap((k) => {
        const p = byAnchor.get(k);
        return p ? [p] : [];
      });
      const counts: Record<string, number> = Object.create(null);
      for (const key of component.keys) {
        const part = byAnchor.get(key);
        if (part) for (const [type, n] of Object.entries(part.counts)) counts[type] = (counts[type] ?? 0) + n;
        else counts[keyType(key)] = (counts[keyType(key)] ?? 0) + 1;
      }
      // Every component holds an identifier of the link (see ProfileNode.maxOrder).
      const maxOrder = parts.reduce((m, p) => maxString(m, p.maxOrder), seen);
      const separations: Record<string, number> = Object.assign({}, ...parts.map((p) => p.separations));
      const clean =
        parts.every((p) => p.clean) &&
        resolution.refusals.length === 0 &&
        resolution.autoBlocked.size === 0 &&
        Object.keys(separations).length === 0;
      const sources: Array<Record<string, TraitObservation>> = parts.map((p) => p.provenance);
      if (component.id === owner && o.traits) {
        const fresh: Record<string, TraitObservation> = Object.create(null);
        for (const [name, value] of Object.entries(o.traits)) {
          const observation: TraitObservation = { value, at: o.at };
          if (o.source !== undefined) observation.source = o.source;
          if (o.channel !== undefined) observation.channel = o.channel;
          fresh[name] = observation;
        }
        sources.push(fresh);
      }
      const traits = mergeTraits(sources, options.traitRule);
      profiles.set(component.id, {
        id: component.id,
        anchor: component.anchor,
        createdAt: component.createdAt,
        updatedAt: component.updatedAt,
        maxOrder,
        counts,
        separations,
        traits: traits.traits,
        provenance: traits.provenance,
        clean,
      });
      touchedIds.add(component.id);
      const gone = parts.map((p) => p.id).filter((id) => id !== component.id);
      for (const p of parts) if (p.id !== component.id) absorbedAnchors.set(p.id, p.anchor);
      for (const id of gone) {
        profiles.delete(id);
        touchedIds.delete(id);
        successor.set(id, component.id);
      }
      // An id absorbed earlier may come back as the survivor (it was re-anchored): not an alias.
      successor.delete(component.id);
      gone.sort(compareStrings);
      if (component.id === owner) merged = gone;
      if (gone.length > 0 || parts.length === 0) {
        changes.push({ profileId: component.id, absorbed: gone, created: parts.length === 0 });
      }
    }
    for (const key of link.keys) {
      named.add(key);
      const known = identifiers.get(key);
      identifiers.set(key, {
        profileId: resolution.profileOf.get(key) as string,
        firstSeen: known ? minString(known.firstSeen, o.at) : o.at,
        lastSeen: known ? maxString(known.lastSeen, o.at) : o.at,
      });
    }
    outcomes.push({
      profileId: owner,
      anchor: anchorKey,
      created: touched.size === 0,
      merged,
      refused: resolution.refusals.map((r) => describeRefusal(r, resolution, rules)),
      changes,
    });
    applied++;
  }
  const out = new Map<string, KnownIdentifier>();
  for (const key of named) {
    const known = identifiers.get(key) as KnownIdentifier;
    out.set(key, { ...known, profileId: current(known.profileId) });
  }
  const finalSuccessor = new Map<string, string>();
  for (const id of successor.keys()) finalSuccessor.set(id, current(id));
  const live = new Map<string, ProfileNode>();
  for (const id of touchedIds) live.set(id, profiles.get(id) as ProfileNode);
  return { applied, outcomes, profiles: live, successor: finalSuccessor, absorbedAnchors, identifiers: out };
}

/**
 * Whether late evidence can be a plain union of what it names: a rebuild would join all of it,
 * whatever the order of evidence. It is when every profile it touches is clean (so each is closed:
 * no link leaves it, and every link inside it joined) and none of its identifiers is auto-blocked,
 * and (checked on the compressed nodes, see `withinLimits`) the union keeps every type within its
 * limit, so that no link of the union can be refused, in any order.
 */
function mayBePlainUnion(o: BatchObservation, touched: ReadonlyMap<string, ProfileNode>): boolean {
  if (o.autoBlocked.length > 0) return false;
  for (const p of touched.values()) {
    if (!p.clean) return false;
    for (const _ in p.separations) return false;
  }
  return true;
}
