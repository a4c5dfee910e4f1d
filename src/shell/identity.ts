/**
 * The identity part of the shell: loads identity evidence from storage, calls the pure resolver
 * and writes the derived profiles back, inside the caller's transaction.
 */
import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils";
import { compareStrings, stableId } from "../_lib/hash.js";
import { maxString, minString } from "../_lib/strings.js";
import { InvalidInputError, NotFoundError, RefusedError } from "../errors.js";
import type { CompiledIdentityOptions } from "../identity/compileIdentityOptions.js";
import { blockingKeys } from "../identity/fuzzy/blockingKeys.js";
import { matchCandidates } from "../identity/fuzzy/matchCandidates.js";
import { suggestMatches as suggestAll } from "../identity/fuzzy/suggestMatches.js";
import type { MatchSuggestion } from "../identity/fuzzy/types.js";
import {
  applyObservations,
  type BatchObservation,
  type KnownIdentifier,
  type ProfileNode,
} from "../identity/graph/applyObservations.js";
import { countCooccurrence } from "../identity/graph/countCooccurrence.js";
import { deriveProfileFacts } from "../identity/graph/deriveProfileFacts.js";
import { decisionKeys } from "../identity/graph/describeDecision.js";
import { describeRefusal } from "../identity/graph/describeRefusal.js";
import { explainResolution } from "../identity/graph/explainResolution.js";
import {
  compareEvidence,
  keyType,
  linkAnchor,
  profileIdFor,
  resolveIdentities,
} from "../identity/graph/resolveIdentities.js";
import { splitProfile } from "../identity/graph/splitProfile.js";
import { foldTrait, mergeTraits } from "../identity/graph/traits.js";
import type {
  LinkEvidence,
  NodeInfo,
  OperatorDecision,
  Resolution,
  TraitObservation,
} from "../identity/graph/types.js";
import { isBlocked } from "../identity/normalize/isBlocked.js";
import { normalizeIdentifier } from "../identity/normalize/normalizeIdentifier.js";
import { parseIdentifierKey } from "../identity/normalize/parseIdentifierKey.js";
import type { CustomerContextEvent, Profile, Refusal } from "../schema/outputs.js";
import type { Identifier, Scalar } from "../schema/primitives.js";
import { batchOf, type PutEntry, type PutOptions, type StorageTransaction } from "../storage/port.js";
import {
  type AliasDoc,
  C,
  type IdentifierDoc,
  memberDocsOf,
  membersOf,
  PROFILE_COUNTS,
  type ProfileDoc,
  profileIdsOf,
  profileIdsOfKeys,
  profilesOfGroups,
  publicIdentifier,
  resolveProfileId,
  SECRET_DOC,
} from "./_lib/schema.js";
import { unique } from "./_lib/unique.js";

/** What changed in the profile partition, for re-stitching conversations. */
export interface PartitionChange {
  /** New profile id -> old profile ids whose identifiers it now holds (other than itself). */
  absorbed: Map<string, string[]>;
  /** Old profile id -> the profile ids its identifiers went to (when more than one). */
  split: Map<string, string[]>;
  /** Old profile ids that no longer exist. */
  removed: Set<string>;
  /** Every profile id, old or new, whose identifier set changed. */
  touched: Set<string>;
}

/** A normalised observation ready for the graph. */
export interface NormalizedObservation {
  identifiers: Array<Identifier & { key: string }>;
  refused: Refusal[];
}

/** Context for shell functions. */
export interface IdentityEnv {
  tx: StorageTransaction;
  options: CompiledIdentityOptions;
  events: CustomerContextEvent[];
  /** Other processes may write at the same time (the adapter's `multiProcess` capability). */
  concurrent: boolean;
  /** The store's suppression key once read (it never changes), shared by a context's transactions. */
  suppression?: SuppressionCache;
  /**
   * Where `observe` and `observeMany` report the refused links of the resolutions they compute,
   * when set: the caller of a path that identifies a customer (identify, record, consent,
   * present) raises review items from them.
   */
  refusedLinks?: RefusedLink[] | undefined;
}

/** Where a context keeps the store's suppression key once it has read it. */
export interface SuppressionCache {
  secret?: Uint8Array;
}

const lockKey = (key: string) => `identifier:${key}`;
const lockProfile = (id: string) => `profile:${id}`;

/** Normalises identifiers; invalid and blocked ones are refused with a reason. */
export function normalizeObservation(
  identifiers: readonly Identifier[],
  options: CompiledIdentityOptions,
): NormalizedObservation {
  const out = new Map<string, Identifier & { key: string }>();
  const refused: Refusal[] = [];
  for (const raw of identifiers) {
    const result = normalizeIdentifier(raw, options.normalize);
    if (!result.ok) {
      refused.push({ identifier: raw, reason: "invalid", message: result.reason });
      continue;
    }
    if (isBlocked(options.blockList, result.identifier)) {
      refused.push({
        identifier: result.identifier,
        reason: "blocked",
        message: `${result.identifier.type} "${result.identifier.value}" is a blocked value and links nothing`,
      });
      continue;
    }
    out.set(result.key, { ...result.identifier, key: result.key });
  }
  return { identifiers: [...out.values()].sort((a, b) => compareStrings(a.key, b.key)), refused };
}

/** Throws a `refused` error when no identifier of an observation can be used. */
export function assertUsable(observation: NormalizedObservation): void {
  if (observation.identifiers.length > 0) return;
  throw new RefusedError(
    `No usable identifier: ${observation.refused.map((r) => `${r.identifier.type} "${r.identifier.value}" (${r.message})`).join("; ")}`,
    { refused: observation.refused },
  );
}

/** The normalised key of an identifier; throws `invalid_input` naming the value when it cannot be normalised. */
export function keyOf(identifier: Identifier, options: CompiledIdentityOptions): string {
  const result = normalizeIdentifier(identifier, options.normalize);
  if (!result.ok)
    throw new InvalidInputError("identifier", [{ path: ["value"], code: "invalid_value", message: result.reason }]);
  return result.key;
}

/** The profile id an identifier belongs to, or null. */
export async function profileIdOfIdentifier(
  tx: StorageTransaction,
  identifier: Identifier,
  options: CompiledIdentityOptions,
): Promise<string | null> {
  const result = normalizeIdentifier(identifier, options.normalize);
  if (!result.ok) return null;
  return (await profileIdsOfKeys(tx, [result.key])).get(result.key) ?? null;
}

/** Input of {@link observe}. */
export interface ObserveInput {
  identifiers: Array<Identifier & { key: string }>;
  at: string;
  channel?: string;
  source?: string;
  traits?: Record<string, Scalar | null>;
}

/**
 * A link that a resolution refused (part of it, or all), with what a review item needs: the
 * link's identifiers, when it was first seen and the identifier it speaks for.
 */
export interface RefusedLink {
  linkId: string;
  keys: string[];
  /** When the link was first seen: the time of its evidence, whatever order it arrived in. */
  at: string;
  /** The identifier the link speaks for (its anchor). */
  anchor: string;
  refused: Refusal[];
}

/** Output of {@link observe}. */
export interface ObserveResult {
  profileId: string;
  created: boolean;
  merged: string[];
  refused: Refusal[];
  change: PartitionChange;
  /** The identifier whose profile the observation speaks for. */
  anchor: string;
  /** The id of the link evidence the observation was folded into. */
  linkId: string;
  /**
   * Every refusal of the resolution the observation computed, by link: its own link's (the
   * `refused` above), and those of older links that a late or same-time observation recomputed
   * into a refusal. They are also appended to `env.refusedLinks` when the caller set it.
   */
  refusedLinks: RefusedLink[];
}

/** What a batch of observations reads before it is resolved. */
interface LoadedObservations {
  /** Stored links the batch names, by id. */
  links: Map<string, LinkEvidence>;
  /** Stored identifier docs the batch names, by key. */
  idents: Map<string, IdentifierDoc>;
  /** Member group -> the profile it belongs to. */
  owners: Map<string, ProfileDoc>;
  /** The profiles those identifiers belong to, by id. */
  profiles: Map<string, ProfileDoc>;
  /** Keys of the batch that belong to a forgotten, suppressed customer. */
  suppressed: Set<string>;
}

/** Link ids of the inputs seen so far: a batch asks for each one several times (read, fold, refold). */
const linkIds = new WeakMap<ObserveInput, string>();

/** The id of the link evidence an observation folds into: a hash of its sorted identifier keys. */
function linkIdOf(input: ObserveInput): string {
  let id = linkIds.get(input);
  if (id === undefined) {
    id = stableId("link", ...input.identifiers.map((i) => i.key));
    linkIds.set(input, id);
  }
  return id;
}

/**
 * Reads everything a batch of observations needs, a constant number of calls whatever its size:
 * one lock for all its identifiers, its links, its identifier docs and the profiles they name.
 */
async function loadObservations(env: IdentityEnv, inputs: readonly ObserveInput[]): Promise<LoadedObservations> {
  const { tx } = env;
  const keys = unique(inputs.flatMap((input) => input.identifiers.map((i) => i.key)));
  await tx.lock(keys.map(lockKey));
  const links = await tx.getMany<LinkEvidence>(C.links, unique(inputs.map(linkIdOf)));
  // A writer merging a profile rewrites its identifiers holding only the profile's lock: read the
  // identifiers again once their profiles are locked, until the profile ids are stable.
  const known = env.suppression?.secret !== undefined;
  let idents = await tx.getMany<IdentifierDoc>(C.identifiers, known ? keys : [...keys, SECRET_DOC]);
  const secretDoc = idents.get(SECRET_DOC) as { key: string } | undefined;
  idents.delete(SECRET_DOC);
  let owners = await profilesOfGroups(
    tx,
    [...idents.values()].map((d) => d.group),
  );
  const idsOf = (o: Map<string, ProfileDoc>) => unique([...o.values()].map((p) => p.id));
  let oldIds = idsOf(owners);
  // With no profile to lock (every identifier is new, and new identifiers are created only under
  // their identifier locks, which this transaction holds), there is nothing to re-read.
  while (env.concurrent && oldIds.length > 0) {
    await tx.lock(oldIds.map(lockProfile));
    idents = await tx.getMany<IdentifierDoc>(C.identifiers, keys);
    owners = await profilesOfGroups(
      tx,
      [...idents.values()].map((d) => d.group),
    );
    const ids = idsOf(owners);
    const locked = ids.every((id) => oldIds.includes(id));
    oldIds = locked ? ids : unique([...oldIds, ...ids]);
    if (locked) break;
  }
  const profiles = new Map<string, ProfileDoc>();
  for (const p of owners.values()) profiles.set(p.id, p);
  // An identifier the store holds is not suppressed (suppression is kept only for forgotten ones).
  const unknown = unique(inputs.flatMap((input) => input.identifiers.filter((i) => !idents.has(i.key))));
  const suppressed =
    unknown.length > 0 && (known || secretDoc) ? await findSuppressed(env, unknown, secretDoc?.key) : new Set<string>();
  return { links, idents, owners, profiles, suppressed };
}

/** One observation folded into its link and identifier docs (updates `links` and `idents`). */
function foldObservation(
  links: Map<string, LinkEvidence>,
  idents: Map<string, IdentifierDoc>,
  input: ObserveInput,
  options: CompiledIdentityOptions,
): { link: LinkEvidence; newlyBlocked: Set<string>; observation: BatchObservation; undo(): void } {
  const keys = input.identifiers.map((i) => i.key);
  const linkId = linkIdOf(input);
  const existing = links.get(linkId) ?? null;
  const link = foldLink(existing, linkId, keys, input);
  links.set(linkId, link);
  // Identifier docs: first/last seen, counts, co-occurrence for auto-blocking.
  const threshold = options.rules.autoBlockThreshold;
  const newlyBlocked = new Set<string>();
  const befores: Array<[string, IdentifierDoc | undefined]> = [];
  for (const ident of input.identifiers) {
    const before = idents.get(ident.key);
    befores.push([ident.key, before]);
    const doc: IdentifierDoc = before
      ? {
          ...before,
          firstSeen: minString(before.firstSeen, input.at),
          lastSeen: maxString(before.lastSeen, input.at),
          count: before.count + 1,
        }
      : {
          key: ident.key,
          type: ident.type,
          value: ident.value,
          group: "",
          firstSeen: input.at,
          lastSeen: input.at,
          count: 1,
          seenWith: {},
        };
    const counted = countCooccurrence(doc.seenWith, ident.type, keys, threshold);
    doc.seenWith = counted.seenWith;
    if (counted.blocked && !doc.autoBlocked) {
      doc.autoBlocked = true;
      newlyBlocked.add(ident.key);
    }
    idents.set(ident.key, doc);
  }
  const repeat = existing !== null && existing.firstSeen === link.firstSeen && newlyBlocked.size === 0;
  const kind = repeat ? "repeat" : existing === null && newlyBlocked.size === 0 ? "new" : "late";
  const observation: BatchObservation = {
    link,
    at: input.at,
    kind,
    autoBlocked: keys.filter((k) => idents.get(k)?.autoBlocked),
    ...(input.traits !== undefined ? { traits: input.traits } : {}),
    ...(input.channel !== undefined ? { channel: input.channel } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
  };
  // Puts the maps back as they were before this observation (undo the latest fold first).
  const undo = () => {
    if (existing) links.set(linkId, existing);
    else links.delete(linkId);
    for (let i = befores.length - 1; i >= 0; i--) {
      const [key, before] = befores[i] as [string, IdentifierDoc | undefined];
      if (before) idents.set(key, before);
      else idents.delete(key);
    }
  };
  return { link, newlyBlocked, observation, undo };
}

/** Options of {@link observeMany}. */
export interface ObserveManyOptions {
  /**
   * Whether merging these profiles leaves something to re-stitch (the caller knows where
   * conversations live). When it says no for every profile the run's merges touch, the run goes
   * on through its merges; otherwise, and without it, it ends after the first merge.
   */
  restitchNeeded?(profileIds: readonly string[]): Promise<boolean>;
}

/**
 * Applies a batch of observations through the compressed-node resolver
 * ({@link applyObservations}) with one bulk read and bulk writes, and returns the results of the
 * prefix it applied: it stops before the first late observation (which needs its whole cluster,
 * see {@link observe}) and after the first one that merges profiles (so that conversations are
 * re-stitched after each merge, as one by one) unless `options.restitchNeeded` says that none of
 * its merges has anything to re-stitch. Each result equals what {@link observe} returns; the
 * last one carries the partition change of the whole prefix.
 */
export async function observeMany(
  env: IdentityEnv,
  inputs: readonly ObserveInput[],
  options: ObserveManyOptions = {},
): Promise<ObserveResult[]> {
  return applyLoaded(env, await loadObservations(env, inputs), inputs, options);
}

async function applyLoaded(
  env: IdentityEnv,
  loaded: LoadedObservations,
  all: readonly ObserveInput[],
  many: ObserveManyOptions = {},
): Promise<ObserveResult[]> {
  const { tx, options } = env;
  // A run stops before an observation naming a suppressed identifier: applied alone, it is refused.
  const stop = all.findIndex((input) => input.identifiers.some((i) => loaded.suppressed.has(i.key)));
  const inputs = stop < 0 ? all : all.slice(0, stop);
  const known = new Map<string, KnownIdentifier>();
  for (const [key, doc] of loaded.idents) {
    const owner = loaded.owners.get(doc.group);
    if (owner) known.set(key, { profileId: owner.id, firstSeen: doc.firstSeen, lastSeen: doc.lastSeen });
  }
  const state = { profiles: new Map([...loaded.profiles].map(([id, p]) => [id, nodeOf(p)])), identifiers: known };
  // The run's evidence, folded in order. It stops before an observation that auto-blocks an
  // identifier: that one always needs its whole cluster (see applyObservations), so folding the
  // rest would be undone anyway.
  const folded = { links: new Map(loaded.links), idents: new Map(loaded.idents) };
  const observations: BatchObservation[] = [];
  const undos: Array<() => void> = [];
  for (const input of inputs) {
    const f = foldObservation(folded.links, folded.idents, input, options);
    if (f.newlyBlocked.size > 0) {
      f.undo();
      break;
    }
    observations.push(f.observation);
    undos.push(f.undo);
  }
  let batch = applyObservations(state, observations, options);
  const firstMerge = batch.outcomes.findIndex((o) => o.changes.some((c) => c.absorbed.length > 0));
  let n = batch.applied;
  if (firstMerge >= 0 && firstMerge + 1 < n) {
    const merging = new Set<string>();
    for (const o of batch.outcomes.slice(0, n)) {
      for (const c of o.changes) {
        if (c.absorbed.length === 0) continue;
        merging.add(c.profileId);
        for (const id of c.absorbed) merging.add(id);
      }
    }
    if (!many.restitchNeeded || (await many.restitchNeeded([...merging]))) n = firstMerge + 1;
  }
  if (n === 0) return [];
  // The folds of observations not applied are undone, latest first; where the resolver stopped by
  // itself, its result is already that of the prefix (it stops before changing anything).
  for (let i = undos.length - 1; i >= n; i--) (undos[i] as () => void)();
  if (n < batch.applied) batch = applyObservations(state, observations.slice(0, n), options);
  const applied = observations.slice(0, n);
  const linkPuts = new Map<string, PutEntry<LinkEvidence>>();
  for (const o of applied) {
    const link = folded.links.get(o.link.id) as LinkEvidence;
    linkPuts.set(link.id, { key: link.id, value: link, index: { ident: link.keys } });
  }
  await batchOf(tx).putMany(C.links, [...linkPuts.values()]);
  const nextIdents = new Map<string, IdentifierDoc>();
  for (const o of applied) for (const key of o.link.keys) nextIdents.set(key, folded.idents.get(key) as IdentifierDoc);
  const change = await writeBatch(
    env,
    batch,
    loaded.profiles,
    loaded.idents,
    nextIdents,
    applied.map((o) => o.at),
  );
  return batch.outcomes.map((o, i) => {
    const link = folded.links.get(observations[i]?.link.id ?? "");
    const refusedLinks: RefusedLink[] =
      o.refused.length > 0 && link
        ? [{ linkId: link.id, keys: [...link.keys], at: link.firstSeen, anchor: o.anchor, refused: o.refused }]
        : [];
    env.refusedLinks?.push(...refusedLinks);
    return {
      profileId: o.profileId,
      created: o.created,
      merged: o.merged,
      refused: o.refused,
      anchor: o.anchor,
      change: i === n - 1 ? change : emptyChange(),
      linkId: observations[i]?.link.id ?? "",
      refusedLinks,
    };
  });
}

/**
 * Applies one observation: folds it into its link evidence and updates the profile partition,
 * through the compressed-node resolver ({@link applyObservations}) when the observation is the
 * newest evidence of every profile it touches, and by recomputing the affected cluster otherwise.
 * Either way the result equals a full rebuild. The fast path reads and writes the observation's
 * identifiers and the profiles they belong to, never every member of those profiles.
 */
export async function observe(env: IdentityEnv, input: ObserveInput): Promise<ObserveResult> {
  const { tx, options } = env;
  const loaded = await loadObservations(env, [input]);
  const suppressed = input.identifiers.filter((i) => loaded.suppressed.has(i.key));
  if (suppressed.length > 0) throw suppressedError(suppressed);
  const [fast] = await applyLoaded(env, loaded, [input]);
  if (fast) return fast;

  // Late evidence, or a newly auto-blocked identifier that unglues the profiles it joined: the
  // whole cluster's evidence is reloaded.
  const keys = input.identifiers.map((i) => i.key);
  const idents = new Map(loaded.idents);
  const { link, newlyBlocked } = foldObservation(new Map(loaded.links), idents, input, options);
  await tx.put(C.links, link.id, link, { index: { ident: keys } });
  const nextIdents = new Map(keys.map((k) => [k, idents.get(k) as IdentifierDoc]));
  const cluster = await loadCluster(tx, keys, nextIdents, newlyBlocked);
  const resolution = resolveIdentities(cluster.evidence, options.rules);
  const anchor = linkAnchor(keys, resolution.autoBlocked, options.rules);
  const change = await applyResolution(env, resolution, cluster, nextIdents, { link, anchor, input });

  const profileId = resolution.profileOf.get(anchor) as string;
  const refused = resolution.refusals
    .filter((r) => r.linkId === link.id)
    .map((r) => describeRefusal(r, resolution, options.rules));
  if (refused.length > 0) env.events.push({ type: "identify.refused", profileId, refusals: refused, at: input.at });
  const refusedLinks = refusedLinksOf(resolution, cluster.links, options);
  env.refusedLinks?.push(...refusedLinks);
  const merged = change.absorbed.get(profileId) ?? [];
  const newKeys = keys.filter((k) => !loaded.idents.has(k));
  const created = loaded.profiles.size === 0 && newKeys.length > 0 && !cluster.profiles.has(profileId);
  return { profileId, created, merged, refused, change, anchor, linkId: link.id, refusedLinks };
}

/** Every refusal of a resolution of a whole cluster, by link, in link id order. */
function refusedLinksOf(
  resolution: Resolution,
  links: readonly LinkEvidence[],
  options: CompiledIdentityOptions,
): RefusedLink[] {
  const byId = new Map(links.map((l) => [l.id, l]));
  const out = new Map<string, RefusedLink>();
  for (const r of resolution.refusals) {
    const link = byId.get(r.linkId);
    if (!link) continue;
    let entry = out.get(link.id);
    if (!entry) {
      const anchor = linkAnchor(link.keys, resolution.autoBlocked, options.rules);
      entry = { linkId: link.id, keys: [...link.keys], at: link.firstSeen, anchor, refused: [] };
      out.set(link.id, entry);
    }
    entry.refused.push(describeRefusal(r, resolution, options.rules));
  }
  return [...out.values()].sort((a, b) => compareStrings(a.linkId, b.linkId));
}

/** A profile document as the compressed node the bulk resolver works on. */
function nodeOf(p: ProfileDoc): ProfileNode {
  return {
    id: p.id,
    anchor: p.anchor,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    maxOrder: p.maxOrder,
    counts: p.counts,
    separations: p.separations,
    traits: p.traits,
    provenance: p.provenance,
    clean: p.clean === true,
  };
}

/** The stored document of a profile (one field order everywhere, so equal state is equal JSON). */
function profileDoc(node: ProfileNode, group: string): ProfileDoc {
  return {
    id: node.id,
    anchor: node.anchor,
    group,
    counts: node.counts,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    maxOrder: node.maxOrder,
    separations: node.separations,
    traits: node.traits,
    provenance: node.provenance,
    ...(node.clean ? { clean: true as const } : {}),
  };
}

/** The size of a profile: how many identifiers it holds. */
function sizeOf(p: { counts: Record<string, number> }): number {
  let n = 0;
  for (const c of Object.values(p.counts)) n += c;
  return n;
}

/**
 * Writes what the bulk resolver decided: the profiles it touched, the identifiers it named, and,
 * for each merge, the identifiers of the smaller sides (union by size: the largest part keeps its
 * member group, the others are refiled under it; the survivor's own identifiers are never
 * rewritten unless it was the smaller side). Reports how the partition changed.
 */
async function writeBatch(
  env: IdentityEnv,
  batch: ReturnType<typeof applyObservations>,
  before: ReadonlyMap<string, ProfileDoc>,
  knownIdents: ReadonlyMap<string, IdentifierDoc>,
  touchedIdents: ReadonlyMap<string, IdentifierDoc>,
  ats: readonly string[],
): Promise<PartitionChange> {
  const { tx, options, events } = env;
  const change = emptyChange();
  const finalOf = (id: string) => batch.successor.get(id) ?? id;
  const parts = new Map<string, ProfileDoc[]>();
  for (const p of before.values()) {
    const into = finalOf(p.id);
    parts.set(into, [...(parts.get(into) ?? []), p]);
  }
  const groupOf = new Map<string, string>();
  const refile = new Map<string, string>();
  for (const [id, node] of batch.profiles) {
    const mine = parts.get(id) ?? [];
    const largest = [...mine].sort((a, b) => sizeOf(b) - sizeOf(a) || compareStrings(a.group, b.group))[0];
    const group = largest?.group ?? id;
    groupOf.set(id, group);
    for (const p of mine) if (p.group !== group) refile.set(p.group, group);
    const doc = profileDoc(node, group);
    const prior = before.get(id);
    if (!prior || !sameJson(prior, doc)) {
      const index = profileIndex(doc, options)?.index;
      await tx.put(C.profiles, doc.id, doc, index ? { index } : undefined);
    }
  }
  for (const [i, outcome] of batch.outcomes.entries()) {
    const at = ats[i] as string;
    for (const c of outcome.changes) {
      if (c.absorbed.length > 0) {
        change.absorbed.set(c.profileId, unique([...(change.absorbed.get(c.profileId) ?? []), ...c.absorbed]));
        change.touched.add(c.profileId);
        for (const id of c.absorbed) change.touched.add(id);
        events.push({ type: "profile.merged", profileId: c.profileId, absorbed: c.absorbed, at });
      }
      if (c.created) events.push({ type: "profile.created", profileId: c.profileId, at });
    }
    if (outcome.refused.length > 0) {
      events.push({ type: "identify.refused", profileId: outcome.profileId, refusals: outcome.refused, at });
    }
  }
  // Identifiers: those the batch named, and the smaller sides of its merges.
  const identPuts: PutEntry<IdentifierDoc>[] = [];
  for (const [key, known] of batch.identifiers) {
    const doc = touchedIdents.get(key);
    if (!doc) continue;
    const group = groupOf.get(known.profileId) ?? known.profileId;
    identPuts.push({ key, value: { ...doc, group }, index: { profile: group } });
  }
  if (refile.size > 0) {
    for (const { key, value } of await batchOf(tx).findMany<IdentifierDoc>(C.identifiers, "profile", [
      ...refile.keys(),
    ])) {
      if (touchedIdents.has(key)) continue;
      const group = refile.get(value.group) as string;
      identPuts.push({ key, value: { ...value, group }, index: { profile: group } });
    }
  }
  if (identPuts.length > 0) await batchOf(tx).putMany(C.identifiers, identPuts);
  // A profile id that comes back (late evidence moved an absorbed anchor to the front again)
  // stops being an alias. Only an anchor seen before the batch can have been absorbed.
  const revived = [...batch.profiles.values()].filter((p) => !before.has(p.id) && knownIdents.has(p.anchor));
  if (revived.length > 0)
    await batchOf(tx).deleteMany(
      C.aliases,
      revived.map((p) => p.id),
    );
  // Absorbed profiles: deleted, with an alias to where their anchor went; older aliases pointing
  // at them are collapsed onto the survivor.
  // (A profile created earlier in the same batch was never stored, but its id was handed out.)
  const removed = [...batch.successor.keys()];
  if (removed.length > 0) {
    for (const id of removed) change.removed.add(id);
    const stored = removed.filter((id) => before.has(id));
    if (stored.length > 0) await batchOf(tx).deleteMany(C.profiles, stored);
    const aliasPuts: PutEntry<AliasDoc>[] = removed.map((id) => {
      const target = finalOf(id);
      return { key: id, value: { target, anchor: batch.absorbedAnchors.get(id) as string }, index: { target } };
    });
    for (const { key, value } of await batchOf(tx).findMany<AliasDoc>(C.aliases, "target", removed)) {
      if (batch.successor.has(key)) continue;
      const target = finalOf(value.target);
      if (target !== value.target && target !== key)
        aliasPuts.push({ key, value: { ...value, target }, index: { target } });
    }
    await batchOf(tx).putMany(C.aliases, aliasPuts);
  }
  await countProfiles(
    env,
    [...batch.profiles.keys()].filter((id) => !before.has(id)),
    removed.filter((id) => before.has(id)),
  );
  return change;
}

function foldLink(existing: LinkEvidence | null, id: string, keys: string[], input: ObserveInput): LinkEvidence {
  const meta: { channel?: string; source?: string } = {};
  if (input.channel !== undefined) meta.channel = input.channel;
  if (input.source !== undefined) meta.source = input.source;
  const traits: LinkEvidence["traits"] = Object.assign(Object.create(null), existing?.traits);
  for (const [name, value] of Object.entries(input.traits ?? {})) {
    const observation: TraitObservation = { value, at: input.at, ...meta };
    traits[name] = foldTrait(traits[name], observation);
  }
  if (!existing) {
    return { id, keys, firstSeen: input.at, lastSeen: input.at, count: 1, first: meta, last: meta, traits };
  }
  const earlier = compareStrings(input.at, existing.firstSeen) < 0;
  const later = compareStrings(input.at, existing.lastSeen) >= 0;
  return {
    ...existing,
    firstSeen: earlier ? input.at : existing.firstSeen,
    lastSeen: later ? input.at : existing.lastSeen,
    count: existing.count + 1,
    first: earlier ? meta : existing.first,
    last: later ? meta : existing.last,
    traits,
  };
}

/** Evidence plus the derived docs that describe it. */
interface Cluster {
  evidence: Parameters<typeof resolveIdentities>[0];
  /** Profile docs found in the cluster (old state), by id. */
  profiles: Map<string, ProfileDoc>;
  /** Identifier docs of the cluster. */
  idents: Map<string, IdentifierDoc>;
  /** All links of the cluster: traits and orders are recomputed from them. */
  links: LinkEvidence[];
}

/** Loads the whole cluster reachable from `keys` through links (not through auto-blocked identifiers). */
async function loadCluster(
  tx: StorageTransaction,
  keys: readonly string[],
  fresh: ReadonlyMap<string, IdentifierDoc> = new Map(),
  expand: ReadonlySet<string> = new Set(),
): Promise<Cluster> {
  const idents = new Map<string, IdentifierDoc>();
  const links = new Map<string, LinkEvidence>();
  const decisions = new Map<string, OperatorDecision>();
  let frontier = [...new Set(keys)];
  /** Every key that was in a frontier: a key without an identifier doc is not looked up again. */
  const visited = new Set<string>();
  while (frontier.length > 0) {
    await tx.lock(frontier.map(lockKey));
    // One read per collection for the whole frontier, whatever its size.
    const docs = await tx.getMany<IdentifierDoc>(C.identifiers, frontier);
    const present: string[] = [];
    const linking: string[] = [];
    for (const key of frontier) {
      const doc = fresh.get(key) ?? docs.get(key);
      if (!doc) continue;
      idents.set(key, doc);
      present.push(key);
      if (!doc.autoBlocked || expand.has(key)) linking.push(key);
    }
    const next = new Set<string>();
    if (present.length > 0) {
      for (const d of await batchOf(tx).findMany<OperatorDecision>(C.decisions, "ident", present)) {
        decisions.set(d.key, d.value);
        for (const k of decisionKeys(d.value)) next.add(k);
      }
    }
    if (linking.length > 0) {
      // Links are followed through identifiers that still link: an auto-blocked one links nothing.
      for (const { value: link } of await batchOf(tx).findMany<LinkEvidence>(C.links, "ident", linking)) {
        links.set(link.id, link);
        for (const k of link.keys) next.add(k);
      }
    }
    for (const key of frontier) visited.add(key);
    frontier = [...next].filter((k) => !visited.has(k));
  }
  const nodes = new Map<string, NodeInfo>();
  const autoBlocked = new Set<string>();
  for (const doc of idents.values()) {
    nodes.set(doc.key, { key: doc.key, type: doc.type, firstSeen: doc.firstSeen, lastSeen: doc.lastSeen });
    if (doc.autoBlocked) autoBlocked.add(doc.key);
  }
  const groups = unique([...idents.values()].map((d) => d.group).filter((g) => g !== ""));
  const owners = await profilesOfGroups(tx, groups);
  await tx.lock(unique([...owners.values()].map((p) => lockProfile(p.id))));
  // Same as in observe: once the profiles are locked, identifiers must still point at them.
  const recheck = await tx.getMany<IdentifierDoc>(
    C.identifiers,
    [...idents.keys()].filter((k) => !fresh.has(k)),
  );
  for (const [key, doc] of recheck) {
    if (doc.group !== idents.get(key)?.group) return loadCluster(tx, keys, fresh, expand);
  }
  const profiles = new Map<string, ProfileDoc>();
  for (const p of owners.values()) profiles.set(p.id, p);
  const linkList = [...links.values()].sort(compareEvidence);
  const decisionList = [...decisions.values()].sort((a, b) => compareStrings(a.id, b.id));
  return {
    evidence: { links: linkList, nodes, decisions: decisionList, autoBlocked },
    profiles,
    idents,
    links: linkList,
  };
}

/**
 * Writes the derived state of a resolution of a whole cluster and reports how the partition
 * changed. Each profile keeps its member group when it keeps all its identifiers; otherwise its
 * identifiers are filed under its own id.
 */
async function applyResolution(
  env: IdentityEnv,
  resolution: Resolution,
  cluster: Cluster,
  touchedIdents: Map<string, IdentifierDoc>,
  observation?: { link: LinkEvidence; anchor: string; input: ObserveInput },
): Promise<PartitionChange> {
  const { tx, options, events } = env;
  const before = cluster.profiles;
  const change = emptyChange();
  const ownerOfGroup = new Map<string, string>();
  for (const p of before.values()) ownerOfGroup.set(p.group, p.id);
  const docOf = (key: string) => touchedIdents.get(key) ?? cluster.idents.get(key);
  const oldOf = (key: string) => ownerOfGroup.get(docOf(key)?.group ?? "") ?? "";
  const oldKeys = new Map<string, string[]>();
  for (const key of cluster.idents.keys()) {
    const id = oldOf(key);
    if (id !== "") oldKeys.set(id, [...(oldKeys.get(id) ?? []), key]);
  }
  const at = observation?.input.at ?? new Date(0).toISOString();
  const facts = deriveProfileFacts(cluster.links, cluster.evidence.decisions, resolution, options.rules);
  // Clean (see ProfileDoc.clean): the whole cluster has nothing that makes the order of evidence
  // matter. A cluster of several profiles always has (a refused link or a separation between them).
  const clean =
    resolution.refusals.length === 0 &&
    resolution.rejectedMerges.length === 0 &&
    resolution.autoBlocked.size === 0 &&
    cluster.evidence.decisions.every((d) => d.kind !== "split" || d.liftedBy !== undefined);

  const newIds = new Set(resolution.components.map((c) => c.id));
  const aliasDeletes: string[] = [];
  const identPuts: PutEntry<IdentifierDoc>[] = [];
  for (const component of resolution.components) {
    const previous = unique(component.keys.map(oldOf).filter((id) => id !== ""));
    const f = facts.get(component.id);
    const traits = mergeTraits(f?.traitSources ?? [], options.traitRule);
    const counts: Record<string, number> = Object.create(null);
    for (const key of component.keys) counts[keyType(key)] = (counts[keyType(key)] ?? 0) + 1;
    const prior = before.get(component.id);
    const sameMembers =
      prior !== undefined &&
      (oldKeys.get(prior.id)?.length ?? 0) === component.keys.length &&
      component.keys.every((k) => oldOf(k) === prior.id);
    const keepsGroup =
      prior !== undefined &&
      (oldKeys.get(prior.id) ?? []).every((k) => resolution.profileOf.get(k) === component.id) &&
      (prior.group === component.id || !newIds.has(prior.group));
    const group = keepsGroup ? prior.group : component.id;
    const doc = profileDoc(
      {
        id: component.id,
        anchor: component.anchor,
        createdAt: component.createdAt,
        updatedAt: component.updatedAt,
        maxOrder: f?.maxOrder ?? "",
        counts,
        separations: f?.separations ?? {},
        traits: traits.traits,
        provenance: traits.provenance,
        clean,
      },
      group,
    );
    if (!prior || !sameJson(prior, doc)) {
      const index = profileIndex(doc, options)?.index;
      await tx.put(C.profiles, doc.id, doc, index ? { index } : undefined);
    }
    // A profile id that comes back (after an unmerge) stops being an alias. Only a profile whose
    // anchor was seen before can have been absorbed, so a brand-new anchor needs no delete.
    if (!prior && oldOf(component.anchor) !== "") aliasDeletes.push(doc.id);
    const absorbed = previous.filter((id) => id !== component.id && !newIds.has(id));
    if (absorbed.length > 0) {
      change.absorbed.set(component.id, absorbed);
      events.push({ type: "profile.merged", profileId: component.id, absorbed, at });
    }
    if (!prior && previous.length === 0) events.push({ type: "profile.created", profileId: component.id, at });
    // A profile made only of identifiers never seen before has no conversations to re-stitch.
    if (previous.length > 0 && !sameMembers) {
      change.touched.add(component.id);
      for (const id of previous) change.touched.add(id);
    }
    for (const key of component.keys) {
      const current = docOf(key);
      if (current && (touchedIdents.has(key) || current.group !== group)) {
        identPuts.push({ key, value: { ...current, group }, index: { profile: group } });
      }
    }
  }
  if (aliasDeletes.length > 0) await batchOf(tx).deleteMany(C.aliases, aliasDeletes);
  if (identPuts.length > 0) await batchOf(tx).putMany(C.identifiers, identPuts);
  // Old profiles: removed ones get an alias to where their anchor went; split ones are reported.
  const aliasPuts: PutEntry<AliasDoc>[] = [];
  /** Where each removed or split profile's own anchor went: the fallback target of its aliases. */
  const successorOf = new Map<string, string>();
  const profileDeletes: string[] = [];
  for (const [id, old] of before) {
    const destinations = unique(
      (oldKeys.get(id) ?? []).map((k) => resolution.profileOf.get(k)).filter((d): d is string => !!d),
    );
    if (destinations.length === 0) continue;
    if (!newIds.has(id)) {
      change.removed.add(id);
      profileDeletes.push(id);
      const target = resolution.profileOf.get(old.anchor) ?? (destinations[0] as string);
      successorOf.set(id, target);
      aliasPuts.push({ key: id, value: { target, anchor: old.anchor }, index: { target } });
    } else if (destinations.length > 1) {
      successorOf.set(id, id);
    }
    if (destinations.length > 1) {
      const others = destinations.filter((d) => d !== id).sort(compareStrings);
      change.split.set(id, others);
      change.touched.add(id);
      for (const d of destinations) change.touched.add(d);
      events.push({ type: "profile.split", profileId: id, split: others, at });
    }
  }
  // Collapse aliases: every alias that pointed at a removed or split profile now points straight
  // at the live profile holding its anchor, so an absorbed id resolves in one hop whatever the
  // length of the chain of merges behind it.
  if (successorOf.size > 0) {
    const existing = await batchOf(tx).findMany<AliasDoc>(C.aliases, "target", [...successorOf.keys()]);
    for (const { key, value } of existing) {
      if (successorOf.has(key)) continue;
      const target =
        (value.anchor !== undefined ? resolution.profileOf.get(value.anchor) : undefined) ??
        successorOf.get(value.target) ??
        value.target;
      if (target !== value.target && target !== key) {
        aliasPuts.push({ key, value: { ...value, target }, index: { target } });
      }
    }
  }
  if (profileDeletes.length > 0) await batchOf(tx).deleteMany(C.profiles, profileDeletes);
  await countProfiles(
    env,
    resolution.components.filter((c) => !before.has(c.id)).map((c) => c.id),
    profileDeletes,
  );
  if (aliasPuts.length > 0) await batchOf(tx).putMany(C.aliases, aliasPuts);
  return change;
}

/** With fuzzy matching on, profiles are indexed by their blocking keys, so candidates are cheap to find. */
function profileIndex(doc: ProfileDoc, options: CompiledIdentityOptions): PutOptions | undefined {
  if (!options.fuzzy) return undefined;
  const keys = blockingKeys({ id: doc.id, traits: doc.traits }, options.fuzzy);
  return keys.length > 0 ? { index: { block: keys } } : undefined;
}

/**
 * Where the number of profiles is kept while fuzzy matching is on (its prior scales with it):
 * `COUNT_SHARDS` documents `{ n }`, a profile counted in the shard of its id, so that writers in
 * several processes rarely wait for one another; a shard at zero is deleted, so a store holds the
 * same documents whatever history led to its profiles. Kept like the blocking index: only while
 * fuzzy matching is on.
 */
const COUNT_SHARDS = 16;
const SHARD_KEYS = Array.from({ length: COUNT_SHARDS }, (_, i) => `n${i}`);
const lockCount = (shard: string) => `profile-count:${shard}`;

function shardOf(profileId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < profileId.length; i++) h = Math.imul(h ^ profileId.charCodeAt(i), 0x01000193) >>> 0;
  return SHARD_KEYS[h % COUNT_SHARDS] as string;
}

/**
 * The number of profiles per shard, from the profile documents themselves: for a store whose
 * counts were never kept (fuzzy matching turned on later, or a store older than the counts), and
 * for an empty store, where it costs nothing.
 */
async function countedShards(tx: StorageTransaction): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { key } of await tx.scan(C.profiles)) {
    const shard = shardOf(key);
    counts.set(shard, (counts.get(shard) ?? 0) + 1);
  }
  return counts;
}

/** Keeps the profile counts after profiles were created and removed (fuzzy matching on only). */
async function countProfiles(env: IdentityEnv, created: readonly string[], removed: readonly string[]): Promise<void> {
  if (!env.options.fuzzy || (created.length === 0 && removed.length === 0)) return;
  const { tx } = env;
  const delta = new Map<string, number>();
  for (const id of created) delta.set(shardOf(id), (delta.get(shardOf(id)) ?? 0) + 1);
  for (const id of removed) delta.set(shardOf(id), (delta.get(shardOf(id)) ?? 0) - 1);
  const changed = [...delta].filter(([, d]) => d !== 0).map(([k]) => k);
  if (changed.length === 0) return;
  if (env.concurrent) await tx.lock(changed.sort(compareStrings).map(lockCount));
  let stored = await tx.getMany<{ n: number }>(PROFILE_COUNTS, SHARD_KEYS);
  let next: Map<string, number>;
  if (stored.size === 0) {
    // Never counted (or every profile is gone): count the documents, which already hold this change.
    if (env.concurrent) await tx.lock(SHARD_KEYS.map(lockCount));
    stored = await tx.getMany<{ n: number }>(PROFILE_COUNTS, SHARD_KEYS);
  }
  if (stored.size === 0) next = await countedShards(tx);
  else {
    next = new Map();
    for (const shard of changed) next.set(shard, (stored.get(shard)?.n ?? 0) + (delta.get(shard) ?? 0));
  }
  const puts: PutEntry<{ n: number }>[] = [];
  const deletes: string[] = [];
  for (const [shard, n] of next) {
    if (n > 0) puts.push({ key: shard, value: { n } });
    else if (stored.has(shard)) deletes.push(shard);
  }
  if (puts.length > 0) await batchOf(tx).putMany(PROFILE_COUNTS, puts);
  if (deletes.length > 0) await batchOf(tx).deleteMany(PROFILE_COUNTS, deletes);
}

/** The number of profiles in the store: one read of the counts, a count of the documents when none are kept. */
export async function profileCount(tx: StorageTransaction): Promise<number> {
  const stored = await tx.getMany<{ n: number }>(PROFILE_COUNTS, SHARD_KEYS);
  const shards = stored.size > 0 ? [...stored.values()].map((d) => d.n) : [...(await countedShards(tx)).values()];
  return shards.reduce((a, b) => a + b, 0);
}

/**
 * Fuzzy-match suggestions: for one profile against the profiles sharing a blocking key with it,
 * or (without `profileId`) across all profiles. Each suggestion carries its score and field weights.
 *
 * Both estimate the prior from the store's data at match time unless `parameters.prior` is given:
 * across all profiles, as the pure `suggestMatches` does; for one profile, from its candidates'
 * match weights over the number of profiles in the store (`matchCandidates`), which is kept in a
 * few counter documents, so no profile is scanned.
 */
export async function suggestMatches(env: IdentityEnv, profileId?: string): Promise<MatchSuggestion[]> {
  const fuzzy = env.options.fuzzy;
  if (!fuzzy) {
    throw new RefusedError("Fuzzy matching is off: enable it with the identity.fuzzy option", {
      option: "identity.fuzzy",
    });
  }
  if (profileId === undefined) {
    const records = (await env.tx.scan<ProfileDoc>(C.profiles)).map(({ value }) => ({
      id: value.id,
      traits: value.traits,
    }));
    return suggestAll(records, fuzzy);
  }
  const profile = await requireProfile(env.tx, profileId);
  const record = { id: profile.id, traits: profile.traits };
  const candidates = new Map<string, ProfileDoc>();
  for (const key of blockingKeys(record, fuzzy)) {
    for (const { value } of await env.tx.find<ProfileDoc>(C.profiles, "block", key, {
      limit: fuzzy.maxBlockSize ?? 100,
    })) {
      if (value.id !== profile.id) candidates.set(value.id, value);
    }
  }
  if (candidates.size === 0) return [];
  const others = [...candidates.values()].map((c) => ({ id: c.id, traits: c.traits }));
  const population = Math.max(await profileCount(env.tx), others.length + 1);
  return matchCandidates(record, others, { ...fuzzy, population });
}

/** Deep equality of JSON values (plain objects compared by their own keys, in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    n++;
    if (!sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) n--;
  return n === 0;
}

/** Reads a profile in its public shape; `null` when unknown. */
export async function readProfile(tx: StorageTransaction, id: string): Promise<Profile | null> {
  const current = await resolveProfileId(tx, id);
  if (!current) return null;
  const doc = (await tx.get<ProfileDoc>(C.profiles, current)) as ProfileDoc;
  const identifiers = (await memberDocsOf(tx, doc)).map(publicIdentifier);
  const traitProvenance: Profile["traitProvenance"] = {};
  for (const [name, p] of Object.entries(doc.provenance)) {
    if (p.value === null) continue;
    traitProvenance[name] = { ...p, value: p.value };
  }
  return {
    id: doc.id,
    identifiers,
    traits: doc.traits,
    traitProvenance,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** Recomputes the clusters around `keys` from evidence (after decisions or erasures). */
export async function recompute(
  env: IdentityEnv,
  keys: readonly string[],
  at: string,
  reason?: string,
): Promise<PartitionChange> {
  const cluster = await loadCluster(env.tx, keys);
  const resolution = resolveIdentities(cluster.evidence, env.options.rules);
  const change = await applyResolution(env, resolution, cluster, new Map());
  fixEventTimes(env.events, at, reason);
  return change;
}

/** Records an operator merge of two profiles as evidence; refused when it would break a rule. */
export async function mergeProfiles(
  env: IdentityEnv,
  a: string,
  b: string,
  decision: { reason: string; by?: string | undefined; at: string; auto?: boolean },
): Promise<{ profileId: string; change: PartitionChange; decisionId: string | null }> {
  const { tx } = env;
  const pa = await requireProfile(tx, a);
  const pb = await requireProfile(tx, b);
  if (pa.id === pb.id) return { profileId: pa.id, change: emptyChange(), decisionId: null };
  const id = stableId("dec", "merge", pa.anchor, pb.anchor, decision.at);
  const merge: OperatorDecision = {
    id,
    kind: "merge",
    keys: [pa.anchor, pb.anchor],
    at: decision.at,
    reason: decision.reason,
    ...(decision.by !== undefined ? { by: decision.by } : {}),
    ...(decision.auto === true ? { auto: true as const } : {}),
  };
  await tx.put(C.decisions, id, merge, { index: { ident: merge.keys } });
  // Lift separations between the two profiles: the operator joined them again.
  const keysA = await membersOf(tx, pa);
  const keysB = await membersOf(tx, pb);
  const inA = new Set(keysA);
  const inB = new Set(keysB);
  const lifted: PutEntry<OperatorDecision>[] = [];
  for (const { value: d } of await batchOf(tx).findMany<OperatorDecision>(C.decisions, "ident", [...keysA, ...keysB])) {
    if (d.kind !== "split" || d.liftedBy !== undefined) continue;
    const all = [...d.detached, ...d.kept];
    if (all.some((k) => inA.has(k)) && all.some((k) => inB.has(k))) {
      lifted.push({ key: d.id, value: { ...d, liftedBy: id }, index: { ident: all } });
    }
  }
  if (lifted.length > 0) await batchOf(tx).putMany(C.decisions, lifted);
  const cluster = await loadCluster(tx, [pa.anchor, pb.anchor]);
  const resolution = resolveIdentities(cluster.evidence, env.options.rules);
  const rejected = resolution.rejectedMerges.find((r) => r.decisionId === id);
  if (rejected) {
    throw new RefusedError(
      rejected.reason === "limit"
        ? `Merging ${pa.id} and ${pb.id} would put two ${rejected.type} values in one profile`
        : `Merging ${pa.id} and ${pb.id} is refused by an operator separation`,
      { profiles: [pa.id, pb.id], reason: rejected.reason, ...(rejected.type ? { type: rejected.type } : {}) },
    );
  }
  const change = await applyResolution(env, resolution, cluster, new Map());
  fixEventTimes(env.events, decision.at, decision.reason);
  return { profileId: resolution.profileOf.get(pa.anchor) as string, change, decisionId: id };
}

/**
 * Detaches an identifier and everything linked to the profile only through it. Sticky: later
 * evidence joining the two parts is refused until an operator merges them again.
 */
export async function unmergeIdentifier(
  env: IdentityEnv,
  profileId: string,
  key: string,
  decision: { reason: string; by?: string | undefined; at: string },
): Promise<{ profileId: string; detachedProfileId: string; change: PartitionChange }> {
  const { tx } = env;
  const profile = await requireProfile(tx, profileId);
  const members = await membersOf(tx, profile);
  if (!members.includes(key)) throw new NotFoundError("identifier in profile", `${profile.id}/${key}`);
  if (members.length === 1) {
    throw new RefusedError(`Profile ${profile.id} has only ${key}; there is nothing to detach it from`, {
      profileId: profile.id,
      identifier: parseIdentifierKey(key),
    });
  }
  // The parts: remove the identifier from the profile's evidence graph; the part holding the
  // earliest remaining identifier stays, everything else goes with the identifier.
  const cluster = await loadCluster(tx, members);
  const { start, kept, detached } = splitProfile(
    members,
    key,
    cluster.evidence,
    (k) => cluster.idents.get(k)?.firstSeen ?? "",
  );
  const id = stableId("dec", "split", key, profile.id, decision.at);
  const split: OperatorDecision = {
    id,
    kind: "split",
    key,
    detached,
    kept,
    at: decision.at,
    reason: decision.reason,
    ...(decision.by !== undefined ? { by: decision.by } : {}),
  };
  await tx.put(C.decisions, id, split, { index: { ident: members } });
  cluster.evidence = { ...cluster.evidence, decisions: [...cluster.evidence.decisions, split] };
  const resolution = resolveIdentities(cluster.evidence, env.options.rules);
  const change = await applyResolution(env, resolution, cluster, new Map());
  fixEventTimes(env.events, decision.at, decision.reason);
  return {
    profileId: resolution.profileOf.get(start) as string,
    detachedProfileId: resolution.profileOf.get(key) as string,
    change,
  };
}

/** What {@link forgetProfile} erased and what it left for the caller. */
export interface ForgottenProfile {
  /** The erased profile's id. */
  id: string;
  /** Its identifier keys. */
  keys: string[];
  /**
   * Every profile id that is the person's: the current one, the ids it absorbed and the id each of
   * its identifiers would have as an anchor. Events naming any of them are erased by the caller.
   */
  names: string[];
  /**
   * Neighbour profiles left with no evidence at all (every identifier of theirs was seen only
   * together with the person): a store that never saw the person has none of them, so the caller
   * forgets them too.
   */
  orphans: string[];
  change: PartitionChange;
}

/**
 * Erases a profile: its identifiers, every link and operator decision naming them (with their
 * traits and reasons), its aliases, and rebuilds the neighbours (identifiers that shared erased
 * evidence without being in the profile) from the evidence that remains, so that they equal a
 * store that never saw the person. Conversations and offers are erased by their own shell parts,
 * events by the caller (see {@link ForgottenProfile.names}).
 */
export async function forgetProfile(env: IdentityEnv, profileId: string, at: string): Promise<ForgottenProfile> {
  const { tx } = env;
  const profile = await requireProfile(tx, profileId);
  const keys = await membersOf(tx, profile);
  await tx.lock(keys.map(lockKey));
  const mine = new Set(keys);
  const neighbours = new Set<string>();
  const links = await batchOf(tx).findMany<LinkEvidence>(C.links, "ident", keys);
  for (const { value: link } of links) for (const k of link.keys) if (!mine.has(k)) neighbours.add(k);
  const decisions = await batchOf(tx).findMany<OperatorDecision>(C.decisions, "ident", keys);
  for (const { value: d } of decisions) for (const k of decisionKeys(d)) if (!mine.has(k)) neighbours.add(k);
  if (links.length > 0)
    await batchOf(tx).deleteMany(
      C.links,
      links.map((d) => d.key),
    );
  if (decisions.length > 0)
    await batchOf(tx).deleteMany(
      C.decisions,
      decisions.map((d) => d.key),
    );
  await batchOf(tx).deleteMany(C.identifiers, keys);
  await tx.delete(C.profiles, profile.id);
  await countProfiles(env, [], [profile.id]);
  // Aliases: the ids it absorbed, and any alias keyed by an id derived from one of its identifiers.
  const derived = keys.map(profileIdFor);
  const absorbed = (await tx.find(C.aliases, "target", profile.id)).map((d) => d.key);
  const names = unique([profile.id, ...absorbed, ...derived]).sort(compareStrings);
  await batchOf(tx).deleteMany(C.aliases, names);

  // Neighbours: their identifier docs are rebuilt from the links that remain; one that no link
  // names any more was seen only together with the person, and goes.
  const near = [...neighbours].sort(compareStrings);
  const docs =
    near.length > 0 ? await tx.getMany<IdentifierDoc>(C.identifiers, near) : new Map<string, IdentifierDoc>();
  const remaining = near.length > 0 ? await batchOf(tx).findMany<LinkEvidence>(C.links, "ident", near) : [];
  const linksOf = new Map<string, LinkEvidence[]>();
  for (const { value: link } of [...remaining].sort((a, b) => compareEvidence(a.value, b.value))) {
    for (const k of link.keys) linksOf.get(k)?.push(link) ?? linksOf.set(k, [link]);
  }
  const ownerOf = await profileIdsOf(tx, docs.values());
  const rebuilt: PutEntry<IdentifierDoc>[] = [];
  const gone: string[] = [];
  const goneFrom = new Map<string, string[]>();
  for (const key of near) {
    const doc = docs.get(key);
    if (!doc) continue;
    const own = linksOf.get(key) ?? [];
    if (own.length === 0) {
      gone.push(key);
      const owner = ownerOf.get(key) ?? "";
      goneFrom.get(owner)?.push(key) ?? goneFrom.set(owner, [key]);
      continue;
    }
    rebuilt.push({ key, value: rebuildIdentifier(doc, own, env.options), index: { profile: doc.group } });
  }
  if (rebuilt.length > 0) await batchOf(tx).putMany(C.identifiers, rebuilt);
  // A neighbour profile none of whose identifiers keeps evidence is the caller's to forget whole;
  // one that keeps some loses the others.
  const orphans: string[] = [];
  for (const [id, lost] of goneFrom) {
    const neighbour = await tx.get<ProfileDoc>(C.profiles, id);
    if (!neighbour) continue;
    const members = await membersOf(tx, neighbour);
    if (members.every((k) => lost.includes(k))) orphans.push(id);
    else await batchOf(tx).deleteMany(C.identifiers, lost);
  }
  env.events.push({ type: "profile.forgotten", profileId: profile.id, at });
  const kept = near.filter((k) => !gone.includes(k));
  const change = kept.length > 0 ? await recompute(env, kept, at) : emptyChange();
  // Ids a neighbour had while an erased identifier was its anchor are the person's evidence too.
  const stale = gone.map(profileIdFor);
  if (stale.length > 0) await batchOf(tx).deleteMany(C.aliases, stale);
  change.removed.add(profile.id);
  return { id: profile.id, keys, names: unique([...names, ...stale]), orphans, change };
}

/** An identifier document as the remaining links say it is (they are sorted in evidence order). */
function rebuildIdentifier(doc: IdentifierDoc, links: LinkEvidence[], options: CompiledIdentityOptions): IdentifierDoc {
  let seenWith: IdentifierDoc["seenWith"] = {};
  let blocked = false;
  let firstSeen = (links[0] as LinkEvidence).firstSeen;
  let lastSeen = (links[0] as LinkEvidence).lastSeen;
  let count = 0;
  for (const link of links) {
    firstSeen = minString(firstSeen, link.firstSeen);
    lastSeen = maxString(lastSeen, link.lastSeen);
    count += link.count;
    const counted = countCooccurrence(seenWith, doc.type, link.keys, options.rules.autoBlockThreshold);
    seenWith = counted.seenWith;
    blocked ||= counted.blocked;
  }
  const { autoBlocked: _old, ...rest } = doc;
  const next: IdentifierDoc = { ...rest, firstSeen, lastSeen, count, seenWith };
  if (blocked) next.autoBlocked = true;
  return next;
}

/**
 * The store's suppression key: 32 random bytes kept in the store itself, created by the first
 * suppression. `null` when there is none yet and `create` is false.
 */
async function suppressionSecret(env: IdentityEnv, create: boolean, read?: string): Promise<Uint8Array | null> {
  const cached = env.suppression?.secret;
  if (cached) return cached;
  const load = async () => (await env.tx.get<{ key: string }>(C.identifiers, SECRET_DOC))?.key;
  let stored = read ?? (await load());
  if (stored === undefined && create) {
    await env.tx.lock(["secret:suppression"]);
    stored = await load();
    if (stored === undefined) {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
      await env.tx.put(C.identifiers, SECRET_DOC, { key: bytesToHex(bytes) });
      // Not cached: the transaction creating it may still roll back.
      return bytes;
    }
  }
  if (stored === undefined) return null;
  const secret = hexToBytes(stored);
  if (env.suppression) env.suppression.secret = secret;
  return secret;
}

/** The key of an identifier's suppression entry: HMAC-SHA256 of its normalised key. */
function suppressionKey(secret: Uint8Array, key: string): string {
  return bytesToHex(hmac(sha256, secret, utf8ToBytes(key)));
}

/**
 * Keeps a suppression entry for each identifier key (after `forget(ref, { suppress: true })`):
 * a keyed hash and the time, nothing else. Later input naming one of them is refused.
 */
export async function suppressIdentifiers(env: IdentityEnv, keys: readonly string[], at: string): Promise<void> {
  if (keys.length === 0) return;
  const secret = (await suppressionSecret(env, true)) as Uint8Array;
  await batchOf(env.tx).putMany(
    C.suppressions,
    keys.map((key) => ({ key: suppressionKey(secret, key), value: { at } })),
  );
}

/** Lifts the suppression of an identifier; false when it was not suppressed. */
export async function liftSuppression(env: IdentityEnv, identifier: Identifier): Promise<boolean> {
  const key = keyOf(identifier, env.options);
  const secret = await suppressionSecret(env, false);
  if (!secret) return false;
  return env.tx.delete(C.suppressions, suppressionKey(secret, key));
}

/** The keys among `identifiers` that are suppressed (after `forget(ref, { suppress: true })`). */
async function findSuppressed(
  env: IdentityEnv,
  identifiers: ReadonlyArray<Identifier & { key: string }>,
  read: string | undefined,
): Promise<Set<string>> {
  const secret = await suppressionSecret(env, false, read);
  if (!secret) return new Set();
  const byHash = new Map(identifiers.map((i) => [suppressionKey(secret, i.key), i.key]));
  const found = await env.tx.getMany(C.suppressions, [...byHash.keys()]);
  return new Set([...found.keys()].map((h) => byHash.get(h) as string));
}

/** The `refused` error (reason `suppressed`) of an input naming suppressed identifiers; it names no value. */
function suppressedError(suppressed: ReadonlyArray<Identifier>): RefusedError {
  return new RefusedError(
    `Refused: ${suppressed.map((i) => `a ${i.type} identifier`).join(", ")} of this input belongs to a forgotten customer whose data is suppressed; an operator can lift it with profiles.unsuppress`,
    { reason: "suppressed", identifiers: suppressed.map((i) => ({ type: i.type, value: i.value })) },
  );
}

/**
 * The current profile `id` names, locked. A concurrent writer may absorb or erase it between the
 * read and the lock: read it again once locked, follow it to its survivor, and fail with a typed
 * `not_found` when it is gone.
 */
async function requireProfile(tx: StorageTransaction, id: string): Promise<ProfileDoc> {
  const locked = new Set<string>();
  for (;;) {
    const current = await resolveProfileId(tx, id);
    if (!current) throw new NotFoundError("profile", id);
    if (!locked.has(current)) {
      await tx.lock([lockProfile(current)]);
      locked.add(current);
      continue;
    }
    const doc = await tx.get<ProfileDoc>(C.profiles, current);
    if (doc) return doc;
    if ((await resolveProfileId(tx, id)) === current) throw new NotFoundError("profile", id);
  }
}

/** Events of decisions and erasures are built before their time is known: stamp them. */
function fixEventTimes(events: CustomerContextEvent[], at: string, reason?: string): void {
  const epoch = new Date(0).toISOString();
  for (const e of events) {
    if (e.at !== epoch) continue;
    e.at = at;
    if (reason !== undefined && (e.type === "profile.merged" || e.type === "profile.split")) e.reason = reason;
  }
}

/** An empty partition change. */
export function emptyChange(): PartitionChange {
  return { absorbed: new Map(), split: new Map(), removed: new Set(), touched: new Set() };
}

/** Explains a profile: which evidence joined each identifier, and what was refused. */
export async function explainProfile(env: IdentityEnv, profileId: string) {
  const { tx } = env;
  const profile = await requireProfile(tx, profileId);
  const keys = await membersOf(tx, profile);
  const cluster = await loadCluster(tx, keys);
  const resolution = resolveIdentities(cluster.evidence, env.options.rules);
  return explainResolution(
    { id: profile.id, anchor: profile.anchor, keys },
    cluster.evidence,
    resolution,
    env.options.rules,
  );
}
