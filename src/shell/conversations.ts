/**
 * The conversation part of the shell: idempotent recording, re-stitching a customer's
 * conversations from evidence, and the agent's snapshot.
 */
import { add } from "date-fns";
import type { z } from "zod";
import { compareStrings, stableId } from "../_lib/hash.js";
import { baseSubject } from "../conversations/baseSubject.js";
import { findCaseRef } from "../conversations/findCaseRef.js";
import { normalizeMessageId, referencedIds } from "../conversations/messageId.js";
import {
  type StitchDecision,
  type StitchedConversation,
  type StitchInteraction,
  stitchConversations,
} from "../conversations/stitchConversations.js";
import { NotFoundError, RefusedError } from "../errors.js";
import type { CompiledIdentityOptions } from "../identity/rules.js";
import type { InteractionInput } from "../schema/inputs.js";
import type { ConversationOptions } from "../schema/options.js";
import type {
  Alert,
  ChannelSwitch,
  Conversation,
  CustomerSnapshot,
  Interaction,
  Presentation,
} from "../schema/outputs.js";
import { type Customer, type Duration, type Identifier, toIso } from "../schema/primitives.js";
import {
  assertUsable,
  C as IC,
  type IdentifierDoc,
  type IdentityEnv,
  normalizeObservation,
  observe,
  type PartitionChange,
  type ProfileDoc,
  resolveProfileId,
} from "./identity.js";

export const CC = {
  interactions: "interactions",
  conversations: "conversations",
  aliases: "conversation_aliases",
  decisions: "conversation_decisions",
} as const;

/** Compiled `conversations` options. */
export interface CompiledConversationOptions {
  window: Duration;
  reopenWindow: Duration;
  sla: (channel: string) => Duration;
  caseRefPattern: RegExp | string | undefined;
  subjectPrefixes: string[] | undefined;
}

/** Compiles validated `conversations` options with their defaults. */
export function compileConversationOptions(
  options: z.output<typeof ConversationOptions> = {},
): CompiledConversationOptions {
  const sla = options.sla;
  const defaultSla: Duration = { hours: 24 };
  const isDuration = (v: unknown): v is Duration =>
    typeof v === "object" &&
    v !== null &&
    Object.keys(v).every((k) => ["years", "months", "weeks", "days", "hours", "minutes", "seconds"].includes(k));
  return {
    window: options.window ?? { days: 3 },
    reopenWindow: options.reopenWindow ?? { days: 14 },
    sla: (channel) => {
      if (sla === undefined) return defaultSla;
      if (isDuration(sla)) return sla;
      const map = sla as Record<string, Duration>;
      return map[channel] ?? map.default ?? defaultSla;
    },
    caseRefPattern: options.caseRefPattern,
    subjectPrefixes: options.subjectPrefixes,
  };
}

/** The environment shell functions run in. */
export interface ConversationEnv extends IdentityEnv {
  now: () => string;
  conversations: CompiledConversationOptions;
}

/** Stored per interaction: the evidence, as recorded. */
export interface InteractionDoc {
  id: string;
  channel: string;
  direction: "inbound" | "outbound";
  at: string;
  identifiers: Identifier[];
  /** The identifier (or profile anchor) whose profile owns the interaction. */
  ownerKey: string;
  externalId?: string;
  threadKey?: string;
  caseRef?: string;
  continues?: string;
  continuesVia?: string;
  subject?: string;
  text?: string;
  agent?: string;
  email?: { messageId: string; inReplyTo?: string; references?: string[] };
  messageId?: string;
  refs?: string[];
  tags: string[];
  metadata?: Record<string, unknown>;
}

/** Stored per conversation: derived state. */
export interface ConversationDoc extends Conversation {
  tagsSince: Record<string, string>;
  absorbed: string[];
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
      path: "email.messageId",
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
      ? stableId("int", input.channel, "ext", input.externalId)
      : messageId !== undefined
        ? stableId("int", "msg", messageId)
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
  const prepared: PreparedInteraction = { input, at, id, customer, refused, refs };
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
  if (!Array.isArray(customer)) {
    const id = await resolveProfileId(env.tx, customer.profileId);
    if (!id) throw new NotFoundError("profile", customer.profileId);
    const profile = (await env.tx.get<ProfileDoc>(IC.profiles, id)) as ProfileDoc;
    return { profileId: id, ownerKey: profile.anchor };
  }
  const normalized = normalizeObservation(customer, env.options);
  assertUsable(normalized);
  const result = await observe(env, { identifiers: normalized.identifiers, at });
  await restitchAfter(env, result.change);
  return { profileId: result.profileId, ownerKey: result.anchor };
}

/** Records an interaction (idempotently) and re-stitches its customer's conversations. */
export async function recordInteraction(
  env: ConversationEnv,
  p: PreparedInteraction,
): Promise<{ interactionId: string; conversationId: string; profileId: string; duplicate: boolean }> {
  const { tx } = env;
  const existing =
    (await tx.get<InteractionDoc>(CC.interactions, p.id)) ??
    (p.messageId !== undefined
      ? (await tx.find<InteractionDoc>(CC.interactions, "msgid", p.messageId, { limit: 1 }))[0]?.value
      : null) ??
    null;
  if (existing) {
    const owner = await tx.get<IdentifierDoc>(IC.identifiers, existing.ownerKey);
    const profileId = owner?.profileId ?? "";
    const conv = await conversationOfInteraction(env, profileId, existing.id);
    return { interactionId: existing.id, conversationId: conv?.id ?? "", profileId, duplicate: true };
  }

  let profileId: string;
  let ownerKey: string;
  if ("identifiers" in p.customer) {
    const result = await observe(env, {
      identifiers: p.customer.identifiers,
      at: p.at,
      channel: p.input.channel,
    });
    await restitchAfter(env, result.change);
    profileId = result.profileId;
    ownerKey = result.anchor;
  } else {
    const id = await resolveProfileId(tx, p.customer.profileId);
    if (!id) throw new NotFoundError("profile", p.customer.profileId);
    const profile = (await tx.get<ProfileDoc>(IC.profiles, id)) as ProfileDoc;
    await tx.lock([`profile:${id}`]);
    profileId = id;
    ownerKey = profile.anchor;
  }

  let continuesVia: string | undefined;
  if (p.input.continues !== undefined) {
    const target = await getConversationDoc(tx, p.input.continues);
    if (!target) throw new NotFoundError("conversation", p.input.continues);
    continuesVia = target.interactionIds[0];
  }
  const input = p.input;
  const doc: InteractionDoc = {
    id: p.id,
    channel: input.channel,
    direction: input.direction,
    at: p.at,
    identifiers: "identifiers" in p.customer ? p.customer.identifiers.map(({ type, value }) => ({ type, value })) : [],
    ownerKey,
    tags: [...new Set(input.tags ?? [])].sort(compareStrings),
  };
  if (input.externalId !== undefined) doc.externalId = input.externalId;
  if (input.threadKey !== undefined) doc.threadKey = input.threadKey;
  if (p.caseRef !== undefined) doc.caseRef = p.caseRef;
  if (input.continues !== undefined) doc.continues = input.continues;
  if (continuesVia !== undefined) doc.continuesVia = continuesVia;
  if (input.subject !== undefined) doc.subject = input.subject;
  if (input.text !== undefined) doc.text = input.text;
  if (input.agent !== undefined) doc.agent = input.agent;
  if (input.email !== undefined) {
    doc.email = { messageId: input.email.messageId };
    if (input.email.inReplyTo !== undefined) doc.email.inReplyTo = input.email.inReplyTo;
    if (input.email.references !== undefined) doc.email.references = input.email.references;
  }
  if (p.messageId !== undefined) doc.messageId = p.messageId;
  if (p.refs.length > 0) doc.refs = p.refs;
  if (input.metadata !== undefined) doc.metadata = input.metadata;
  const index: Record<string, string> = { owner: ownerKey };
  if (p.messageId !== undefined) index.msgid = p.messageId;
  await tx.put(CC.interactions, doc.id, doc, { index });

  const stitched = await restitchProfile(env, profileId, []);
  const conv = stitched.find((c) => c.interactionIds.includes(doc.id));
  env.events.push({
    type: "interaction.recorded",
    interactionId: doc.id,
    conversationId: conv?.id ?? "",
    profileId,
    at: p.at,
  });
  return { interactionId: doc.id, conversationId: conv?.id ?? "", profileId, duplicate: false };
}

/** Re-stitches every profile an identity change touched. */
export async function restitchAfter(env: ConversationEnv, change: PartitionChange): Promise<void> {
  if (change.touched.size === 0) return;
  const current = new Set<string>();
  for (const id of change.touched) {
    if (change.removed.has(id)) continue;
    if (await env.tx.get(IC.profiles, id)) current.add(id);
  }
  const oldIds = [...change.touched].filter((id) => !current.has(id));
  for (const id of [...current].sort(compareStrings)) await restitchProfile(env, id, oldIds);
  // Conversations of profiles that vanished without a successor (erasure) are gone with them.
  for (const id of oldIds) {
    for (const { key } of await env.tx.find(CC.conversations, "profile", id))
      await env.tx.delete(CC.conversations, key);
  }
}

/**
 * Recomputes a profile's conversations from its interactions and decisions, writes what changed
 * and leaves redirects for conversation ids that no longer exist.
 */
export async function restitchProfile(
  env: ConversationEnv,
  profileId: string,
  formerProfileIds: readonly string[],
): Promise<ConversationDoc[]> {
  const { tx } = env;
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return [];
  const interactions = await interactionsOf(env, profile);
  const decisions = await decisionsOf(env, profile);
  const stitched = stitchConversations(interactions.map(toStitchInput), decisions, {
    window: env.conversations.window,
    reopenWindow: env.conversations.reopenWindow,
  });
  const byId = new Map(interactions.map((i) => [i.id, i]));
  const next = stitched.map((c) => toConversationDoc(c, profileId, byId));
  const old = new Map<string, ConversationDoc>();
  for (const id of [profileId, ...formerProfileIds]) {
    for (const { key, value } of await tx.find<ConversationDoc>(CC.conversations, "profile", id)) {
      // A former profile's conversation may now belong to another profile: only take ours.
      if (id === profileId || value.interactionIds.some((i) => byId.has(i))) old.set(key, value);
    }
  }
  const nextIds = new Set(next.map((c) => c.id));
  const convOfInteraction = new Map<string, string>();
  for (const c of next) for (const i of c.interactionIds) convOfInteraction.set(i, c.id);
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
  for (const [id, before] of old) {
    if (nextIds.has(id)) continue;
    await tx.delete(CC.conversations, id);
    const successor = before.interactionIds.map((i) => convOfInteraction.get(i)).find((x) => x !== undefined);
    if (successor !== undefined) await tx.put(CC.aliases, id, { target: successor }, { index: { target: successor } });
  }
  return next;
}

function toStitchInput(i: InteractionDoc): StitchInteraction {
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
  interactions: Map<string, InteractionDoc>,
): ConversationDoc {
  const first = interactions.get(c.interactionIds[0] as string);
  const doc: ConversationDoc = {
    id: c.id,
    profileId,
    status: c.status,
    channels: c.channels,
    interactionIds: c.interactionIds,
    tags: c.tags,
    startedAt: c.startedAt,
    lastAt: c.lastAt,
    tagsSince: c.tagsSince,
    absorbed: c.absorbed,
  };
  const subject = c.interactionIds.map((i) => interactions.get(i)?.subject).find((s) => s !== undefined);
  if (subject !== undefined) doc.subject = subject;
  else if (first?.subject !== undefined) doc.subject = first.subject;
  if (c.resolvedAt !== undefined) doc.resolvedAt = c.resolvedAt;
  if (c.previousId !== undefined) doc.previousId = c.previousId;
  return doc;
}

async function interactionsOf(env: ConversationEnv, profile: ProfileDoc): Promise<InteractionDoc[]> {
  const out: InteractionDoc[] = [];
  for (const key of profile.keys) {
    for (const { value } of await env.tx.find<InteractionDoc>(CC.interactions, "owner", key)) out.push(value);
  }
  return out;
}

interface DecisionDoc {
  decision: StitchDecision;
  owners: string[];
}

async function decisionsOf(env: ConversationEnv, profile: ProfileDoc): Promise<StitchDecision[]> {
  const out = new Map<string, StitchDecision>();
  for (const key of profile.keys) {
    for (const { value } of await env.tx.find<DecisionDoc>(CC.decisions, "owner", key)) {
      out.set(value.decision.id, value.decision);
    }
  }
  return [...out.values()];
}

async function getConversationDoc(tx: ConversationEnv["tx"], id: string): Promise<ConversationDoc | null> {
  let current = id;
  for (let hops = 0; hops < 64; hops++) {
    const doc = await tx.get<ConversationDoc>(CC.conversations, current);
    if (doc) return doc;
    const alias = await tx.get<{ target: string }>(CC.aliases, current);
    if (!alias) return null;
    current = alias.target;
  }
  return null;
}

function publicConversation(doc: ConversationDoc): Conversation {
  const { tagsSince: _t, absorbed: _a, ...conversation } = doc;
  return conversation;
}

/** A conversation by id, following redirects; `null` when unknown. */
export async function getConversation(tx: ConversationEnv["tx"], id: string): Promise<Conversation | null> {
  const doc = await getConversationDoc(tx, id);
  return doc ? publicConversation(doc) : null;
}

/** A profile's conversations, oldest first. */
export async function listConversations(tx: ConversationEnv["tx"], profileId: string): Promise<Conversation[]> {
  return (await conversationDocsOf(tx, profileId)).map(publicConversation);
}

/** A profile's conversation docs, in stored order (oldest first). */
export async function conversationDocsOf(tx: ConversationEnv["tx"], profileId: string): Promise<ConversationDoc[]> {
  const docs = (await tx.find<ConversationDoc>(CC.conversations, "profile", profileId)).map((d) => d.value);
  return docs.sort((a, b) => compareStrings(a.startedAt, b.startedAt) || compareStrings(a.id, b.id));
}

async function conversationOfInteraction(
  env: ConversationEnv,
  profileId: string,
  interactionId: string,
): Promise<ConversationDoc | undefined> {
  return (await conversationDocsOf(env.tx, profileId)).find((c) => c.interactionIds.includes(interactionId));
}

async function storeDecision(
  env: ConversationEnv,
  conv: ConversationDoc,
  decision: StitchDecision,
  extra: ConversationDoc[] = [],
) {
  const owners = new Set<string>();
  for (const c of [conv, ...extra]) {
    const docs = await env.tx.getMany<InteractionDoc>(CC.interactions, c.interactionIds);
    for (const d of docs.values()) owners.add(d.ownerKey);
  }
  const doc: DecisionDoc = { decision, owners: [...owners].sort(compareStrings) };
  await env.tx.put(CC.decisions, decision.id, doc, { index: { owner: doc.owners } });
}

/** Resolves a conversation (operator decision). */
export async function resolveConversation(env: ConversationEnv, id: string): Promise<Conversation> {
  const conv = await getConversationDoc(env.tx, id);
  if (!conv) throw new NotFoundError("conversation", id);
  await env.tx.lock([`profile:${conv.profileId}`]);
  const at = env.now();
  const last = conv.interactionIds[conv.interactionIds.length - 1] as string;
  await storeDecision(env, conv, {
    kind: "resolve",
    id: stableId("cdec", "resolve", conv.id, at),
    interactionId: last,
    at: max(at, conv.lastAt),
  });
  const next = await restitchProfile(env, conv.profileId, []);
  const result = next.find((c) => c.interactionIds.includes(last)) as ConversationDoc;
  env.events.push({ type: "conversation.resolved", conversationId: result.id, at });
  return publicConversation(result);
}

/** Merges conversation `a` into `b` (operator decision); `a` then resolves to `b`. */
export async function mergeConversations(env: ConversationEnv, a: string, b: string): Promise<Conversation> {
  const from = await getConversationDoc(env.tx, a);
  if (!from) throw new NotFoundError("conversation", a);
  const into = await getConversationDoc(env.tx, b);
  if (!into) throw new NotFoundError("conversation", b);
  if (from.id === into.id) return publicConversation(into);
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
  const at = env.now();
  const latest = [from.lastAt, into.lastAt, at].reduce(max);
  await storeDecision(
    env,
    into,
    {
      kind: "merge",
      id: stableId("cdec", "merge", from.id, into.id, at),
      from: from.interactionIds[0] as string,
      into: into.interactionIds[0] as string,
      at: latest,
    },
    [from],
  );
  const next = await restitchProfile(env, into.profileId, []);
  const result = next.find((c) => c.interactionIds.includes(into.interactionIds[0] as string)) as ConversationDoc;
  await env.tx.put(CC.aliases, from.id, { target: result.id }, { index: { target: result.id } });
  return publicConversation(result);
}

/** Erases a profile's interactions, conversations and decisions (GDPR erasure). */
export async function forgetProfileData(env: ConversationEnv, profileId: string): Promise<void> {
  const { tx } = env;
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return;
  for (const key of profile.keys) {
    for (const { key: id } of await tx.find(CC.interactions, "owner", key)) await tx.delete(CC.interactions, id);
    for (const { key: id } of await tx.find(CC.decisions, "owner", key)) await tx.delete(CC.decisions, id);
  }
  for (const { key } of await tx.find(CC.conversations, "profile", profileId)) {
    await tx.delete(CC.conversations, key);
    for (const { key: alias } of await tx.find(CC.aliases, "target", key)) await tx.delete(CC.aliases, alias);
  }
}

/** What an agent in any channel sees about a customer; `offersOf` supplies the presented offers. */
export async function snapshot(
  env: ConversationEnv,
  profileId: string,
  offersOf: (profile: ProfileDoc) => Promise<Presentation[]>,
): Promise<CustomerSnapshot | null> {
  const { tx } = env;
  const profile = await tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return null;
  const idents = await tx.getMany<IdentifierDoc>(IC.identifiers, profile.keys);
  const convs = await conversationDocsOf(tx, profileId);
  const ids = convs.flatMap((c) => c.interactionIds);
  const docs = await tx.getMany<InteractionDoc>(CC.interactions, ids);
  const convOf = new Map<string, string>();
  for (const c of convs) for (const i of c.interactionIds) convOf.set(i, c.id);
  const timeline: Interaction[] = [];
  for (const id of ids) {
    const d = docs.get(id);
    if (d) timeline.push(toInteraction(d, profileId, convOf.get(id) as string));
  }
  timeline.sort((a, b) => compareStrings(a.at, b.at) || compareStrings(a.id, b.id));
  const byId = new Map(timeline.map((i) => [i.id, i]));

  const channelSwitches: ChannelSwitch[] = [];
  const alerts: Alert[] = [];
  const now = env.now();
  for (const c of convs) {
    let previous: Interaction | undefined;
    let unanswered: Interaction | undefined;
    for (const id of c.interactionIds) {
      const i = byId.get(id);
      if (!i) continue;
      if (previous && previous.channel !== i.channel) {
        channelSwitches.push({
          conversationId: c.id,
          from: previous.channel,
          to: i.channel,
          at: i.at,
          interactionId: i.id,
        });
      }
      previous = i;
      if (i.direction === "inbound") unanswered ??= i;
      else unanswered = undefined;
    }
    if (c.status !== "open") continue;
    if (unanswered) {
      const due = add(
        new Date(unanswered.at),
        env.conversations.sla(unanswered.channel) as import("date-fns").Duration,
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
  const publicConvs = convs.map(publicConversation);
  const identifiers = profile.keys.flatMap((key) => {
    const d = idents.get(key);
    return d ? [{ type: d.type, value: d.value, firstSeen: d.firstSeen, lastSeen: d.lastSeen, count: d.count }] : [];
  });
  return {
    profile: { id: profile.id, traits: profile.traits, createdAt: profile.createdAt, updatedAt: profile.updatedAt },
    identifiers,
    openConversations: publicConvs
      .filter((c) => c.status === "open")
      .map((c) => ({
        ...c,
        latest: c.interactionIds.slice(-5).flatMap((i) => (byId.has(i) ? [byId.get(i) as Interaction] : [])),
      })),
    conversations: publicConvs,
    timeline,
    channelSwitches,
    offers: await offersOf(profile),
    alerts,
  };
}

function toInteraction(d: InteractionDoc, profileId: string, conversationId: string): Interaction {
  const { ownerKey: _o, continuesVia: _c, messageId: _m, refs: _r, ...rest } = d;
  return { ...rest, profileId, conversationId };
}

function max(a: string, b: string): string {
  return compareStrings(a, b) >= 0 ? a : b;
}

/** Every conversation and interaction in the store, in public shape (journey metrics, exports). */
export async function everything(
  env: ConversationEnv,
): Promise<{ conversations: Conversation[]; interactions: Interaction[] }> {
  const convs = (await env.tx.scan<ConversationDoc>(CC.conversations)).map((d) => d.value);
  const convOf = new Map<string, ConversationDoc>();
  for (const c of convs) for (const i of c.interactionIds) convOf.set(i, c);
  const interactions: Interaction[] = [];
  for (const { value } of await env.tx.scan<InteractionDoc>(CC.interactions)) {
    const c = convOf.get(value.id);
    if (c) interactions.push(toInteraction(value, c.profileId, c.id));
  }
  return { conversations: convs.map(publicConversation), interactions };
}
