/**
 * The conversation part of the shell: idempotent recording, re-stitching a customer's
 * conversations from evidence, and the agent's snapshot.
 */
import { add, type Duration as DateFnsDuration } from "date-fns";
import type { z } from "zod";
import { compareStrings, stableId } from "../_lib/hash.js";
import { maxString } from "../_lib/strings.js";
import { within } from "../conversations/_lib/within.js";
import { baseSubject } from "../conversations/baseSubject.js";
import type { CompiledConversationOptions } from "../conversations/compileConversationOptions.js";
import { findCaseRef } from "../conversations/findCaseRef.js";
import { interactionIdFor } from "../conversations/interactionIdFor.js";
import { normalizeMessageId, referencedIds } from "../conversations/messageId.js";
import {
  conversationIdFor,
  type StitchDecision,
  type StitchedConversation,
  type StitchInteraction,
  stitchConversations,
} from "../conversations/stitchConversations.js";
import { type StitchState as CoreStitchState, type StitchCandidate, stitchStep } from "../conversations/stitchStep.js";
import { ConflictError, InvalidInputError, NotFoundError, RefusedError } from "../errors.js";
import type { CompiledIdentityOptions } from "../identity/compileIdentityOptions.js";
import type { InteractionInput } from "../schema/inputs.js";
import type {
  Alert,
  ChannelSwitch,
  Conversation,
  CustomerContextEvent,
  CustomerSnapshot,
  Interaction,
  Presentation,
} from "../schema/outputs.js";
import { type Customer, type Identifier, toIso } from "../schema/primitives.js";
import { batchOf, type PutEntry, type RangeOptions, type StoredDocument } from "../storage/port.js";
import { followAliases } from "./_lib/followAliases.js";
import {
  CC,
  type ConversationDecisionDoc,
  type ConversationDoc,
  deleteIndexed,
  C as IC,
  type IdentifierDoc,
  type InteractionEvidence,
  membersOf,
  ownerOfProfile,
  type ProfileDoc,
  profileIdsOfKeys,
  publicIdentifier,
  resolveProfileId,
  type StitchKeyDoc,
  type StitchLookup,
  type StitchState,
  stitchKeyId,
  type TimelineEntry,
  timelineKey,
} from "./_lib/schema.js";
import { unique } from "./_lib/unique.js";
import { contentDigest } from "./digest.js";
import {
  assertUsable,
  type IdentityEnv,
  normalizeObservation,
  type ObserveInput,
  type ObserveResult,
  observe,
  observeMany,
  type PartitionChange,
} from "./identity.js";
import type { WriteBuffer } from "./writeBuffer.js";

// Defined in the core; re-exported for the modules that read it from here.
export type { CompiledConversationOptions } from "../conversations/compileConversationOptions.js";

/** The environment shell functions run in. */
export interface ConversationEnv extends IdentityEnv {
  now: () => string;
  conversations: CompiledConversationOptions;
}

/** A validated interaction with everything that can be computed before the transaction. */
export interface PreparedInteraction {
  input: z.output<typeof InteractionInput>;
  at: string;
  id: string;
  customer: { identifiers: Array<Identifier & { key: string }> } | { profileId: string };
  refused: ReturnType<typeof normalizeObservation>["refused"];
  messageId?: string;
  refs: string[];
  caseRef?: string;
  subject?: string;
  /** Digest of the content without the customer, for conflicts on externalId / Message-ID. */
  digest: string;
}

/** Validates and normalises an interaction outside the transaction. */
export function prepareInteraction(
  input: z.output<typeof InteractionInput>,
  identity: CompiledIdentityOptions,
  options: CompiledConversationOptions,
): PreparedInteraction {
  const at = toIso(input.at);
  let customer: PreparedInteraction["customer"];
  let refused: PreparedInteraction["refused"] = [];
  if (Array.isArray(input.customer)) {
    const normalized = normalizeObservation(input.customer, identity);
    assertUsable(normalized);
    customer = { identifiers: normalized.identifiers };
    refused = normalized.refused;
  } else {
    customer = { profileId: input.customer.profileId };
  }
  const messageId = input.email ? (normalizeMessageId(input.email.messageId) ?? undefined) : undefined;
  if (input.email && messageId === undefined) {
    throw new RefusedError(`email.messageId "${input.email.messageId}" is not a valid Message-ID`, {
      path: ["email", "messageId"],
    });
  }
  const refs = input.email ? referencedIds(input.email) : [];
  const explicitCase = input.caseRef?.trim();
  const found =
    explicitCase ||
    (input.subject ? findCaseRef(input.subject, options.caseRefPattern) : null) ||
    (input.text ? findCaseRef(input.text, options.caseRefPattern) : null);
  const subject =
    input.subject === undefined
      ? undefined
      : baseSubject(input.subject, options.subjectPrefixes ? { subjectPrefixes: options.subjectPrefixes } : undefined);
  const id =
    input.externalId !== undefined
      ? interactionIdFor({ channel: input.channel, externalId: input.externalId })
      : messageId !== undefined
        ? interactionIdFor({ messageId })
        : stableId(
            "int",
            input.channel,
            input.direction,
            at,
            JSON.stringify(customer),
            input.subject ?? "",
            input.text ?? "",
            input.threadKey ?? "",
          );
  // The keys themselves (externalId, Message-ID) and the customer are compared apart.
  const { customer: _customer, externalId: _externalId, ...content } = input;
  const digest = contentDigest("record", {
    ...content,
    at,
    ...(input.email ? { email: { ...input.email, messageId } } : {}),
  });
  const prepared: PreparedInteraction = { input, at, id, customer, refused, refs, digest };
  if (messageId !== undefined) prepared.messageId = messageId;
  if (found) prepared.caseRef = found;
  if (subject !== undefined) prepared.subject = subject;
  return prepared;
}

/**
 * Resolves a `customer` field inside the transaction, observing the identifiers it names.
 * `ownerKey` is the identifier the evidence is filed under: the observation's anchor, or the
 * profile's anchor for `{ profileId }`.
 */
export async function resolveCustomerInTx(
  env: ConversationEnv,
  customer: Customer,
  at: string,
): Promise<{ profileId: string; ownerKey: string }> {
  if (!Array.isArray(customer)) return ownerOfProfile(env.tx, customer.profileId);
  const normalized = normalizeObservation(customer, env.options);
  assertUsable(normalized);
  const result = await observe(env, { identifiers: normalized.identifiers, at });
  await restitchAfter(env, result.change);
  return { profileId: result.profileId, ownerKey: result.anchor };
}

/**
 * The current profiles a `customer` field names, without observing anything: the profiles of its
 * known identifiers, or the profile an id resolves to. Empty for a customer never seen.
 */
export async function profilesOfCustomer(
  env: ConversationEnv,
  customer: PreparedInteraction["customer"],
): Promise<Set<string>> {
  if ("profileId" in customer) {
    const id = await resolveProfileId(env.tx, customer.profileId);
    return new Set(id ? [id] : []);
  }
  const owners = await profileIdsOfKeys(
    env.tx,
    customer.identifiers.map((i) => i.key),
  );
  return new Set(owners.values());
}

/** Records an interaction (idempotently) and stitches it into its customer's conversations. */
export async function recordInteraction(
  env: ConversationEnv,
  p: PreparedInteraction,
): Promise<{ interactionId: string; conversationId: string; profileId: string; duplicate: boolean }> {
  const { tx } = env;
  let existing = await tx.get<Interaction>(CC.interactions, p.id);
  if (!existing && p.messageId !== undefined) {
    const [same] = await tx.find<InteractionEvidence>(CC.evidence, "msgid", p.messageId, { limit: 1 });
    if (same) existing = await tx.get<Interaction>(CC.interactions, same.key);
  }
  if (existing) {
    const profileId = (await resolveProfileId(tx, existing.profileId)) ?? existing.profileId;
    // A key the caller chose (externalId, Message-ID) names one interaction: the same key with
    // other content, or for another customer, is a conflict, never a silent duplicate.
    if (p.input.externalId !== undefined || p.messageId !== undefined) {
      const stored = await tx.get<InteractionEvidence>(CC.evidence, existing.id);
      const sameContent = stored?.digest === undefined || stored.digest === p.digest;
      const sameCustomer = (await profilesOfCustomer(env, p.customer)).has(profileId);
      if (!sameContent || !sameCustomer) {
        const key =
          p.input.externalId !== undefined
            ? `externalId "${p.input.externalId}" in channel ${p.input.channel}`
            : `Message-ID <${p.messageId}>`;
        throw new ConflictError(
          `Interaction ${existing.id} already has ${key}${sameCustomer ? " with other content" : " and belongs to another customer"}`,
          {
            existing: { interactionId: existing.id, profileId },
            reason: sameCustomer ? "content" : "customer",
            ...(p.input.externalId !== undefined
              ? { channel: p.input.channel, externalId: p.input.externalId }
              : { messageId: p.messageId }),
          },
        );
      }
    }
    return { interactionId: existing.id, conversationId: existing.conversationId, profileId, duplicate: true };
  }

  let profileId: string;
  let ownerKey: string;
  if ("identifiers" in p.customer) {
    const result = await observe(env, { identifiers: p.customer.identifiers, at: p.at, channel: p.input.channel });
    await restitchAfter(env, result.change);
    profileId = result.profileId;
    ownerKey = result.anchor;
  } else {
    ({ profileId, ownerKey } = await ownerOfProfile(tx, p.customer.profileId, { lock: true }));
  }
  return recordNew(env, p, profileId, ownerKey, txStitchStore(tx));
}

/**
 * Records a new interaction of a customer already resolved (`profileId`, filed under
 * `ownerKey`) and stitches it, reading and writing stitch states and conversations through
 * `store`. What {@link recordInteraction} and {@link recordMany} do after identity.
 */
async function recordNew(
  env: ConversationEnv,
  p: PreparedInteraction,
  profileId: string,
  ownerKey: string,
  store: StitchStore,
): Promise<{ interactionId: string; conversationId: string; profileId: string; duplicate: boolean }> {
  const { tx } = env;
  let continuesVia: string | undefined;
  if (p.input.continues !== undefined) {
    // Aliases and conversations are read from the transaction: it must hold what the store holds.
    await store.flush();
    const target = await getConversationDoc(tx, p.input.continues);
    if (!target) throw new NotFoundError("conversation", p.input.continues);
    continuesVia = target.firstInteractionId;
  }
  const input = p.input;
  const evidence: InteractionEvidence = {
    id: p.id,
    channel: input.channel,
    direction: input.direction,
    at: p.at,
    ownerKey,
    tags: [...new Set(input.tags ?? [])].sort(compareStrings),
    digest: p.digest,
  };
  if (continuesVia !== undefined) evidence.continuesVia = continuesVia;
  if (p.messageId !== undefined) evidence.messageId = p.messageId;
  if (p.refs.length > 0) evidence.refs = p.refs;
  if (input.threadKey !== undefined) evidence.threadKey = input.threadKey;
  if (p.caseRef !== undefined) evidence.caseRef = p.caseRef;
  if (input.subject !== undefined) evidence.subject = input.subject;
  const index: Record<string, string | string[]> = { owner: ownerKey };
  if (p.messageId !== undefined) index.msgid = p.messageId;
  if (p.refs.length > 0) index.ref = p.refs;
  await tx.put(CC.evidence, evidence.id, evidence, { index });

  const publicDoc: Interaction = {
    id: p.id,
    profileId,
    conversationId: "",
    channel: input.channel,
    direction: input.direction,
    at: p.at,
    identifiers: "identifiers" in p.customer ? p.customer.identifiers.map(({ type, value }) => ({ type, value })) : [],
    tags: evidence.tags,
  };
  if (input.externalId !== undefined) publicDoc.externalId = input.externalId;
  if (input.threadKey !== undefined) publicDoc.threadKey = input.threadKey;
  if (p.caseRef !== undefined) publicDoc.caseRef = p.caseRef;
  if (input.continues !== undefined) publicDoc.continues = input.continues;
  if (input.subject !== undefined) publicDoc.subject = input.subject;
  if (input.text !== undefined) publicDoc.text = input.text;
  if (input.agent !== undefined) publicDoc.agent = input.agent;
  if (input.email !== undefined) {
    publicDoc.email = { messageId: input.email.messageId };
    if (input.email.inReplyTo !== undefined) publicDoc.email.inReplyTo = input.email.inReplyTo;
    if (input.email.references !== undefined) publicDoc.email.references = input.email.references;
  }
  if (input.metadata !== undefined) publicDoc.metadata = input.metadata;

  let conversationId = await stitchIncrementally(env, profileId, evidence, publicDoc, store);
  if (conversationId === null) {
    // The full re-stitch reads and rewrites the profile's documents in the transaction.
    await store.flush();
    store.forget();
    await restitchProfile(env, profileId, [], publicDoc);
    conversationId = await conversationOfInteraction(tx, p.id);
  }
  env.events.push({ type: "interaction.recorded", interactionId: p.id, conversationId, profileId, at: p.at });
  return { interactionId: p.id, conversationId, profileId, duplicate: false };
}

/**
 * Where the incremental stitch reads and writes stitch states and conversation documents: the
 * transaction itself (one record), or a run's cache over it ({@link recordMany}), which reads
 * each document once and writes each one once, at the end of the run.
 */
interface StitchStore {
  state(profileId: string): Promise<StitchState | null>;
  /** The conversations thread keys and case references of the profile lead to (undefined: none). */
  keys(profileId: string, lookups: readonly StitchLookup[]): Promise<Array<string | undefined>>;
  conversation(id: string): Promise<ConversationDoc | undefined>;
  putConversation(doc: ConversationDoc, profileId: string): Promise<void>;
  putState(profileId: string, state: StitchState): Promise<void>;
  /** Points thread keys and case references of the profile at a conversation. */
  putKeys(profileId: string, lookups: readonly StitchLookup[], conversationId: string): Promise<void>;
  /** Writes what is pending to the transaction; what is cached stays valid. */
  flush(): Promise<void>;
  /** Drops the cache, after something else rewrote documents in the transaction. */
  forget(): void;
}

/** The transaction as a {@link StitchStore}: every read and write goes to it. */
function txStitchStore(tx: ConversationEnv["tx"]): StitchStore {
  return {
    state: (profileId) => tx.get<StitchState>(CC.state, profileId),
    keys: async (profileId, lookups) => {
      if (lookups.length === 0) return [];
      const ids = lookups.map((l) => stitchKeyId(profileId, l));
      const docs = await tx.getMany<StitchKeyDoc>(CC.keys, ids);
      return ids.map((id) => docs.get(id)?.conversationId);
    },
    conversation: async (id) => (await tx.get<ConversationDoc>(CC.conversations, id)) ?? undefined,
    putConversation: (doc, profileId) => tx.put(CC.conversations, doc.id, doc, { index: { profile: profileId } }),
    putState: (profileId, state) => tx.put(CC.state, profileId, state),
    putKeys: async (profileId, lookups, conversationId) => {
      if (lookups.length === 0) return;
      const value: StitchKeyDoc = { profileId, conversationId };
      await batchOf(tx).putMany(
        CC.keys,
        lookups.map((l) => ({ key: stitchKeyId(profileId, l), value, index: { profile: profileId } })),
      );
    },
    flush: async () => {},
    forget: () => {},
  };
}

/**
 * A run's {@link StitchStore}: stitch states, stitch keys and conversations are read once (in
 * bulk by {@link RunStitchStore.preload}, else on a miss), kept while the run stitches, and
 * written once per document with one `putMany` per collection.
 */
class RunStitchStore implements StitchStore {
  readonly #tx: ConversationEnv["tx"];
  readonly #states = new Map<string, StitchState | null>();
  /** Stitch key id -> its conversation (undefined: none stored). */
  readonly #keys = new Map<string, string | undefined>();
  readonly #conversations = new Map<string, ConversationDoc | undefined>();
  readonly #dirtyStates = new Set<string>();
  readonly #dirtyKeys = new Map<string, StitchKeyDoc>();
  readonly #dirtyConversations = new Map<string, string>();

  constructor(tx: ConversationEnv["tx"]) {
    this.#tx = tx;
  }

  /**
   * Reads the stitch states of `profileIds` and the stitch keys of `lookups`, then the
   * conversations those lead to: the states' open ones and the keys' ones.
   */
  async preload(
    profileIds: readonly string[],
    lookups: ReadonlyArray<{ profileId: string; lookup: StitchLookup }>,
  ): Promise<void> {
    const ids = unique(profileIds.filter((id) => !this.#states.has(id)));
    const keyIds = unique(lookups.map((l) => stitchKeyId(l.profileId, l.lookup)).filter((k) => !this.#keys.has(k)));
    const conversationIds = new Set<string>();
    const want = (id: string) => {
      if (!this.#conversations.has(id)) conversationIds.add(id);
    };
    if (ids.length > 0) {
      const states = await this.#tx.getMany<StitchState>(CC.state, ids);
      for (const id of ids) {
        const state = states.get(id) ?? null;
        this.#states.set(id, state);
        for (const o of state?.open ?? []) want(o.id);
      }
    }
    if (keyIds.length > 0) {
      const keys = await this.#tx.getMany<StitchKeyDoc>(CC.keys, keyIds);
      for (const k of keyIds) {
        const conversationId = keys.get(k)?.conversationId;
        this.#keys.set(k, conversationId);
        if (conversationId !== undefined) want(conversationId);
      }
    }
    if (conversationIds.size === 0) return;
    const docs = await this.#tx.getMany<ConversationDoc>(CC.conversations, [...conversationIds]);
    for (const id of conversationIds) this.#conversations.set(id, docs.get(id));
  }

  async state(profileId: string): Promise<StitchState | null> {
    if (!this.#states.has(profileId)) this.#states.set(profileId, await this.#tx.get<StitchState>(CC.state, profileId));
    return this.#states.get(profileId) ?? null;
  }

  async keys(profileId: string, lookups: readonly StitchLookup[]): Promise<Array<string | undefined>> {
    const ids = lookups.map((l) => stitchKeyId(profileId, l));
    const missing = ids.filter((id) => !this.#keys.has(id));
    if (missing.length > 0) {
      const docs = await this.#tx.getMany<StitchKeyDoc>(CC.keys, missing);
      for (const id of missing) this.#keys.set(id, docs.get(id)?.conversationId);
    }
    return ids.map((id) => this.#keys.get(id));
  }

  async putKeys(profileId: string, lookups: readonly StitchLookup[], conversationId: string): Promise<void> {
    for (const l of lookups) {
      const id = stitchKeyId(profileId, l);
      this.#keys.set(id, conversationId);
      this.#dirtyKeys.set(id, { profileId, conversationId });
    }
  }

  async conversation(id: string): Promise<ConversationDoc | undefined> {
    if (!this.#conversations.has(id)) {
      this.#conversations.set(id, (await this.#tx.get<ConversationDoc>(CC.conversations, id)) ?? undefined);
    }
    return this.#conversations.get(id);
  }

  async putConversation(doc: ConversationDoc, profileId: string): Promise<void> {
    this.#conversations.set(doc.id, doc);
    this.#dirtyConversations.set(doc.id, profileId);
  }

  async putState(profileId: string, state: StitchState): Promise<void> {
    this.#states.set(profileId, state);
    this.#dirtyStates.add(profileId);
  }

  async flush(): Promise<void> {
    const tx = batchOf(this.#tx);
    if (this.#dirtyConversations.size > 0) {
      const entries: PutEntry<ConversationDoc>[] = [];
      for (const [id, profileId] of this.#dirtyConversations) {
        entries.push({ key: id, value: this.#conversations.get(id) as ConversationDoc, index: { profile: profileId } });
      }
      await tx.putMany(CC.conversations, entries);
      this.#dirtyConversations.clear();
    }
    if (this.#dirtyStates.size > 0) {
      await tx.putMany(
        CC.state,
        [...this.#dirtyStates].map((id) => ({ key: id, value: this.#states.get(id) as StitchState })),
      );
      this.#dirtyStates.clear();
    }
    if (this.#dirtyKeys.size > 0) {
      await tx.putMany(
        CC.keys,
        [...this.#dirtyKeys].map(([key, value]) => ({ key, value, index: { profile: value.profileId } })),
      );
      this.#dirtyKeys.clear();
    }
  }

  forget(): void {
    this.#states.clear();
    this.#keys.clear();
    this.#conversations.clear();
  }
}

/**
 * An item of a run for {@link recordMany}: an interaction to record, or an observation alone
 * (an identify item between interactions).
 */
export type RunItem = { interaction: PreparedInteraction } | { observation: ObserveInput };

/** What {@link recordMany} did with each item of the prefix it applied. */
export interface RecordedInRun {
  /** What identity did with the item's observation (of an interaction, its customer's). */
  observed: ObserveResult;
  /** For an interaction: what recording it returned. */
  result?: { interactionId: string; conversationId: string; profileId: string; duplicate: boolean };
}

/**
 * Applies a run of new interactions and observations as {@link recordInteraction} and
 * {@link observe} would one by one, with bulk reads and writes: one read of the interactions and
 * Message-IDs they name, one bulk observation of their customers and identifiers
 * ({@link observeMany}), one read of the stitch states and conversations they continue, and each
 * of those written once at the end. Returns what it did with the prefix it applied: it stops
 * before an interaction already stored or repeated in the run (a duplicate or a conflict), a
 * customer given by profile id, an observation the bulk resolver does not take (late identity
 * evidence that is not a plain union, or one that auto-blocks an identifier) and one that merges
 * profiles (which re-stitches), so that the caller applies those one by one.
 */
export async function recordMany(
  env: ConversationEnv & { buffer: WriteBuffer },
  items: readonly RunItem[],
): Promise<RecordedInRun[]> {
  const { tx } = env;
  const interactions = items.flatMap((item) => ("interaction" in item ? [item.interaction] : []));
  const stored = await tx.getMany<Interaction>(CC.interactions, unique(interactions.map((p) => p.id)));
  const messageIds = unique(interactions.flatMap((p) => (p.messageId === undefined ? [] : [p.messageId])));
  const seenMessageIds = new Set<string>();
  if (messageIds.length > 0) {
    for (const { value } of await batchOf(tx).findMany<InteractionEvidence>(CC.evidence, "msgid", messageIds)) {
      if (value.messageId !== undefined) seenMessageIds.add(value.messageId);
    }
  }
  // Each item with the observation identity applies for it.
  let run: Array<{ interaction?: PreparedInteraction; observation: ObserveInput }> = [];
  const seenIds = new Set<string>();
  for (const item of items) {
    if ("observation" in item) {
      run.push(item);
      continue;
    }
    const p = item.interaction;
    if (!("identifiers" in p.customer) || stored.has(p.id) || seenIds.has(p.id)) break;
    if (p.messageId !== undefined && seenMessageIds.has(p.messageId)) break;
    seenIds.add(p.id);
    if (p.messageId !== undefined) seenMessageIds.add(p.messageId);
    run.push({
      interaction: p,
      observation: { identifiers: p.customer.identifiers, at: p.at, channel: p.input.channel },
    });
  }

  // Identity, in bulk. Its events go out with their item, as one by one: they are told apart by
  // time, so a run keeps one item per time that has identity events.
  let results: ObserveResult[] = [];
  let events: CustomerContextEvent[] = [];
  while (run.length > 0) {
    const mark = env.buffer.mark();
    const before = env.events.length;
    results = await observeMany(
      env,
      run.map((r) => r.observation),
    );
    events = env.events.splice(before);
    const cut = identityCut(
      run.map((r) => r.observation.at),
      results,
      events,
    );
    if (cut === results.length) break;
    env.buffer.rollbackTo(mark);
    results = [];
    run = run.slice(0, cut);
  }
  if (results.length === 0) return [];
  run = run.slice(0, results.length);
  const firstAt = new Map<string, number>();
  for (const [i, r] of run.entries()) if (!firstAt.has(r.observation.at)) firstAt.set(r.observation.at, i);
  const eventsOf = run.map((): CustomerContextEvent[] => []);
  for (const e of events) eventsOf[firstAt.get(e.at) as number]?.push(e);

  const store = new RunStitchStore(tx);
  await store.preload(
    results.map((r) => r.profileId),
    run.flatMap(({ interaction: p }, i) => {
      if (p === undefined) return [];
      const { thread, caseRef } = lookupsOf({
        channel: p.input.channel,
        threadKey: p.input.threadKey,
        caseRef: p.caseRef,
      });
      const profileId = (results[i] as ObserveResult).profileId;
      return [thread, caseRef].flatMap((lookup) => (lookup ? [{ profileId, lookup }] : []));
    }),
  );
  const out: RecordedInRun[] = [];
  for (const [i, { interaction: p }] of run.entries()) {
    const observed = results[i] as ObserveResult;
    env.events.push(...(eventsOf[i] as CustomerContextEvent[]));
    out.push(
      p === undefined
        ? { observed }
        : { observed, result: await recordNew(env, p, observed.profileId, observed.anchor, store) },
    );
  }
  await store.flush();
  return out;
}

/**
 * How many of a run's observations {@link recordMany} keeps: those before the first that merges
 * profiles, and before the second item of a time that has identity events.
 */
function identityCut(
  times: readonly string[],
  results: readonly ObserveResult[],
  events: readonly CustomerContextEvent[],
): number {
  let cut = results.length;
  const merging = results.findIndex((r) => r.change.touched.size > 0);
  if (merging >= 0) cut = merging;
  const seen = new Set<string>();
  const second = new Map<string, number>();
  for (let i = 0; i < results.length; i++) {
    const at = times[i] as string;
    if (seen.has(at)) {
      if (!second.has(at)) second.set(at, i);
    } else seen.add(at);
  }
  for (const e of events) {
    const i = second.get(e.at);
    if (i !== undefined && i < cut) cut = i;
  }
  return cut;
}

/** The stitch key lookups of an interaction: its thread key (on its channel) and its case reference. */
function lookupsOf(x: { channel: string; threadKey?: string | undefined; caseRef?: string | undefined }): {
  thread?: StitchLookup;
  caseRef?: StitchLookup;
} {
  return {
    ...(x.threadKey === undefined ? {} : { thread: { thread: x.threadKey, channel: x.channel } }),
    ...(x.caseRef === undefined ? {} : { caseRef: { caseRef: x.caseRef } }),
  };
}

/**
 * Stitches an interaction that is later than everything known about its customer, from the
 * stored stitch state, exactly as a full re-stitch would. Returns `null` (and does nothing) when
 * the interaction is not the latest evidence, so the caller re-stitches from scratch.
 */
async function stitchIncrementally(
  env: ConversationEnv,
  profileId: string,
  x: InteractionEvidence,
  publicDoc: Interaction,
  store: StitchStore,
): Promise<string | null> {
  const { tx } = env;
  const state: StitchState = (await store.state(profileId)) ?? { lastAt: "", lastId: "", lastDecisionAt: "", open: [] };
  // A state written before stitch keys: the re-stitch writes it anew, and the keys.
  if (state.threads !== undefined || state.cases !== undefined) return null;
  const later =
    compareStrings(x.at, state.lastAt) > 0 || (x.at === state.lastAt && compareStrings(x.id, state.lastId) > 0);
  if (!later || compareStrings(x.at, state.lastDecisionAt) <= 0) return null;
  // Whether an owner key is this profile's: resolved for the candidates' owner keys only (never
  // by listing the profile's members, which would make a record cost grow with the customer).
  const ownerOfKey = new Map<string, boolean>();
  const ownedHere = async (docs: readonly StoredDocument<InteractionEvidence>[]) => {
    const unknown = unique(docs.map((d) => d.value.ownerKey).filter((k) => !ownerOfKey.has(k)));
    if (unknown.length > 0) {
      const owners = await profileIdsOfKeys(tx, unknown);
      for (const k of unknown) ownerOfKey.set(k, owners.get(k) === profileId);
    }
    return docs.filter((d) => d.key !== x.id && ownerOfKey.get(d.value.ownerKey) === true);
  };
  const convOf = async (interactionId: string): Promise<string | undefined> => {
    const doc = await tx.get<Interaction>(CC.interactions, interactionId);
    return doc && doc.profileId === profileId ? doc.conversationId : undefined;
  };

  // Rules 1-6 live in the core (stitchStep): load the conversations the links point at, and decide.
  // Each conversation is read once, whichever rules name it.
  const loaded = new Map<string, ConversationDoc | undefined>();
  const candidate = async (id: string | undefined): Promise<ConversationDoc | undefined> => {
    if (id === undefined) return undefined;
    if (!loaded.has(id)) loaded.set(id, await store.conversation(id));
    return loaded.get(id);
  };
  const stitchState: CoreStitchState = { open: state.open.map((o) => ({ ...o, status: "open" as const })) };
  if (x.continuesVia !== undefined) {
    const c = await candidate(await convOf(x.continuesVia));
    if (c) stitchState.continues = toCandidate(c);
  }
  for (const ref of [...(x.messageId === undefined ? [] : [x.messageId]), ...(x.refs ?? [])]) {
    const owners = await ownedHere(await tx.find<InteractionEvidence>(CC.evidence, "msgid", ref));
    const referrers =
      owners.length > 0 ? owners : await ownedHere(await tx.find<InteractionEvidence>(CC.evidence, "ref", ref));
    const earliest = referrers.sort(
      (a, b) => compareStrings(a.value.at, b.value.at) || compareStrings(a.key, b.key),
    )[0];
    const c = earliest ? await candidate(await convOf(earliest.key)) : undefined;
    if (c) {
      stitchState.emailThread = toCandidate(c);
      break;
    }
  }
  const { thread, caseRef } = lookupsOf(x);
  const lookups = [thread, caseRef].filter((l) => l !== undefined);
  const via = await store.keys(profileId, lookups);
  const viaThread = thread && via[0];
  const viaCase = caseRef && via[thread ? 1 : 0];
  const byThread = await candidate(viaThread);
  if (byThread) stitchState.threadKey = toCandidate(byThread);
  const byCase = await candidate(viaCase);
  if (byCase) stitchState.caseRef = toCandidate(byCase);
  const subjectKey = x.subject === undefined ? undefined : baseSubject(x.subject).toLowerCase();
  const decision = stitchStep(
    stitchState,
    { ...toStitchInput(x) },
    {
      window: env.conversations.window,
      reopenWindow: env.conversations.reopenWindow,
    },
  );
  let target: ConversationDoc | null = null;
  let previousId: string | undefined;
  if (decision.join === null) {
    previousId = decision.previousId;
  } else {
    target = (await candidate(decision.join)) ?? null;
    if (target && decision.reopen) {
      const { resolvedAt: _r, ...reopened } = target;
      target = { ...reopened, status: "open" };
    }
  }
  // Rule 6: a new conversation.
  const created = !target;
  // The conversation's summaries grow by one interaction: a document of constant size.
  const conv: ConversationDoc = target
    ? {
        ...target,
        interactionCount: target.interactionCount + 1,
        lastInteractionId: x.id,
        lastChannel: x.channel,
        channels: [...target.channels],
        tags: [...target.tags],
        tagsSince: { ...target.tagsSince },
      }
    : {
        id: conversationIdFor(x.id),
        profileId,
        status: "open",
        channels: [],
        interactionCount: 1,
        firstInteractionId: x.id,
        lastInteractionId: x.id,
        lastChannel: x.channel,
        tags: [],
        startedAt: x.at,
        lastAt: x.at,
        tagsSince: {},
        absorbed: [],
        ...(previousId !== undefined ? { previousId } : {}),
      };
  const entry: TimelineEntry = { id: x.id, at: x.at, conversationId: conv.id };
  if (target && target.lastChannel !== x.channel) entry.switchFrom = target.lastChannel;
  if (x.direction === "outbound") delete conv.unanswered;
  else conv.unanswered ??= { id: x.id, at: x.at, channel: x.channel };
  if (compareStrings(x.at, conv.lastAt) > 0) conv.lastAt = x.at;
  if (!conv.channels.includes(x.channel)) conv.channels.push(x.channel);
  for (const tag of x.tags) {
    if (!conv.tags.includes(tag)) conv.tags = [...conv.tags, tag].sort(compareStrings);
    conv.tagsSince[tag] ??= x.at;
  }
  if (conv.subject === undefined && x.subject !== undefined) conv.subject = x.subject;
  if (conv.subjectKey === undefined && subjectKey !== undefined && subjectKey !== "") conv.subjectKey = subjectKey;
  await store.putConversation(conv, profileId);
  if (created)
    env.events.push({ type: "conversation.created", conversationId: conv.id, profileId, at: conv.startedAt });

  await store.putKeys(
    profileId,
    lookups.filter((_, i) => via[i] !== conv.id),
    conv.id,
  );
  const next: StitchState = {
    lastAt: x.at,
    lastId: x.id,
    lastDecisionAt: state.lastDecisionAt,
    // Only conversations that a later interaction can still join by the time window (what
    // `stitchState` keeps too): the list does not grow with the customer's history.
    open: [
      ...state.open.filter((o) => o.id !== conv.id && within(o.lastAt, x.at, env.conversations.window)),
      { id: conv.id, lastAt: conv.lastAt, ...(conv.subjectKey !== undefined ? { subjectKey: conv.subjectKey } : {}) },
    ].sort((a, b) => compareStrings(a.id, b.id)),
  };
  await store.putState(profileId, next);
  await tx.put(CC.interactions, x.id, { ...publicDoc, conversationId: conv.id });
  await tx.put(CC.timeline, timelineKey(x.at, x.id), entry, {
    index: { conversation: conv.id, profile: profileId },
  });
  return conv.id;
}

/**
 * The conversation of an interaction named as its source knows it (`{ channel, externalId }` or a
 * normalised `{ messageId }`); `null` when no such interaction is stored.
 */
export async function conversationOfInteractionRef(
  tx: ConversationEnv["tx"],
  ref: { channel: string; externalId: string } | { messageId: string },
): Promise<string | null> {
  let doc = await tx.get<Interaction>(CC.interactions, interactionIdFor(ref));
  if (!doc && "messageId" in ref) {
    // An interaction with both an externalId and a Message-ID is keyed by the externalId.
    const [same] = await tx.find<InteractionEvidence>(CC.evidence, "msgid", ref.messageId, { limit: 1 });
    if (same) doc = await tx.get<Interaction>(CC.interactions, same.key);
  }
  return doc?.conversationId || null;
}

/** The conversation an interaction belongs to, from its stored document; `""` when unknown. */
async function conversationOfInteraction(tx: ConversationEnv["tx"], interactionId: string): Promise<string> {
  return (await tx.get<Interaction>(CC.interactions, interactionId))?.conversationId ?? "";
}

/**
 * Whether one of these profiles has anything a partition change would re-stitch. A profile with
 * conversations, timeline entries or stitch decisions has a stitch state (every stitch writes
 * one, and they go together), so this is one read.
 */
export async function hasStitchState(env: ConversationEnv, profileIds: readonly string[]): Promise<boolean> {
  return profileIds.length > 0 && (await env.tx.getMany(CC.state, profileIds)).size > 0;
}

/** Re-stitches every profile an identity change touched. */
export async function restitchAfter(env: ConversationEnv, change: PartitionChange): Promise<void> {
  if (change.touched.size === 0) return;
  // When none of the touched profiles has a stitch state, none has anything to re-stitch: one
  // read instead of a re-stitch per profile (identity-only data).
  if (!(await hasStitchState(env, [...change.touched]))) return;
  const current = new Set<string>();
  for (const id of change.touched) {
    if (change.removed.has(id)) continue;
    if (await env.tx.get(IC.profiles, id)) current.add(id);
  }
  const oldIds = [...change.touched].filter((id) => !current.has(id));
  for (const id of [...current].sort(compareStrings)) await restitchProfile(env, id, oldIds);
  // Profiles that vanished without a successor (erasure) take their derived state with them.
  for (const collection of [CC.conversations, CC.timeline, CC.keys])
    await deleteIndexed(env.tx, collection, "profile", oldIds);
  for (const id of oldIds) await env.tx.delete(CC.state, id);
}

/**
 * Recomputes a profile's conversations from its interactions and decisions, writes what changed
 * (conversations, the interactions' derived ids and timeline entries, the stitch state) and
 * leaves redirects for conversation ids that no longer exist. `fresh` is a just-recorded
 * interaction not stored yet. Reads and writes the whole history of the profile: only late items,
 * identity changes and operator decisions come here (DECISIONS.md, flat cost).
 */
export async function restitchProfile(
  env: ConversationEnv,
  profileId: string,
  formerProfileIds: readonly string[],
  fresh?: Interaction,
): Promise<ConversationDoc[]> {
  const tx = batchOf(env.tx);
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return [];
  const evidence = await evidenceOf(env, profile);
  const decisions = await decisionsOf(env, profile);
  const stitched = stitchConversations(evidence.map(toStitchInput), decisions, {
    window: env.conversations.window,
    reopenWindow: env.conversations.reopenWindow,
  });
  const byId = new Map(evidence.map((i) => [i.id, i]));
  const next = stitched.map((c) => toConversationDoc(c, profileId, byId));
  const formers = formerProfileIds.filter((id) => id !== profileId);
  const profileIds = [profileId, ...formers];
  // The timeline entries as they were: which conversation each interaction was in.
  const ownEntries = await tx.find<TimelineEntry>(CC.timeline, "profile", profileId);
  const oldEntries =
    formers.length === 0
      ? ownEntries
      : [...ownEntries, ...(await tx.findMany<TimelineEntry>(CC.timeline, "profile", formers))];
  const oursBefore = new Set(oldEntries.filter((e) => byId.has(e.value.id)).map((e) => e.value.conversationId));
  const old = new Map<string, ConversationDoc>();
  for (const { key, value } of await tx.findMany<ConversationDoc>(CC.conversations, "profile", profileIds)) {
    // A former profile's conversation may now belong to another profile: only take ours.
    if (value.profileId === profileId || oursBefore.has(key)) old.set(key, value);
  }
  const nextIds = new Set(next.map((c) => c.id));
  const convOfInteraction = new Map<string, string>();
  for (const c of stitched) for (const i of c.interactionIds) convOfInteraction.set(i, c.id);
  for (const c of next) {
    const before = old.get(c.id);
    if (before && JSON.stringify(before) === JSON.stringify(c)) continue;
    await tx.put(CC.conversations, c.id, c, { index: { profile: profileId } });
    if (!before && !(await tx.get(CC.aliases, c.id))) {
      env.events.push({ type: "conversation.created", conversationId: c.id, profileId, at: c.startedAt });
    }
    await tx.delete(CC.aliases, c.id);
    if (c.absorbed.length > 0 && before && before.absorbed.length < c.absorbed.length) {
      env.events.push({ type: "conversation.merged", conversationId: c.id, absorbed: c.absorbed, at: env.now() });
    }
  }
  // Each vanished conversation redirects to where its earliest interaction went.
  const successorOf = new Map<string, string>();
  for (const { value } of oldEntries) {
    const to = convOfInteraction.get(value.id);
    if (to !== undefined && !successorOf.has(value.conversationId)) successorOf.set(value.conversationId, to);
  }
  for (const id of old.keys()) {
    if (nextIds.has(id)) continue;
    await tx.delete(CC.conversations, id);
    const successor = successorOf.get(id);
    if (successor !== undefined) await tx.put(CC.aliases, id, { target: successor }, { index: { target: successor } });
  }
  // The timeline entries: written where they changed; this profile's removed where the
  // interaction left it (a former profile's leftovers are cleared by restitchAfter).
  const ownByKey = new Map(ownEntries.map((e) => [e.key, e.value]));
  const entries: PutEntry<TimelineEntry>[] = [];
  for (const c of stitched) {
    let previous: string | undefined;
    for (const i of c.interactionIds) {
      const e = byId.get(i) as InteractionEvidence;
      const entry: TimelineEntry = { id: i, at: e.at, conversationId: c.id };
      if (previous !== undefined && previous !== e.channel) entry.switchFrom = previous;
      previous = e.channel;
      const key = timelineKey(e.at, i);
      const before = ownByKey.get(key);
      ownByKey.delete(key);
      if (before && JSON.stringify(before) === JSON.stringify(entry)) continue;
      entries.push({ key, value: entry, index: { conversation: c.id, profile: profileId } });
    }
  }
  if (entries.length > 0) await tx.putMany(CC.timeline, entries);
  const gone = [...ownByKey.keys()];
  if (gone.length > 0) await tx.deleteMany(CC.timeline, gone);
  // The interactions' derived ids.
  const publicDocs = await tx.getMany<Interaction>(
    CC.interactions,
    evidence.map((e) => e.id),
  );
  if (fresh) publicDocs.set(fresh.id, fresh);
  for (const [id, doc] of publicDocs) {
    const conversationId = convOfInteraction.get(id) ?? "";
    if (doc.conversationId !== conversationId || doc.profileId !== profileId || doc === fresh) {
      await tx.put(CC.interactions, id, { ...doc, profileId, conversationId });
    }
  }
  const stitchedState = stitchState(evidence, decisions, next, convOfInteraction, env.conversations.window);
  await tx.put(CC.state, profileId, stitchedState.state);
  // The stitch keys: written where they changed; the profile's and its former ids' others removed.
  const keyDocs = new Map<string, StitchKeyDoc>();
  for (const [key, conversationId] of stitchedState.keys)
    keyDocs.set(stitchKeyId(profileId, key), { profileId, conversationId });
  const keyPuts: PutEntry<StitchKeyDoc>[] = [];
  const staleKeys: string[] = [];
  const storedKeys = new Map(
    (await tx.findMany<StitchKeyDoc>(CC.keys, "profile", profileIds)).map((d) => [d.key, d.value] as const),
  );
  for (const [key, value] of keyDocs) {
    // A key's id hashes its profile id, so a stored one under this id is this profile's.
    if (storedKeys.get(key)?.conversationId !== value.conversationId)
      keyPuts.push({ key, value, index: { profile: profileId } });
  }
  for (const key of storedKeys.keys()) if (!keyDocs.has(key)) staleKeys.push(key);
  if (keyPuts.length > 0) await tx.putMany(CC.keys, keyPuts);
  if (staleKeys.length > 0) await tx.deleteMany(CC.keys, staleKeys);
  for (const id of formerProfileIds) if (id !== profileId) await tx.delete(CC.state, id);
  return next;
}

/**
 * The lookup state a full stitch ends with (see {@link StitchState}), and its stitch keys: each
 * thread key and case reference with the conversation of the latest interaction that has it.
 */
function stitchState(
  evidence: readonly InteractionEvidence[],
  decisions: readonly StitchDecision[],
  conversations: readonly ConversationDoc[],
  convOf: ReadonlyMap<string, string>,
  window: CompiledConversationOptions["window"],
): { state: StitchState; keys: Array<[StitchLookup, string]> } {
  const ordered = [...evidence].sort((a, b) => compareStrings(a.at, b.at) || compareStrings(a.id, b.id));
  // Later interactions overwrite earlier ones: keyed by what identifies the lookup.
  const keys = new Map<string, [StitchLookup, string]>();
  for (const e of ordered) {
    const conv = convOf.get(e.id) as string;
    const { thread, caseRef } = lookupsOf(e);
    if (thread) keys.set(`t${JSON.stringify([e.channel, e.threadKey])}`, [thread, conv]);
    if (caseRef) keys.set(`c${e.caseRef}`, [caseRef, conv]);
  }
  const last = ordered[ordered.length - 1];
  return {
    state: {
      lastAt: last?.at ?? "",
      lastId: last?.id ?? "",
      lastDecisionAt: decisions.reduce((m, d) => maxString(m, d.at), ""),
      open: conversations
        .filter((c) => c.status === "open" && (last === undefined || within(c.lastAt, last.at, window)))
        .map((c) => ({
          id: c.id,
          lastAt: c.lastAt,
          ...(c.subjectKey !== undefined ? { subjectKey: c.subjectKey } : {}),
        }))
        .sort((a, b) => compareStrings(a.id, b.id)),
    },
    keys: [...keys.values()],
  };
}

function toCandidate(c: ConversationDoc): StitchCandidate {
  const out: StitchCandidate = { id: c.id, status: c.status, lastAt: c.lastAt };
  if (c.resolvedAt !== undefined) out.resolvedAt = c.resolvedAt;
  if (c.subjectKey !== undefined) out.subjectKey = c.subjectKey;
  return out;
}

function toStitchInput(i: InteractionEvidence): StitchInteraction {
  const out: StitchInteraction = { id: i.id, channel: i.channel, direction: i.direction, at: i.at, tags: i.tags };
  if (i.continuesVia !== undefined) out.continuesVia = i.continuesVia;
  if (i.messageId !== undefined) out.messageId = i.messageId;
  if (i.refs !== undefined) out.refs = i.refs;
  if (i.threadKey !== undefined) out.threadKey = i.threadKey;
  if (i.caseRef !== undefined) out.caseRef = i.caseRef;
  if (i.subject !== undefined) out.subject = baseSubject(i.subject);
  return out;
}

function toConversationDoc(
  c: StitchedConversation,
  profileId: string,
  evidence: Map<string, InteractionEvidence>,
): ConversationDoc {
  const ids = c.interactionIds;
  const last = evidence.get(ids[ids.length - 1] as string) as InteractionEvidence;
  const doc: ConversationDoc = {
    id: c.id,
    profileId,
    status: c.status,
    channels: c.channels,
    interactionCount: ids.length,
    firstInteractionId: ids[0] as string,
    lastInteractionId: last.id,
    lastChannel: last.channel,
    tags: c.tags,
    startedAt: c.startedAt,
    lastAt: c.lastAt,
    tagsSince: c.tagsSince,
    absorbed: c.absorbed,
  };
  const subject = c.interactionIds.map((i) => evidence.get(i)?.subject).find((s) => s !== undefined);
  if (subject !== undefined) doc.subject = subject;
  if (c.subject !== undefined) doc.subjectKey = c.subject.toLowerCase();
  if (c.resolvedAt !== undefined) doc.resolvedAt = c.resolvedAt;
  if (c.previousId !== undefined) doc.previousId = c.previousId;
  let unanswered: InteractionEvidence | undefined;
  for (const id of ids) {
    const e = evidence.get(id) as InteractionEvidence;
    if (e.direction === "inbound") unanswered ??= e;
    else unanswered = undefined;
  }
  if (unanswered) doc.unanswered = { id: unanswered.id, at: unanswered.at, channel: unanswered.channel };
  return doc;
}

async function evidenceOf(env: ConversationEnv, profile: ProfileDoc): Promise<InteractionEvidence[]> {
  const out: InteractionEvidence[] = [];
  const keys = await membersOf(env.tx, profile);
  for (const { value } of await batchOf(env.tx).findMany<InteractionEvidence>(CC.evidence, "owner", keys))
    out.push(value);
  return out;
}

async function decisionsOf(env: ConversationEnv, profile: ProfileDoc): Promise<StitchDecision[]> {
  const out = new Map<string, StitchDecision>();
  const keys = await membersOf(env.tx, profile);
  for (const { value } of await batchOf(env.tx).findMany<ConversationDecisionDoc>(CC.decisions, "owner", keys)) {
    out.set(value.decision.id, value.decision);
  }
  return [...out.values()];
}

async function getConversationDoc(tx: ConversationEnv["tx"], id: string): Promise<ConversationDoc | null> {
  return (await followAliases<ConversationDoc>(tx, CC.conversations, CC.aliases, id))?.doc ?? null;
}

/** A conversation in public shape, with the interaction ids given (read from the timeline index). */
function publicConversation(doc: ConversationDoc, interactionIds: string[]): Conversation {
  const {
    tagsSince: _t,
    absorbed: _a,
    subjectKey: _s,
    firstInteractionId: _f,
    lastInteractionId: _l,
    lastChannel: _c,
    unanswered: _u,
    ...rest
  } = doc;
  return { ...rest, interactionIds };
}

/** The interaction ids of each conversation, by time, from the timeline index (one call). */
async function interactionIdsOf(
  tx: ConversationEnv["tx"],
  conversationIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return out;
  // Keys are time-ordered (timelineKey), and findMany returns them in key order.
  for (const { value } of await batchOf(tx).findMany<TimelineEntry>(CC.timeline, "conversation", conversationIds)) {
    out.get(value.conversationId)?.push(value.id);
  }
  return out;
}

/** A conversation by id, following redirects; `null` when unknown. */
export async function getConversation(tx: ConversationEnv["tx"], id: string): Promise<Conversation | null> {
  const doc = await getConversationDoc(tx, id);
  if (!doc) return null;
  return publicConversation(doc, (await interactionIdsOf(tx, [doc.id])).get(doc.id) ?? []);
}

/** A profile's conversations, oldest first. */
export async function listConversations(tx: ConversationEnv["tx"], profileId: string): Promise<Conversation[]> {
  const docs = await conversationDocsOf(tx, profileId);
  const ids = await interactionIdsOf(
    tx,
    docs.map((d) => d.id),
  );
  return docs.map((d) => publicConversation(d, ids.get(d.id) ?? []));
}

/** A profile's conversation docs, in stored order (oldest first). */
export async function conversationDocsOf(tx: ConversationEnv["tx"], profileId: string): Promise<ConversationDoc[]> {
  const docs = (await tx.find<ConversationDoc>(CC.conversations, "profile", profileId)).map((d) => d.value);
  return docs.sort((a, b) => compareStrings(a.startedAt, b.startedAt) || compareStrings(a.id, b.id));
}

async function storeDecision(
  env: ConversationEnv,
  conv: ConversationDoc,
  decision: StitchDecision,
  extra: ConversationDoc[] = [],
) {
  const owners = new Set<string>();
  const members = await interactionIdsOf(
    env.tx,
    [conv, ...extra].map((c) => c.id),
  );
  const docs = await env.tx.getMany<InteractionEvidence>(CC.evidence, [...members.values()].flat());
  for (const d of docs.values()) owners.add(d.ownerKey);
  const doc: ConversationDecisionDoc = { decision, owners: [...owners].sort(compareStrings) };
  await env.tx.put(CC.decisions, decision.id, doc, { index: { owner: doc.owners } });
}

/** When an operator decision on conversations was made: `at` given by the caller, else now. */
export interface ConversationDecisionTime {
  /** Canonical ISO time of the decision; absent: now, after everything recorded so far. */
  at?: string | undefined;
}

/**
 * Resolves a conversation (operator decision). With `at` (an imported resolution time), the
 * decision covers the conversation's interactions up to `at`: it is resolved from `at` on, and a
 * later interaction continues it (or starts a new one) as the stitching rules say. Without `at`,
 * it is resolved now, after everything recorded so far. `at` before the conversation started is
 * an `invalid_input` naming `at`.
 */
export async function resolveConversation(
  env: ConversationEnv,
  id: string,
  options: ConversationDecisionTime = {},
): Promise<Conversation> {
  const conv = await getConversationDoc(env.tx, id);
  if (!conv) throw new NotFoundError("conversation", id);
  await env.tx.lock([`profile:${conv.profileId}`]);
  const at = options.at ?? env.now();
  let last: string;
  let decidedAt: string;
  if (options.at === undefined) {
    last = conv.lastInteractionId;
    decidedAt = maxString(at, conv.lastAt);
  } else {
    if (at < conv.startedAt) throw decisionTooEarly("resolve options", `the conversation started (${conv.startedAt})`);
    last = await lastInteractionAtOrBefore(env, conv, at);
    decidedAt = at;
  }
  await storeDecision(env, conv, {
    kind: "resolve",
    id: stableId("cdec", "resolve", conv.id, at),
    interactionId: last,
    at: decidedAt,
  });
  await restitchProfile(env, conv.profileId, []);
  const result = (await getConversation(env.tx, await conversationOfInteraction(env.tx, last))) as Conversation;
  env.events.push({ type: "conversation.resolved", conversationId: result.id, at });
  return result;
}

/** The latest interaction of `conv` at or before `at` (by time, then id), as the stitching replays them. */
async function lastInteractionAtOrBefore(env: ConversationEnv, conv: ConversationDoc, at: string): Promise<string> {
  const [latest] = await env.tx.find<TimelineEntry>(CC.timeline, "conversation", conv.id, {
    after: timelineKey(at, "\uffff"),
    reverse: true,
    limit: 1,
  });
  return latest?.value.id ?? conv.firstInteractionId;
}

function decisionTooEarly(what: string, started: string): InvalidInputError {
  return new InvalidInputError(what, [{ path: ["at"], code: "too_small", message: `must not be before ${started}` }]);
}

/**
 * Merges conversation `a` into `b` (operator decision); `a` then resolves to `b`. With `at`, the
 * merge is dated then (it must not be before both conversations started); without it, it is
 * taken now, after everything recorded so far.
 */
export async function mergeConversations(
  env: ConversationEnv,
  a: string,
  b: string,
  options: ConversationDecisionTime = {},
): Promise<Conversation> {
  const from = await getConversationDoc(env.tx, a);
  if (!from) throw new NotFoundError("conversation", a);
  const into = await getConversationDoc(env.tx, b);
  if (!into) throw new NotFoundError("conversation", b);
  if (from.id === into.id) return (await getConversation(env.tx, into.id)) as Conversation;
  if (from.profileId !== into.profileId) {
    throw new RefusedError(
      `Conversations ${from.id} and ${into.id} belong to different customers; merge the profiles first`,
      {
        conversations: [from.id, into.id],
        profiles: [from.profileId, into.profileId],
      },
    );
  }
  await env.tx.lock([`profile:${into.profileId}`]);
  const at = options.at ?? env.now();
  if (options.at !== undefined) {
    const started = maxString(from.startedAt, into.startedAt);
    if (at < started) throw decisionTooEarly("merge options", `both conversations started (${started})`);
  }
  const decidedAt = options.at ?? [from.lastAt, into.lastAt, at].reduce(maxString);
  await storeDecision(
    env,
    into,
    {
      kind: "merge",
      id: stableId("cdec", "merge", from.id, into.id, at),
      from: from.firstInteractionId,
      into: into.firstInteractionId,
      at: decidedAt,
    },
    [from],
  );
  await restitchProfile(env, into.profileId, []);
  const result = (await getConversation(
    env.tx,
    await conversationOfInteraction(env.tx, into.firstInteractionId),
  )) as Conversation;
  await env.tx.put(CC.aliases, from.id, { target: result.id }, { index: { target: result.id } });
  return result;
}

/**
 * Erases a profile's interactions (with their subjects and texts), conversations, stitching
 * decisions and stitch state (GDPR erasure). Returns the interaction and conversation ids it
 * erased (aliases included), so that the caller erases the events naming them.
 */
export async function forgetProfileData(env: ConversationEnv, profileId: string): Promise<string[]> {
  const { tx } = env;
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return [];
  const batch = batchOf(tx);
  const keys = await membersOf(tx, profile);
  const interactions = (await batch.findMany(CC.evidence, "owner", keys)).map((d) => d.key);
  const decisions = (await batch.findMany(CC.decisions, "owner", keys)).map((d) => d.key);
  const conversations = (await tx.find(CC.conversations, "profile", profileId)).map((d) => d.key);
  const aliases =
    conversations.length > 0 ? (await batch.findMany(CC.aliases, "target", conversations)).map((d) => d.key) : [];
  if (interactions.length > 0) {
    await batch.deleteMany(CC.evidence, interactions);
    await batch.deleteMany(CC.interactions, interactions);
  }
  if (decisions.length > 0) await batch.deleteMany(CC.decisions, decisions);
  await tx.delete(CC.state, profileId);
  await deleteIndexed(tx, CC.keys, "profile", [profileId]);
  await deleteIndexed(tx, CC.timeline, "profile", [profileId]);
  if (conversations.length > 0) await batch.deleteMany(CC.conversations, conversations);
  if (aliases.length > 0) await batch.deleteMany(CC.aliases, aliases);
  return [...interactions, ...conversations, ...aliases];
}

/** Which part of the timeline a snapshot holds: see `cc.context(ref, { timeline })`. */
export interface TimelinePage {
  /** The newest `limit` interactions (before `before`); all of them when absent. */
  limit?: number;
  /** Only interactions strictly before this time (ISO, UTC). */
  before?: string;
}

/**
 * What an agent in any channel sees about a customer; `offersOf` supplies the presented offers.
 * With `page.limit`, reads only the page's interactions (one indexed, time-ordered `find`) and the
 * latest ones of each open conversation; conversations, alerts and their counts come from the
 * conversations' summaries.
 */
export async function snapshot(
  env: ConversationEnv,
  profileId: string,
  offersOf: (profile: ProfileDoc) => Promise<Presentation[]>,
  page: TimelinePage = {},
): Promise<CustomerSnapshot | null> {
  const { tx } = env;
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return null;
  const members = await membersOf(tx, profile);
  const idents = await tx.getMany<IdentifierDoc>(IC.identifiers, members);
  const convs = await conversationDocsOf(tx, profileId);

  // The page, newest first from the index (one more than asked, to know whether there is more);
  // the whole timeline in index order.
  const paged = page.limit !== undefined;
  let entries: StoredDocument<TimelineEntry>[];
  let timelineHasMore = false;
  if (!paged && page.before === undefined) entries = await tx.find<TimelineEntry>(CC.timeline, "profile", profileId);
  else {
    const range: RangeOptions = { reverse: true };
    if (page.before !== undefined) range.after = page.before;
    if (page.limit !== undefined) range.limit = page.limit + 1;
    const newestFirst = await tx.find<TimelineEntry>(CC.timeline, "profile", profileId, range);
    timelineHasMore = page.limit !== undefined && newestFirst.length > page.limit;
    entries = newestFirst.slice(0, page.limit ?? newestFirst.length).reverse();
  }
  const docs = await tx.getMany<Interaction>(
    CC.interactions,
    entries.map((e) => e.value.id),
  );
  const timeline: Interaction[] = [];
  const channelSwitches: ChannelSwitch[] = [];
  const idsOf = new Map<string, string[]>(convs.map((c) => [c.id, []]));
  for (const { value: e } of entries) {
    const i = docs.get(e.id);
    if (!i) continue;
    timeline.push(i);
    idsOf.get(e.conversationId)?.push(e.id);
    if (e.switchFrom !== undefined) {
      channelSwitches.push({
        conversationId: e.conversationId,
        from: e.switchFrom,
        to: i.channel,
        at: i.at,
        interactionId: i.id,
      });
    }
  }
  // By conversation (oldest first), then time: the page is in time order and the sort is stable.
  if (convs.length > 1) {
    const rank = new Map(convs.map((c, n) => [c.id, n]));
    channelSwitches.sort((a, b) => (rank.get(a.conversationId) ?? 0) - (rank.get(b.conversationId) ?? 0));
  }

  // The latest interactions of each open conversation: from the page when it holds everything.
  const open = convs.filter((c) => c.status === "open");
  const latestOf = new Map<string, Interaction[]>();
  const latestIds = new Map<string, string[]>();
  for (const c of open) {
    const ids =
      !paged && page.before === undefined
        ? (idsOf.get(c.id) ?? []).slice(-LATEST)
        : (await tx.find<TimelineEntry>(CC.timeline, "conversation", c.id, { reverse: true, limit: LATEST }))
            .map((e) => e.value.id)
            .reverse();
    latestIds.set(c.id, ids);
  }
  // The page's interactions are in `docs` already.
  const missing = [...latestIds.values()].flat().filter((id) => !docs.has(id));
  const extra = missing.length > 0 ? await tx.getMany<Interaction>(CC.interactions, missing) : new Map();
  for (const [id, ids] of latestIds) {
    latestOf.set(
      id,
      ids.flatMap((i) => {
        const d = docs.get(i) ?? extra.get(i);
        return d ? [d] : [];
      }),
    );
  }

  const alerts: Alert[] = [];
  const now = env.now();
  for (const c of open) {
    const unanswered = c.unanswered;
    if (unanswered) {
      const due = add(
        new Date(unanswered.at),
        env.conversations.sla(unanswered.channel) as DateFnsDuration,
      ).toISOString();
      if (compareStrings(due, now) < 0) {
        alerts.push({
          kind: "unanswered",
          severity: "warning",
          message: `Inbound ${unanswered.channel} message from ${unanswered.at.slice(0, 16).replace("T", " ")} UTC has no reply`,
          conversationId: c.id,
          interactionId: unanswered.id,
          channel: unanswered.channel,
          since: unanswered.at,
        });
      }
    }
    if (c.tags.includes("complaint")) {
      alerts.push({
        kind: "open-complaint",
        severity: "error",
        message: `Open complaint${c.subject ? ` "${c.subject}"` : ""} since ${(c.tagsSince.complaint ?? c.startedAt).slice(0, 10)}`,
        conversationId: c.id,
        since: c.tagsSince.complaint ?? c.startedAt,
      });
    }
  }
  const publicConvs = convs.map((c) => publicConversation(c, idsOf.get(c.id) ?? []));
  const identifiers = members.flatMap((key) => {
    const d = idents.get(key);
    return d ? [publicIdentifier(d)] : [];
  });
  return {
    profile: { id: profile.id, traits: profile.traits, createdAt: profile.createdAt, updatedAt: profile.updatedAt },
    identifiers,
    openConversations: publicConvs
      .filter((c) => c.status === "open")
      .map((c) => ({ ...c, latest: latestOf.get(c.id) ?? [] })),
    conversations: publicConvs,
    timeline,
    timelineHasMore,
    channelSwitches,
    offers: await offersOf(profile),
    alerts,
  };
}

/** How many of its latest interactions an open conversation shows in a snapshot. */
const LATEST = 5;

/** Every conversation and interaction in the store, in public shape (journey metrics, exports). */
export async function everything(
  env: ConversationEnv,
): Promise<{ conversations: Conversation[]; interactions: Interaction[] }> {
  const convs = (await env.tx.scan<ConversationDoc>(CC.conversations)).map((d) => d.value);
  const interactions = (await env.tx.scan<Interaction>(CC.interactions)).map((d) => d.value);
  const ids = new Map<string, string[]>(convs.map((c) => [c.id, []]));
  const ordered = [...interactions].sort((a, b) => compareStrings(a.at, b.at) || compareStrings(a.id, b.id));
  for (const i of ordered) ids.get(i.conversationId)?.push(i.id);
  return { conversations: convs.map((c) => publicConversation(c, ids.get(c.id) ?? [])), interactions };
}
