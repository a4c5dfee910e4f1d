/**
 * The storage schema of the shell: one home for what is stored where. Every collection name, the
 * stored document types, the indexes each collection is written with ({@link INDEXES}), owner
 * resolution (which profile an identifier, an absorbed id or a `{ profileId }` belongs to now) and
 * the mapping of stored identifiers to their public shape. The adapters never interpret any of
 * this; docs/architecture.md ("The stored layout") lists it as a table.
 */

import { stableId } from "../../_lib/hash.js";
import type { StitchDecision } from "../../conversations/stitchConversations.js";
import { NotFoundError } from "../../errors.js";
import type { TraitObservation } from "../../identity/graph/types.js";
import type { ReviewCandidate } from "../../identity/reviews/types.js";
import type {
  Consent,
  Conversation,
  DecisionKind,
  OfferVersion,
  Presentation,
  ProfileIdentifier,
  ReviewStatus,
} from "../../schema/outputs.js";
import type { Scalar } from "../../schema/primitives.js";
import { batchOf, type JsonValue, type StorageTransaction } from "../../storage/port.js";
import { followAliases } from "./followAliases.js";
import { unique } from "./unique.js";

// ---------------------------------------------------------------------------------------------
// Collections and their indexes.

/** The identity collections. */
export const C = {
  identifiers: "identifiers",
  links: "links",
  profiles: "profiles",
  aliases: "profile_aliases",
  decisions: "identity_decisions",
  /** Keyed hash of a suppressed identifier's key -> `{ at }` (see `suppressIdentifiers` in identity.ts). */
  suppressions: "suppressions",
} as const;

/** The conversation collections. */
export const CC = {
  /** Interactions in their public shape (with the derived profileId and conversationId). */
  interactions: "interactions",
  /** What stitching needs of each interaction, indexed by owner, Message-ID and references. */
  evidence: "interaction_evidence",
  conversations: "conversations",
  aliases: "conversation_aliases",
  decisions: "conversation_decisions",
  /** Per profile: the stitcher's lookup state after its latest interaction (see StitchState). */
  state: "stitch_state",
  /**
   * Per profile and thread key or case reference: the conversation of its latest interaction
   * with it ({@link StitchKeyDoc}, keyed by {@link stitchKeyId}, indexed by `profile`). One small
   * document each, so that a customer's thousandth chat session or ticket is looked up and
   * written without rewriting the other 999.
   */
  keys: "stitch_keys",
  /**
   * Membership: one small entry per interaction (see {@link TimelineEntry}), keyed by time
   * ({@link timelineKey}) and indexed by `conversation` and `profile`, so a conversation's or a
   * customer's interactions are found, newest first and a page at a time, without any document
   * holding their list.
   */
  timeline: "interaction_timeline",
} as const;

/** The offer collections. */
export const OC = { offers: "offers", presentations: "presentations", consents: "consents" } as const;

/** Where review items live: review id -> {@link ReviewDoc}, indexed by identifier, status and decision. */
export const REVIEWS = "identity_reviews";

/** Where revoked decisions are remembered: decision id -> {@link RevocationDoc}, indexed by identifier. */
export const REVOCATIONS = "identity_revocations";

/** Where idempotency keys live: `kind:id` -> {@link KeyDoc}, indexed by the identifiers involved. */
export const IDEMPOTENCY_KEYS = "idempotency_keys";

/**
 * Where the number of profiles is kept while fuzzy matching is on (the context's fuzzy prior
 * needs it): 16 shards keyed by a hash of the profile id, each `{ n }`, a shard at zero deleted.
 */
export const PROFILE_COUNTS = "profile_counts";

/** Every collection the shell writes. */
export type CollectionName =
  | (typeof C)[keyof typeof C]
  | (typeof CC)[keyof typeof CC]
  | (typeof OC)[keyof typeof OC]
  | typeof REVIEWS
  | typeof REVOCATIONS
  | typeof IDEMPOTENCY_KEYS
  | typeof PROFILE_COUNTS;

/**
 * The secondary indexes each collection is written with (the names `find` and `findMany` take).
 * A collection absent from an index here is never looked up by it.
 */
export const INDEXES: Readonly<Record<CollectionName, readonly string[]>> = {
  [C.identifiers]: ["profile"],
  [C.links]: ["ident"],
  [C.profiles]: ["block"],
  [C.aliases]: ["target"],
  [C.decisions]: ["ident"],
  [C.suppressions]: [],
  [REVOCATIONS]: ["ident"],
  [REVIEWS]: ["ident", "status", "decision"],
  [IDEMPOTENCY_KEYS]: ["ident"],
  [PROFILE_COUNTS]: [],
  [CC.interactions]: [],
  [CC.evidence]: ["owner", "msgid", "ref"],
  [CC.conversations]: ["profile"],
  [CC.aliases]: ["target"],
  [CC.decisions]: ["owner"],
  [CC.state]: [],
  [CC.keys]: ["profile"],
  [CC.timeline]: ["conversation", "profile"],
  [OC.offers]: [],
  [OC.presentations]: ["owner", "offer"],
  [OC.consents]: ["owner"],
};

/**
 * Where the store's suppression key lives: in the identifiers collection, under a key no
 * identifier can have (identifier keys start with a letter), so that `observe` reads it with the
 * identifiers, in the same call.
 */
export const SECRET_DOC = "~suppression-key";

// ---------------------------------------------------------------------------------------------
// Stored documents.

/** Stored per identifier, keyed by its normalised key (`type:value`). */
export interface IdentifierDoc {
  key: string;
  type: string;
  value: string;
  /**
   * The member group it is filed under in the `profile` index: its profile's id, or the id of a
   * larger profile that profile absorbed (merges rewrite the smaller side only). Read the profile
   * with {@link profilesOfGroups}; list a profile's identifiers with {@link membersOf}.
   */
  group: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** Distinct co-occurring identifiers per other type, capped just above the auto-block threshold. */
  seenWith: Readonly<Record<string, readonly string[]>>;
  autoBlocked?: true;
}

/**
 * Stored per profile: derived state, summaries only. Its identifiers are the identifier docs
 * filed under `group` in the identifier index, never a list in this document.
 */
export interface ProfileDoc {
  id: string;
  anchor: string;
  /** The member group of its identifiers (its own id unless it absorbed a larger profile). */
  group: string;
  /** Identifiers per type (the resolver's limits need them). */
  counts: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  /** Largest `lastSeen|linkId` of any link naming one of its identifiers (see `ProfileNode.maxOrder`). */
  maxOrder: string;
  /** Operator separations its identifiers take part in: decision id -> side. */
  separations: Record<string, number>;
  traits: Record<string, Scalar>;
  provenance: Record<string, TraitObservation>;
  /**
   * Set when no link naming one of its identifiers was ever refused, none is auto-blocked and no
   * operator separation applies: late evidence about it is then applied in bulk (see
   * `applyObservations`). Absent means unknown, and late evidence reloads the whole cluster.
   */
  clean?: true;
}

/** Stored per absorbed profile id: where it went, and the anchor it had (to re-point it later). */
export interface AliasDoc {
  target: string;
  anchor?: string;
}

/**
 * An interaction's place in its customer's history. The key orders entries by time, then id, so
 * `find(..., { reverse, after, limit })` on either index pages through time.
 */
export interface TimelineEntry {
  id: string;
  at: string;
  conversationId: string;
  /** The channel of the previous interaction of the same conversation, when it differs (a switch). */
  switchFrom?: string;
}

/** The key of an interaction's {@link TimelineEntry}: its time, then its id. */
export function timelineKey(at: string, id: string): string {
  return `${at}|${id}`;
}

/** Stored per interaction: what stitching needs, as recorded. */
export interface InteractionEvidence {
  id: string;
  channel: string;
  direction: "inbound" | "outbound";
  at: string;
  /** The identifier (or profile anchor) whose profile owns the interaction. */
  ownerKey: string;
  continuesVia?: string;
  messageId?: string;
  refs?: string[];
  threadKey?: string;
  caseRef?: string;
  subject?: string;
  tags: string[];
  /** Digest of the recorded content (without the customer); absent in stores written before it. */
  digest?: string;
}

/**
 * The stitcher's lookup state of one profile after its latest interaction, so that an
 * interaction later than everything known is stitched without reloading the whole history.
 */
export interface StitchState {
  lastAt: string;
  lastId: string;
  lastDecisionAt: string;
  /**
   * Stores written before stitch keys kept every thread key and case reference of the profile
   * here, which grew with its history. A state that still has them is re-stitched once by the
   * next record, which writes it without them and the keys apart ({@link CC.keys}).
   */
  threads?: unknown;
  cases?: unknown;
  /**
   * The open conversations a later interaction can still join by the time window (last
   * interaction within the window of the latest one), by id; older open ones are left out.
   */
  open: Array<{ id: string; lastAt: string; subjectKey?: string }>;
}

/** What a thread key or case reference of a profile leads to: see {@link CC.keys}. */
export interface StitchKeyDoc {
  profileId: string;
  conversationId: string;
}

/** A thread key (of a channel) or a case reference, as the stitcher looks it up. */
export type StitchLookup = { thread: string; channel: string } | { caseRef: string };

/**
 * The key of a profile's {@link StitchKeyDoc}: a hash, because thread keys and case references
 * are any text (PostgreSQL keys cannot hold U+0000, and an index key has a size limit).
 */
export function stitchKeyId(profileId: string, lookup: StitchLookup): string {
  return "caseRef" in lookup
    ? stableId("skey", profileId, "case", lookup.caseRef)
    : stableId("skey", profileId, "thread", lookup.channel, lookup.thread);
}

/**
 * Stored per conversation: derived state, as summaries only. The interactions themselves are
 * found through the timeline index ({@link CC.timeline}), never listed here, so appending one
 * rewrites a document of constant size.
 */
export interface ConversationDoc extends Omit<Conversation, "interactionIds" | "interactionCount"> {
  interactionCount: number;
  firstInteractionId: string;
  lastInteractionId: string;
  /** The channel of its latest interaction. */
  lastChannel: string;
  /** The first inbound interaction since the latest outbound one: the one awaiting a reply. */
  unanswered?: { id: string; at: string; channel: string };
  tagsSince: Record<string, string>;
  absorbed: string[];
  /** Lower-cased base subject of its first interaction with one: topic compatibility. */
  subjectKey?: string;
}

/** Stored per conversation decision (an operator's resolve or merge), indexed by the owners it concerns. */
export interface ConversationDecisionDoc {
  decision: StitchDecision;
  owners: string[];
}

/** Stored per offer: every version, in the order they were recorded. */
export interface OfferDoc {
  id: string;
  versions: OfferVersion[];
}

/** A stored presentation; `digest` (of its content, for conflicts on `externalId`) is absent in older stores. */
export type StoredPresentation = Presentation & { ownerKey: string; digest?: string };

/** A stored consent: the public shape, filed under the identifier that owns it. */
export type StoredConsent = Consent & { ownerKey: string };

/** A review item as stored. */
export interface ReviewDoc extends ReviewCandidate {
  status: ReviewStatus;
  decision?: { reason: string; by?: string; at: string; decisionId?: string };
}

/** A revoked decision: what it was, and who withdrew it when and why. */
export interface RevocationDoc {
  decisionId: string;
  kind: DecisionKind;
  /** The identifiers the decision named; for an auto-merge, the pair that is not auto-merged again. */
  keys: string[];
  at: string;
  reason: string;
  by?: string;
}

/** A stored idempotency key: the item's kind and id, the digest of its content and its result. */
export interface KeyDoc {
  kind: string;
  id: string;
  digest: string;
  result: JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Owner resolution: which profile a stored thing belongs to now.

/** Follows aliases to the current id of a profile; `null` when unknown. */
export async function resolveProfileId(tx: StorageTransaction, id: string): Promise<string | null> {
  return (await followAliases<ProfileDoc>(tx, C.profiles, C.aliases, id))?.id ?? null;
}

/**
 * The current profiles of member groups: group -> profile document. A group is a live profile's
 * id or an id it absorbed (an alias); absent when unknown. One read in the common case.
 */
export async function profilesOfGroups(
  tx: StorageTransaction,
  groups: Iterable<string>,
): Promise<Map<string, ProfileDoc>> {
  const ids = unique([...groups].filter((g) => g !== ""));
  const out = new Map<string, ProfileDoc>();
  if (ids.length === 0) return out;
  const direct = await tx.getMany<ProfileDoc>(C.profiles, ids);
  const missing: string[] = [];
  for (const g of ids) {
    const doc = direct.get(g);
    if (doc) out.set(g, doc);
    else missing.push(g);
  }
  if (missing.length === 0) return out;
  const aliases = await tx.getMany<AliasDoc>(C.aliases, missing);
  const targets = unique([...aliases.values()].map((a) => a.target));
  const docs = targets.length > 0 ? await tx.getMany<ProfileDoc>(C.profiles, targets) : new Map<string, ProfileDoc>();
  for (const g of missing) {
    const alias = aliases.get(g);
    const doc =
      (alias ? docs.get(alias.target) : undefined) ??
      (await followAliases<ProfileDoc>(tx, C.profiles, C.aliases, g))?.doc;
    if (doc) out.set(g, doc);
  }
  return out;
}

/** The current profile id of each identifier doc: key -> profile id (absent when it has none). */
export async function profileIdsOf(
  tx: StorageTransaction,
  docs: Iterable<IdentifierDoc>,
): Promise<Map<string, string>> {
  const list = [...docs];
  const owners = await profilesOfGroups(
    tx,
    list.map((d) => d.group),
  );
  const out = new Map<string, string>();
  for (const d of list) {
    const owner = owners.get(d.group);
    if (owner) out.set(d.key, owner.id);
  }
  return out;
}

/**
 * The current profile id of each identifier key that names a stored identifier: key -> profile
 * id (absent when unknown or without a profile). Owner keys (`ownerKey` of evidence, presentations
 * and consents) are identifier keys, so this is how stored evidence finds its customer.
 */
export async function profileIdsOfKeys(tx: StorageTransaction, keys: readonly string[]): Promise<Map<string, string>> {
  const docs = await tx.getMany<IdentifierDoc>(C.identifiers, keys);
  return profileIdsOf(tx, docs.values());
}

/**
 * The owner of `{ profileId }`: its current id (after merges) and the anchor its evidence is
 * filed under. Throws `not_found` when the id is unknown. With `lock`, the profile is locked
 * before its document is read (a write that files evidence under it).
 */
export async function ownerOfProfile(
  tx: StorageTransaction,
  profileId: string,
  options: { lock?: boolean } = {},
): Promise<{ profileId: string; ownerKey: string }> {
  const id = await resolveProfileId(tx, profileId);
  if (!id) throw new NotFoundError("profile", profileId);
  if (options.lock) await tx.lock([`profile:${id}`]);
  const profile = (await tx.get<ProfileDoc>(C.profiles, id)) as ProfileDoc;
  return { profileId: id, ownerKey: profile.anchor };
}

/**
 * The identifier keys of a profile, sorted. Every part of the shell asks this function, never
 * the profile document: membership lives in the identifier index (`profile` -> member group).
 */
export async function membersOf(tx: StorageTransaction, profile: ProfileDoc): Promise<string[]> {
  return (await tx.find(C.identifiers, "profile", profile.group)).map((d) => d.key);
}

/** The identifier docs of a profile, in key order. */
export async function memberDocsOf(tx: StorageTransaction, profile: ProfileDoc): Promise<IdentifierDoc[]> {
  return (await tx.find<IdentifierDoc>(C.identifiers, "profile", profile.group)).map((d) => d.value);
}

/** A stored identifier in its public shape (a profile's, a snapshot's). */
export function publicIdentifier(doc: IdentifierDoc): ProfileIdentifier {
  return { type: doc.type, value: doc.value, firstSeen: doc.firstSeen, lastSeen: doc.lastSeen, count: doc.count };
}

/**
 * Erasure by index: deletes every document of `collection` whose `index` entry is one of
 * `values` (two calls whatever their number) and returns the deleted keys.
 */
export async function deleteIndexed(
  tx: StorageTransaction,
  collection: CollectionName,
  index: string,
  values: readonly string[],
): Promise<string[]> {
  if (values.length === 0) return [];
  const keys = (await batchOf(tx).findMany(collection, index, values)).map((d) => d.key);
  if (keys.length > 0) await batchOf(tx).deleteMany(collection, keys);
  return keys;
}
