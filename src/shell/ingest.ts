/**
 * The operations of the context, each in two steps: `prepare` (validate and normalise outside
 * the transaction) and `apply` (inside it, through a {@link WriteBuffer}), plus `cc.ingest`, which
 * applies many prepared items per transaction. A single `cc.identify` is a batch of one: it runs
 * the same `apply`.
 *
 * Idempotency keys (`id` on identify, consent and the operator kinds) are kept in their own
 * collection with a digest of the content: the same key with the same content is a duplicate
 * that changes nothing, the same key with other content is a `conflict`.
 */
import type { z } from "zod";
import { normalizeMessageId } from "../conversations/messageId.js";
import {
  ConflictError,
  CustomerContextError,
  type ErrorCode,
  InvalidInputError,
  isCustomerContextError,
  NotFoundError,
  StorageFailureError,
} from "../errors.js";
import {
  ConsentInput,
  INGEST_ITEM_SCHEMAS,
  type IngestKind,
  InteractionInput,
  ObservationInput,
  OfferInput,
  PresentationInput,
} from "../schema/inputs.js";
import type {
  Consent,
  Conversation,
  CustomerContextEvent,
  IdentifyResult,
  OfferVersion,
  RecordResult,
  RevokeResult,
  Violation,
} from "../schema/outputs.js";
import { parseInput } from "../schema/parse.js";
import { type CustomerRef, type Identifier, toIso } from "../schema/primitives.js";
import { batchOf, type JsonValue, type StorageAdapter } from "../storage/port.js";
import {
  C,
  CC,
  deleteIndexed,
  IDEMPOTENCY_KEYS,
  type KeyDoc,
  membersOf,
  type ProfileDoc,
  profilesOfGroups,
  REVIEWS,
  REVOCATIONS,
  resolveProfileId,
} from "./_lib/schema.js";
import { unique } from "./_lib/unique.js";
import * as conversations from "./conversations.js";
import * as decisions from "./decisions.js";
import { contentDigest } from "./digest.js";
import * as identity from "./identity.js";
import * as offers from "./offers.js";
import * as reviews from "./reviews.js";
import type { WriteBuffer } from "./writeBuffer.js";

/** The environment of one write transaction: the shell's env over a write buffer. */
export type ApplyEnv = offers.OfferEnv & { buffer: WriteBuffer };

/** A validated item, ready to apply. */
export type Prepared =
  | {
      kind: "identify";
      input: z.output<typeof ObservationInput>;
      at: string;
      normalized: identity.NormalizedObservation;
    }
  | { kind: "record"; prepared: conversations.PreparedInteraction }
  | { kind: "consent"; input: z.output<typeof ConsentInput> }
  | { kind: "offer"; input: z.output<typeof OfferInput> }
  | { kind: "present"; input: z.output<typeof PresentationInput> }
  | { kind: "resolve"; input: z.output<(typeof INGEST_ITEM_SCHEMAS)["resolve"]>; at: string }
  | { kind: "merge"; input: z.output<(typeof INGEST_ITEM_SCHEMAS)["merge"]>; at: string }
  | {
      kind: "unmerge";
      input: z.output<(typeof INGEST_ITEM_SCHEMAS)["unmerge"]>;
      at: string;
      key: string;
    }
  | { kind: "revoke"; input: z.output<(typeof INGEST_ITEM_SCHEMAS)["revoke"]>; at: string }
  | { kind: "forget"; input: CustomerRef; suppress: boolean; at: string };

/** What applying an item returned, and whether it changed nothing (a duplicate). */
export type Applied =
  | { kind: "identify"; result: IdentifyResult; duplicate: boolean }
  | { kind: "record"; result: RecordResult; duplicate: boolean }
  | { kind: "consent"; result: Consent; duplicate: boolean }
  | { kind: "offer"; result: OfferVersion; duplicate: boolean }
  | { kind: "present"; result: { presentationId: string; violations: Violation[] }; duplicate: boolean }
  | { kind: "resolve"; result: Conversation; duplicate: boolean }
  | { kind: "merge"; result: { profileId: string; merged: string[] }; duplicate: boolean }
  | { kind: "unmerge"; result: { profileId: string; detachedProfileId: string }; duplicate: boolean }
  | { kind: "revoke"; result: RevokeResult; duplicate: boolean }
  | { kind: "forget"; result: boolean; duplicate: boolean };

/** What preparing needs: the compiled options and the clock. */
export interface PrepareContext {
  identity: identity.IdentityEnv["options"];
  conversations: conversations.CompiledConversationOptions;
  now: () => string;
}

const KINDS = Object.keys(INGEST_ITEM_SCHEMAS) as IngestKind[];

/**
 * Validates one ingest item `{ kind, ...input }` and prepares it; throws the typed error of a bad
 * item (`invalid_input` naming the field, `refused` for unusable identifiers).
 */
export function prepareItem(item: unknown, ctx: PrepareContext): Prepared {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new InvalidInputError("ingest item", [
      { path: [], code: "invalid_type", message: "must be an object { kind, ...input }" },
    ]);
  }
  const { kind, ...input } = item as { kind?: unknown };
  if (typeof kind !== "string" || !KINDS.includes(kind as IngestKind)) {
    throw new InvalidInputError("ingest item", [
      {
        path: ["kind"],
        code: kind === undefined ? "invalid_type" : "invalid_value",
        message: kind === undefined ? "is required" : `must be one of ${KINDS.map((k) => `"${k}"`).join(", ")}`,
      },
    ]);
  }
  return prepare(kind as IngestKind, input, ctx);
}

/** Validates and prepares the input of one kind (the public methods use this too). */
export function prepare(kind: IngestKind, input: unknown, ctx: PrepareContext): Prepared {
  switch (kind) {
    case "identify": {
      const obs = parseInput(ObservationInput, input, "observation");
      const normalized = identity.normalizeObservation(obs.identifiers, ctx.identity);
      identity.assertUsable(normalized);
      return { kind, input: obs, at: obs.at === undefined ? ctx.now() : toIso(obs.at), normalized };
    }
    case "record": {
      const parsed = parseInput(InteractionInput, input, "interaction");
      return { kind, prepared: conversations.prepareInteraction(parsed, ctx.identity, ctx.conversations) };
    }
    case "consent":
      return { kind, input: parseInput(ConsentInput, input, "consent") };
    case "offer":
      return { kind, input: parseInput(OfferInput, input, "offer") };
    case "present":
      return { kind, input: parseInput(PresentationInput, input, "presentation") };
    case "resolve": {
      const r = parseInput(INGEST_ITEM_SCHEMAS.resolve, input, "resolve item");
      if (r.interaction !== undefined && "messageId" in r.interaction) {
        const messageId = normalizeMessageId(r.interaction.messageId);
        if (messageId === null) {
          throw new InvalidInputError("resolve item", [
            {
              path: ["interaction", "messageId"],
              code: "invalid_value",
              message: "must be a Message-ID such as <a1@klient.pl>",
            },
          ]);
        }
        r.interaction = { messageId };
      }
      return { kind, input: r, at: r.at === undefined ? ctx.now() : toIso(r.at) };
    }
    case "merge": {
      const m = parseInput(INGEST_ITEM_SCHEMAS.merge, input, "merge item");
      return { kind, input: m, at: m.at === undefined ? ctx.now() : toIso(m.at) };
    }
    case "unmerge": {
      const u = parseInput(INGEST_ITEM_SCHEMAS.unmerge, input, "unmerge item");
      const key = identity.keyOf(u.identifier, ctx.identity);
      return { kind, input: u, at: u.at === undefined ? ctx.now() : toIso(u.at), key };
    }
    case "forget": {
      const { suppress, profileId, identifier } = parseInput(INGEST_ITEM_SCHEMAS.forget, input, "forget item");
      const ref: CustomerRef = profileId !== undefined ? { profileId } : { identifier: identifier as Identifier };
      return { kind, input: ref, suppress: suppress === true, at: ctx.now() };
    }
    case "revoke": {
      const r = parseInput(INGEST_ITEM_SCHEMAS.revoke, input, "revoke item");
      return { kind, input: r, at: r.at === undefined ? ctx.now() : toIso(r.at) };
    }
  }
}

/**
 * Applies one prepared item inside the transaction. Every refusal met while it identified a
 * customer (identify, record, consent, present; a late observation recomputing older links
 * included) is raised as a review item.
 */
export async function apply(env: ApplyEnv, p: Prepared): Promise<Applied> {
  const refused: identity.RefusedLink[] = [];
  env.refusedLinks = refused;
  try {
    const applied = await applyItem(env, p);
    await reviews.raiseRefusals(env, refused);
    return applied;
  } finally {
    env.refusedLinks = undefined;
  }
}

async function applyItem(env: ApplyEnv, p: Prepared): Promise<Applied> {
  switch (p.kind) {
    case "identify": {
      const { id, ...content } = p.input;
      const keys = p.normalized.identifiers.map((i) => i.key);
      const { result, duplicate } = await once(
        env,
        "identify",
        id,
        content,
        keys,
        () => identifyNow(env, p),
        async (stored: IdentifyResult) => ({
          ...stored,
          profileId: (await resolveProfileId(env.tx, stored.profileId)) ?? stored.profileId,
          created: false,
          merged: [],
        }),
      );
      return { kind: p.kind, result, duplicate };
    }
    case "record": {
      const result = await conversations.recordInteraction(env, p.prepared);
      return { kind: p.kind, result, duplicate: result.duplicate };
    }
    case "consent": {
      const { id, ...content } = p.input;
      const { result, duplicate } = await once(
        env,
        "consent",
        id,
        content,
        customerKeys(env, p.input.customer),
        async () => {
          const owner = await conversations.resolveCustomerInTx(env, p.input.customer, toIso(p.input.at));
          return offers.recordConsent(env, owner, p.input);
        },
        async (stored: Consent) => ({
          ...stored,
          profileId: (await resolveProfileId(env.tx, stored.profileId)) ?? stored.profileId,
        }),
      );
      return { kind: p.kind, result, duplicate };
    }
    case "offer": {
      const events = env.events.length;
      const result = await offers.defineOffer(env, p.input);
      return { kind: p.kind, result, duplicate: env.events.length === events };
    }
    case "present": {
      const { duplicate, ...result } = await offers.presentOnce(env, p.input);
      return { kind: p.kind, result, duplicate };
    }
    case "resolve": {
      const { id, ...content } = p.input;
      const { result, duplicate } = await once(
        env,
        "resolve",
        id,
        content,
        (conv) => anchorsOf(env, conv.profileId),
        async () =>
          conversations.resolveConversation(
            { ...env, now: () => p.at },
            await conversationOfItem(env, p.input),
            p.input.at === undefined ? {} : { at: p.at },
          ),
        async (stored) => (await conversations.getConversation(env.tx, stored.id)) ?? stored,
      );
      return { kind: p.kind, result, duplicate };
    }
    case "merge": {
      const { id, ...content } = p.input;
      const { result, duplicate } = await once(
        env,
        "merge",
        id,
        content,
        (r) => anchorsOf(env, r.profileId),
        async () => {
          const [a, b] = [await targetProfileId(env, p.input.a), await targetProfileId(env, p.input.b)];
          const { profileId, merged } = await decisions.operatorMerge(env, a, b, {
            reason: p.input.reason,
            by: p.input.by,
            at: p.at,
          });
          return { profileId, merged };
        },
        async (stored: { profileId: string; merged: string[] }) => ({
          profileId: (await resolveProfileId(env.tx, stored.profileId)) ?? stored.profileId,
          merged: [],
        }),
      );
      return { kind: p.kind, result, duplicate };
    }
    case "unmerge": {
      const { id, ...content } = p.input;
      const { result, duplicate } = await once(
        env,
        "unmerge",
        id,
        { ...content, identifier: p.key },
        async (r) => [p.key, ...(await anchorsOf(env, r.profileId, r.detachedProfileId))],
        async () => {
          const profileId = await targetProfileId(
            env,
            p.input.profileId === undefined ? { identifier: p.input.identifier } : p.input.profileId,
          );
          const r = await identity.unmergeIdentifier(env, profileId, p.key, {
            reason: p.input.reason,
            by: p.input.by,
            at: p.at,
          });
          await conversations.restitchAfter(env, r.change);
          return { profileId: r.profileId, detachedProfileId: r.detachedProfileId };
        },
        async (stored: { profileId: string; detachedProfileId: string }) => ({
          profileId: (await resolveProfileId(env.tx, stored.profileId)) ?? stored.profileId,
          detachedProfileId: (await resolveProfileId(env.tx, stored.detachedProfileId)) ?? stored.detachedProfileId,
        }),
      );
      return { kind: p.kind, result, duplicate };
    }
    case "revoke": {
      const { id, ...content } = p.input;
      let again = false;
      const { result, duplicate } = await once(
        env,
        "revoke",
        id,
        content,
        (r) => anchorsOf(env, ...r.profileIds),
        async () => {
          const { duplicate: repeated, ...r } = await decisions.revokeDecision(env, p.input.decisionId, {
            reason: p.input.reason,
            by: p.input.by,
            at: p.at,
          });
          again = repeated;
          if (!repeated) await reviews.reopenReviewsOf(env, r.decisionId);
          return r;
        },
        async (stored: RevokeResult) => stored,
      );
      return { kind: p.kind, result, duplicate: duplicate || again };
    }
    case "forget": {
      const result = await forgetNow(env, p.input, p.at, p.suppress ? { suppress: true } : {});
      return { kind: p.kind, result, duplicate: !result };
    }
  }
}

/** The current id of the profile an operator item names (an id or a customer reference); `not_found` if none. */
async function targetProfileId(env: ApplyEnv, target: string | CustomerRef): Promise<string> {
  const ref = typeof target === "string" ? { profileId: target } : target;
  const id = await refToProfileId(env, ref);
  if (id) return id;
  throw new NotFoundError(
    "profile",
    "profileId" in ref ? ref.profileId : `${ref.identifier.type}:${ref.identifier.value}`,
  );
}

/** The conversation a `resolve` item names: by its id, or by an interaction in it. */
async function conversationOfItem(
  env: ApplyEnv,
  item: z.output<(typeof INGEST_ITEM_SCHEMAS)["resolve"]>,
): Promise<string> {
  if (item.interaction === undefined) return item.conversationId as string;
  const found = await conversations.conversationOfInteractionRef(env.tx, item.interaction);
  if (found === null) {
    const ref = item.interaction;
    throw new NotFoundError(
      "interaction",
      "messageId" in ref ? `<${ref.messageId}>` : `${ref.channel}/${ref.externalId}`,
    );
  }
  return found;
}

/** The identifier key a profile is filed under (its anchor), for cleaning keys up on forget. */
async function anchorsOf(env: ApplyEnv, ...profileIds: string[]): Promise<string[]> {
  const docs = await env.tx.getMany<ProfileDoc>(C.profiles, profileIds);
  return [...docs.values()].map((d) => d.anchor);
}

async function identifyNow(env: ApplyEnv, p: Extract<Prepared, { kind: "identify" }>): Promise<IdentifyResult> {
  const obs = p.input;
  const result = await identity.observe(env, {
    identifiers: p.normalized.identifiers,
    at: p.at,
    ...(obs.channel !== undefined ? { channel: obs.channel } : {}),
    ...(obs.source !== undefined ? { source: obs.source } : {}),
    ...(obs.traits !== undefined ? { traits: obs.traits } : {}),
  });
  await conversations.restitchAfter(env, result.change);
  let profileId = result.profileId;
  const merged = [...result.merged];
  if (obs.traits !== undefined && env.options.fuzzy !== undefined) {
    for (const change of await reviews.matchAndReview(env, profileId, p.at)) {
      await conversations.restitchAfter(env, change);
      for (const [into, absorbed] of change.absorbed) {
        merged.push(...absorbed);
        if (absorbed.includes(profileId)) profileId = into;
      }
    }
  }
  return {
    profileId,
    created: result.created,
    merged: merged.filter((id) => id !== profileId),
    refused: [...p.normalized.refused, ...result.refused],
  };
}

/**
 * Erases a customer and everything of theirs: documents, idempotency keys and the events naming
 * their ids (one bulk `deleteEventsNaming` at the end, which also drops the events this
 * transaction produced about them); neighbour profiles left with no evidence go too. With
 * `suppress`, a keyed hash of each of their identifiers stays, and later input naming one is
 * refused. False when the customer is unknown.
 */
export async function forgetNow(
  env: ApplyEnv,
  ref: CustomerRef,
  at: string,
  options: { suppress?: boolean } = {},
): Promise<boolean> {
  const id = await refToProfileId(env, ref);
  if (!id) return false;
  const membersOfProfile = async (profileId: string) => {
    const profile = await env.tx.get<ProfileDoc>(C.profiles, profileId);
    return profile ? membersOf(env.tx, profile) : null;
  };
  if (options.suppress === true) await identity.suppressIdentifiers(env, (await membersOfProfile(id)) ?? [], at);
  const names: string[] = [];
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const keys = await membersOfProfile(next);
    if (keys === null) continue;
    await deleteIndexed(env.buffer, IDEMPOTENCY_KEYS, "ident", keys);
    names.push(...(await conversations.forgetProfileData(env, next)));
    names.push(...(await offers.forgetProfileData(env, next)));
    await deleteIndexed(env.tx, REVOCATIONS, "ident", keys);
    await deleteIndexed(env.tx, REVIEWS, "ident", keys);
    const result = await identity.forgetProfile(env, next, at);
    names.push(...result.names);
    queue.push(...result.orphans);
    await conversations.restitchAfter(env, result.change);
  }
  await env.buffer.deleteEventsNaming(names);
  return true;
}

/** The current profile id a reference names, or null. */
export async function refToProfileId(env: identity.IdentityEnv, ref: CustomerRef): Promise<string | null> {
  if ("profileId" in ref) return resolveProfileId(env.tx, ref.profileId);
  return identity.profileIdOfIdentifier(env.tx, ref.identifier, env.options);
}

function customerKeys(env: ApplyEnv, customer: z.output<typeof ConsentInput>["customer"]): string[] {
  if (!Array.isArray(customer)) return [];
  return identity.normalizeObservation(customer, env.options).identifiers.map((i) => i.key);
}

/**
 * Runs `apply` once per idempotency key: a key seen with the same content returns the stored
 * result (revived, e.g. with current profile ids) and writes nothing.
 */
async function once<R>(
  env: ApplyEnv,
  kind: string,
  id: string | undefined,
  content: unknown,
  keys: readonly string[] | ((result: R) => Promise<string[]>),
  run: () => Promise<R>,
  revive: (stored: R) => Promise<R>,
): Promise<{ result: R; duplicate: boolean }> {
  if (id === undefined) return { result: await run(), duplicate: false };
  const docKey = `${kind}:${id}`;
  const digest = contentDigest(kind, content);
  const doc = await env.tx.get<KeyDoc>(IDEMPOTENCY_KEYS, docKey);
  if (doc) {
    if (doc.digest !== digest) {
      throw new ConflictError(`The ${kind} with id "${id}" was already applied with other content`, {
        kind,
        id,
        existing: doc.result,
      });
    }
    return { result: await revive(doc.result as R), duplicate: true };
  }
  const result = await run();
  const stored: KeyDoc = { kind, id, digest, result: JSON.parse(JSON.stringify(result)) as JsonValue };
  const owners = typeof keys === "function" ? await keys(result) : [...keys];
  await env.tx.put(IDEMPOTENCY_KEYS, docKey, stored, owners.length > 0 ? { index: { ident: owners } } : undefined);
  return { result, duplicate: false };
}

/** Options of `cc.ingest`. */
export interface IngestOptions {
  /** Items per transaction. Default 500. */
  batchSize?: number;
  /** Called after every committed batch with the counts so far. */
  onProgress?: (progress: IngestProgress) => void;
  /** Cancels the ingest between items; it rejects with `aborted` and `details.committed`. */
  signal?: AbortSignal;
  /** Called for every kept item once its batch committed, with what applying it returned. */
  onResult?: (index: number, outcome: Applied) => void;
  /** Called for every rejected item once it is known to be rejected (its batch committed). */
  onReject?: (rejection: IngestRejection) => void;
}

/** Counts reported by `onProgress`. */
export interface IngestProgress {
  /** Items read from the source so far. */
  read: number;
  /** The first `committed` items of the source are done: applied, or rejected and reported. */
  committed: number;
  kept: number;
  rejected: number;
  duplicates: number;
}

/** A rejected item: its index in the source (0-based) and the typed error. */
export interface IngestRejection {
  index: number;
  error: CustomerContextError;
}

/** What `cc.ingest` did. */
export interface IngestSummary {
  /** Items read from the source. */
  read: number;
  /** Items applied (duplicates included). */
  kept: number;
  /** Bad or conflicting items, by index; they were skipped. */
  rejected: IngestRejection[];
  /** Kept items that changed nothing (already applied before). */
  duplicates: number;
  /** Profiles created. */
  profilesCreated: number;
  /** Profiles absorbed by merges. */
  merges: number;
  /** Conversations started. */
  conversations: number;
  /** Transactions committed. */
  batches: number;
}

/** Item errors that reject one item; anything else fails the batch. */
const ITEM_ERRORS = new Set<ErrorCode>(["invalid_input", "not_found", "conflict", "refused"]);

/** What `ingest` needs from the context. */
export interface IngestRuntime {
  adapterName: string;
  prepare: (item: unknown) => Prepared;
  /** Runs `fn` in one write transaction; events are delivered after the commit. */
  write: <T>(fn: (env: ApplyEnv) => Promise<T>) => Promise<T>;
}

/**
 * Reads `source`, validates every item at the edge (bad ones are reported by index and skipped)
 * and applies the good ones in batches, one transaction each. A storage failure rejects with
 * `storage_failure`, an abort with `aborted`; both say in `details.committed` how many items of
 * the source are done, so a re-run (which skips what was applied, by the idempotency keys)
 * resumes.
 */
export async function ingest(
  runtime: IngestRuntime,
  source: Iterable<unknown> | AsyncIterable<unknown>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new InvalidInputError("ingest options", [
      { path: ["batchSize"], code: "invalid_value", message: "must be an integer from 1 to 100000" },
    ]);
  }
  for (const name of ["onProgress", "onResult", "onReject"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new InvalidInputError("ingest options", [
        { path: [name], code: "invalid_type", message: "must be a function" },
      ]);
    }
  }
  const summary: IngestSummary = {
    read: 0,
    kept: 0,
    rejected: [],
    duplicates: 0,
    profilesCreated: 0,
    merges: 0,
    conversations: 0,
    batches: 0,
  };
  let committed = 0;
  const pending: Array<{ index: number; prepared: Prepared }> = [];
  const earlyRejects: IngestRejection[] = [];
  const signal = options.signal;

  const aborted = () =>
    new CustomerContextError("aborted", `Ingest aborted after ${committed} committed item(s)`, {
      committed,
      rejected: summary.rejected.length,
    });

  function report(rejected: IngestRejection[]): void {
    summary.rejected.push(...rejected);
    if (options.onReject) for (const r of rejected) options.onReject(r);
  }

  async function flush(upTo: number): Promise<void> {
    if (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      let outcome: BatchOutcome;
      try {
        outcome = await runtime.write((env) => applyBatch(env, batch, signal));
      } catch (error) {
        if (isCustomerContextError(error, "aborted")) throw aborted();
        throw withCommitted(runtime.adapterName, error, committed, summary.rejected.length);
      }
      summary.batches++;
      summary.kept += outcome.kept;
      summary.duplicates += outcome.duplicates;
      summary.profilesCreated += outcome.profilesCreated;
      summary.merges += outcome.merges;
      summary.conversations += outcome.conversations;
      const rejected = [...earlyRejects.splice(0, earlyRejects.length), ...outcome.rejected];
      report(rejected.sort((a, b) => a.index - b.index));
      if (options.onResult) for (const { index, applied } of outcome.applied) options.onResult(index, applied);
    } else {
      report(earlyRejects.splice(0, earlyRejects.length));
    }
    committed = upTo;
    options.onProgress?.({
      read: summary.read,
      committed,
      kept: summary.kept,
      rejected: summary.rejected.length,
      duplicates: summary.duplicates,
    });
  }

  for await (const item of source as AsyncIterable<unknown>) {
    if (signal?.aborted) throw aborted();
    const index = summary.read++;
    try {
      pending.push({ index, prepared: runtime.prepare(item) });
    } catch (error) {
      if (!isCustomerContextError(error) || !ITEM_ERRORS.has(error.code)) throw error;
      earlyRejects.push({ index, error });
    }
    if (pending.length >= batchSize) await flush(summary.read);
  }
  if (signal?.aborted) throw aborted();
  if (pending.length > 0 || earlyRejects.length > 0) await flush(summary.read);
  return summary;
}

interface BatchOutcome {
  kept: number;
  duplicates: number;
  profilesCreated: number;
  merges: number;
  conversations: number;
  rejected: IngestRejection[];
  applied: Array<{ index: number; applied: Applied }>;
}

/** Applies a batch in one transaction; each item has a savepoint, so a refused item leaves nothing. */
async function applyBatch(
  env: ApplyEnv,
  batch: ReadonlyArray<{ index: number; prepared: Prepared }>,
  signal: AbortSignal | undefined,
): Promise<BatchOutcome> {
  // The adapter may run this function again (a lock restart): start from zero every time.
  const out: BatchOutcome = {
    kept: 0,
    duplicates: 0,
    profilesCreated: 0,
    merges: 0,
    conversations: 0,
    rejected: [],
    applied: [],
  };
  // How many identify items the next bulk run reads: it doubles while runs apply whole, and
  // shrinks to twice what the last run applied, so late items cost only a constant more reads.
  let window = batch.length;
  // After a bulk run that applied nothing (its first item is late evidence), the next `single`
  // items go one by one without a bulk attempt: on out-of-order input every attempt would read
  // the run only to give up. The pause doubles while attempts keep failing (up to 64 items) and
  // ends with the first attempt that applies something. Either path gives the same results.
  let single = 0;
  let pause = 1;
  for (let i = 0; i < batch.length; ) {
    if (signal?.aborted) throw new CustomerContextError("aborted", "Ingest aborted", {});
    // A run of identify and record items goes through the bulk resolver and recorder: one read
    // and one resolution for the run, with the same results as one by one. Whatever they cannot
    // take is applied singly.
    const run = single > 0 ? [] : bulkRun(env, batch, i, window);
    if (single > 0) single--;
    if (run.length > 1) {
      const mark = env.buffer.mark();
      const events = env.events.length;
      let done: Applied[] = [];
      try {
        done = run.every((r) => r.prepared.kind === "identify")
          ? await identifyMany(
              env,
              run.map((r) => r.prepared as IdentifyItem),
            )
          : await recordMany(
              env,
              run.map((r) => r.prepared),
            );
      } catch (error) {
        if (!isCustomerContextError(error) || !ITEM_ERRORS.has(error.code)) throw error;
        env.buffer.rollbackTo(mark);
        env.events.length = events;
        done = [];
      }
      window = done.length === run.length ? Math.min(window * 2, 4096) : Math.max(2, done.length * 2);
      // A run that stopped short stopped at late evidence or right after a merge: that next item
      // goes alone, instead of opening a bulk run that would read the rest only to stop again.
      if (done.length > 0 && done.length < run.length) single = 1;
      if (done.length === 0) {
        single = pause;
        pause = Math.min(pause * 2, 64);
      } else pause = 1;
      if (done.length > 0) {
        for (const [k, applied] of done.entries()) {
          out.kept++;
          out.applied.push({ index: (run[k] as (typeof run)[number]).index, applied });
        }
        for (const e of env.events.slice(events)) countEvent(out, e);
        i += done.length;
        continue;
      }
    }
    const { index, prepared } = batch[i] as (typeof batch)[number];
    i++;
    const mark = env.buffer.mark();
    const events = env.events.length;
    try {
      const applied = await apply(env, prepared);
      out.kept++;
      out.applied.push({ index, applied });
      if (applied.duplicate) out.duplicates++;
      for (const e of env.events.slice(events)) countEvent(out, e);
    } catch (error) {
      if (!isCustomerContextError(error) || !ITEM_ERRORS.has(error.code)) throw error;
      env.buffer.rollbackTo(mark);
      env.events.length = events;
      out.rejected.push({ index, error });
    }
  }
  return out;
}

type IdentifyItem = Extract<Prepared, { kind: "identify" }>;
type RecordItem = Extract<Prepared, { kind: "record" }>;

/**
 * Up to `limit` identify and record items from `start` on, for the bulk resolver and recorder
 * (they apply what they can of them). With fuzzy matching on, an identify item with traits ends
 * the run, because matching it against the profiles that exist at its time (reviews and
 * auto-merges, {@link reviews.matchAndReview}) is work one by one.
 */
function bulkRun(
  env: ApplyEnv,
  batch: ReadonlyArray<{ index: number; prepared: Prepared }>,
  start: number,
  limit: number,
): Array<{ index: number; prepared: IdentifyItem | RecordItem }> {
  const run: Array<{ index: number; prepared: IdentifyItem | RecordItem }> = [];
  for (let i = start; i < batch.length && run.length < limit; i++) {
    const { index, prepared } = batch[i] as (typeof batch)[number];
    if (prepared.kind !== "identify" && prepared.kind !== "record") break;
    if (prepared.kind === "identify" && prepared.input.traits !== undefined && env.options.fuzzy) break;
    run.push({ index, prepared });
  }
  return run;
}

/** How many of the items come before the first identify item whose idempotency key is stored or repeats. */
async function beforeKnownKeys(env: ApplyEnv, items: ReadonlyArray<IdentifyItem | RecordItem>): Promise<number> {
  const docKeys = items.map((p) =>
    p.kind === "identify" && p.input.id !== undefined ? `identify:${p.input.id}` : undefined,
  );
  const named = docKeys.filter((k): k is string => k !== undefined);
  if (named.length === 0) return items.length;
  const stored = await env.tx.getMany<KeyDoc>(IDEMPOTENCY_KEYS, [...new Set(named)]);
  const seen = new Set<string>();
  for (const [i, k] of docKeys.entries()) {
    if (k === undefined) continue;
    if (stored.has(k) || seen.has(k)) return i;
    seen.add(k);
  }
  return items.length;
}

/** What an identify item applied in bulk returns, as {@link apply} would: its idempotency key written. */
async function identified(env: ApplyEnv, p: IdentifyItem, r: identity.ObserveResult): Promise<Applied> {
  await conversations.restitchAfter(env, r.change);
  const result: IdentifyResult = {
    profileId: r.profileId,
    created: r.created,
    merged: r.merged.filter((id) => id !== r.profileId),
    refused: [...p.normalized.refused, ...r.refused],
  };
  const { id, ...content } = p.input;
  if (id !== undefined) {
    const stored: KeyDoc = {
      kind: "identify",
      id,
      digest: contentDigest("identify", content),
      result: JSON.parse(JSON.stringify(result)) as JsonValue,
    };
    const owners = p.normalized.identifiers.map((x) => x.key);
    await env.tx.put(IDEMPOTENCY_KEYS, `identify:${id}`, stored, { index: { ident: owners } });
  }
  return { kind: "identify", result, duplicate: false };
}

/** The observation of an identify item, as identity takes it. */
function observationOf(p: IdentifyItem): identity.ObserveInput {
  return {
    identifiers: p.normalized.identifiers,
    at: p.at,
    ...(p.input.channel !== undefined ? { channel: p.input.channel } : {}),
    ...(p.input.source !== undefined ? { source: p.input.source } : {}),
    ...(p.input.traits !== undefined ? { traits: p.input.traits } : {}),
  };
}

/**
 * Applies a run of identify items with the bulk resolver ({@link identity.observeMany}) and
 * returns what each item of the prefix it applied returned, exactly as {@link apply} would one by
 * one. It stops before an item whose idempotency key is already stored or repeats in the run.
 */
async function identifyMany(env: ApplyEnv, items: readonly IdentifyItem[]): Promise<Applied[]> {
  const limit = await beforeKnownKeys(env, items);
  if (limit === 0) return [];
  const applied = items.slice(0, limit);
  const results = await identity.observeMany(env, applied.map(observationOf), {
    restitchNeeded: (ids) => conversations.hasStitchState(env, ids),
  });
  await reviews.raiseRefusals(
    env,
    results.flatMap((r) => r.refusedLinks),
  );
  const out: Applied[] = [];
  for (const [i, r] of results.entries()) out.push(await identified(env, applied[i] as IdentifyItem, r));
  return out;
}

/**
 * Applies a run of record and identify items with the bulk recorder
 * ({@link conversations.recordMany}) and returns what each item of the prefix it applied
 * returned, exactly as {@link apply} would one by one, review items for refused links included.
 * It stops before an identify item whose idempotency key is already stored or repeats in the run.
 */
async function recordMany(env: ApplyEnv, items: ReadonlyArray<IdentifyItem | RecordItem>): Promise<Applied[]> {
  const limit = await beforeKnownKeys(env, items);
  if (limit === 0) return [];
  const run = items.slice(0, limit);
  const done = await conversations.recordMany(
    env,
    run.map((p) => (p.kind === "record" ? { interaction: p.prepared } : { observation: observationOf(p) })),
  );
  await reviews.raiseRefusals(
    env,
    done.flatMap((d) => d.observed.refusedLinks),
  );
  const out: Applied[] = [];
  for (const [i, d] of done.entries()) {
    const p = run[i] as IdentifyItem | RecordItem;
    out.push(
      p.kind === "identify"
        ? await identified(env, p, d.observed)
        : { kind: "record", result: d.result as RecordResult, duplicate: false },
    );
  }
  return out;
}

function countEvent(out: BatchOutcome, e: CustomerContextEvent): void {
  if (e.type === "profile.created") out.profilesCreated++;
  else if (e.type === "profile.merged") out.merges += e.absorbed.length;
  else if (e.type === "conversation.created") out.conversations++;
}

/** The error `ingest` rejects with: a storage failure says how far the source got. */
function withCommitted(adapter: string, error: unknown, committed: number, rejected: number): unknown {
  if (isCustomerContextError(error) && error.code !== "storage_failure") return error;
  const failure = error instanceof StorageFailureError ? error : new StorageFailureError(adapter, error);
  Object.assign(failure.details, { committed, rejected });
  return failure;
}

/**
 * How many distinct profiles the given profile ids are now (an absorbed id counts as the profile
 * that absorbed it), and how many conversations those profiles have: what the CLI reports after
 * an import. One read transaction of four calls whatever the number of profiles (aliases are
 * collapsed to one hop; an older chain costs a read per hop); no profile's identifiers are read.
 *
 * @example
 * ```ts
 * const { profiles, conversations } = await countProfiles(cc.storage, ["prof_a", "prof_b"]);
 * ```
 */
export async function countProfiles(
  storage: StorageAdapter,
  profileIds: Iterable<string>,
): Promise<{ profiles: number; conversations: number }> {
  return storage.transaction(
    async (tx) => {
      // A profile id is a member group of its own profile, and so is an id it absorbed.
      const current = unique([...(await profilesOfGroups(tx, profileIds)).values()].map((p) => p.id));
      if (current.length === 0) return { profiles: 0, conversations: 0 };
      const conversations = await batchOf(tx).findMany(CC.conversations, "profile", current);
      return { profiles: current.length, conversations: conversations.length };
    },
    { readOnly: true },
  );
}
