import { compareStrings } from "../../_lib/hash.js";
import type { Refusal } from "../../schema/outputs.js";
import type { Scalar } from "../../schema/primitives.js";
import { evidenceOrder } from "./deriveProfileFacts.js";
import { describeRefusal } from "./describeRefusal.js";
import { keyType, linkAnchor, resolveIdentities } from "./resolveIdentities.js";
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
  /** Largest evidence order (`time|linkId`) of any link naming one of its identifiers. */
  maxOrder: string;
  /** Identifiers per type. */
  counts: Record<string, number>;
  /** Active operator separations its identifiers take part in: decision id -> side. */
  separations: Record<string, number>;
  traits: Record<string, Scalar>;
  provenance: Record<string, TraitObservation>;
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
   * first-seen time did not move; `"late"`: anything that needs the whole cluster (its link moved
   * earlier, or it auto-blocked an identifier).
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
   * How many observations (a prefix of the batch) were applied. The next one is late evidence
   * for a cluster it touches: resolve it from the whole cluster, then apply the rest.
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
 * in batch order, each exactly as the full resolver would place it once it is the newest evidence
 * of every profile it touches; the first one that is not (late evidence) stops the batch. Pure: the
 * result equals applying the observations one by one, and equals a rebuild with
 * `resolveIdentities`.
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
    if (o.kind === "late") break;
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
    if (o.kind === "new" && [...touched.values()].some((p) => compareStrings(p.maxOrder, order) >= 0)) break;

    // The compressed evidence: one node per known profile, one per new identifier.
    const nodes = new Map<string, NodeInfo>();
    const memberOf = new Map<string, string>();
    const byAnchor = new Map<string, ProfileNode>();
    const profileIds = new Map<string, string>();
    for (const p of touched.values()) {
      byAnchor.set(p.anchor, p);
      profileIds.set(p.anchor, p.id);
      nodes.set(p.anchor, {
        key: p.anchor,
        type: keyType(p.anchor),
        firstSeen: p.createdAt,
        lastSeen: p.updatedAt,
        counts: p.counts,
      });
    }
    for (const key of link.keys) {
      const known = identifiers.get(key);
      if (!known) {
        nodes.set(key, { key, type: keyType(key), firstSeen: o.at, lastSeen: o.at });
        continue;
      }
      const anchor = (touched.get(current(known.profileId)) as ProfileNode).anchor;
      if (key !== anchor) memberOf.set(key, anchor);
      const node = nodes.get(anchor) as NodeInfo;
      const lastSeen = maxOf(known.lastSeen, o.at);
      if (compareStrings(lastSeen, node.lastSeen) > 0) nodes.set(anchor, { ...node, lastSeen });
    }
    const sides = new Map<string, { detached: string[]; kept: string[] }>();
    for (const p of touched.values()) {
      for (const [tag, side] of Object.entries(p.separations)) {
        const s = sides.get(tag) ?? { detached: [], kept: [] };
        (side === 0 ? s.detached : s.kept).push(p.anchor);
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
      // Every component holds an identifier of the link, so the link is its newest evidence.
      const maxOrder = parts.reduce((m, p) => maxOf(m, p.maxOrder), order);
      const separations: Record<string, number> = Object.assign({}, ...parts.map((p) => p.separations));
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
        firstSeen: known ? known.firstSeen : o.at,
        lastSeen: known ? maxOf(known.lastSeen, o.at) : o.at,
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

function maxOf(a: string, b: string): string {
  return compareStrings(a, b) >= 0 ? a : b;
}
