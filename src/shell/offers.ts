/**
 * The offers part of the shell: the catalogue, presentations, consents, and building the facts
 * the pure rule engine evaluates.
 */
import type { z } from "zod";
import { compareStrings, stableId } from "../_lib/hash.js";
import { ConflictError, NotFoundError } from "../errors.js";
import { linkAnchor } from "../identity/graph/resolveIdentities.js";
import { compareVersions, findVersion, versionAt, versionRecordedBy } from "../offers/_lib/catalogue.js";
import { auditPresentations } from "../offers/auditPresentations.js";
import { evaluateRules } from "../offers/evaluateRules.js";
import type { FactsConversation, OfferFacts, RuleSet } from "../offers/types.js";
import type { ConsentInput, OfferInput, PresentationInput } from "../schema/inputs.js";
import type { Consent, OfferVersion, Presentation, Violation } from "../schema/outputs.js";
import { toIso } from "../schema/primitives.js";
import { batchOf } from "../storage/port.js";
import {
  C as IC,
  type IdentifierDoc,
  membersOf,
  OC,
  type OfferDoc,
  ownerOfProfile,
  type ProfileDoc,
  profileIdsOf,
  profileIdsOfKeys,
  type StoredConsent,
  type StoredPresentation,
} from "./_lib/schema.js";
import { type ConversationEnv, conversationDocsOf, profilesOfCustomer, resolveCustomerInTx } from "./conversations.js";
import { contentDigest } from "./digest.js";
import { assertUsable, normalizeObservation } from "./identity.js";

/** The environment of offer operations. */
export interface OfferEnv extends ConversationEnv {
  offers: RuleSet;
}

/**
 * Defines an offer: a new version recorded at `input.at` (default: now). A definition identical
 * to the version in effect at that time changes nothing, so replaying a catalogue's history is
 * idempotent. Versions are numbered in the order they arrive and kept in the order they were
 * recorded (`definedAt`).
 */
export async function defineOffer(env: OfferEnv, input: z.output<typeof OfferInput>): Promise<OfferVersion> {
  const { tx } = env;
  await tx.lock([`offer:${input.id}`]);
  const doc = (await tx.get<OfferDoc>(OC.offers, input.id)) ?? { id: input.id, versions: [] };
  const definedAt = input.at === undefined ? env.now() : toIso(input.at);
  const current = versionRecordedBy(doc.versions, definedAt);
  const definition: Omit<OfferVersion, "version" | "definedAt"> = {
    id: input.id,
    name: input.name,
    category: input.category,
    terms: input.terms,
  };
  if (input.channels !== undefined) definition.channels = input.channels;
  if (input.channelTerms !== undefined) definition.channelTerms = input.channelTerms;
  if (input.validFrom !== undefined) definition.validFrom = toIso(input.validFrom);
  if (input.validTo !== undefined) definition.validTo = toIso(input.validTo);
  if (input.eligibility !== undefined) definition.eligibility = input.eligibility;
  if (input.exclusiveGroup !== undefined) definition.exclusiveGroup = input.exclusiveGroup;
  if (current) {
    const { version: _v, definedAt: _d, ...terms } = current;
    if (JSON.stringify(terms) === JSON.stringify(JSON.parse(JSON.stringify(definition)))) return current;
  }
  const number = doc.versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
  const version: OfferVersion = { ...definition, version: number, definedAt };
  const versions = [...doc.versions, version].sort(compareVersions);
  await tx.put(OC.offers, input.id, { id: input.id, versions });
  env.events.push({ type: "offer.defined", offerId: input.id, version: version.version, at: version.definedAt });
  return version;
}

async function catalogue(env: OfferEnv): Promise<Map<string, OfferVersion[]>> {
  const out = new Map<string, OfferVersion[]>();
  for (const { value } of await env.tx.scan<OfferDoc>(OC.offers)) out.set(value.id, value.versions);
  return out;
}

async function profileOf(env: OfferEnv, profileId: string): Promise<ProfileDoc> {
  const profile = await env.tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) throw new NotFoundError("profile", profileId);
  return profile;
}

async function ownedBy<T>(env: OfferEnv, collection: string, profile: ProfileDoc): Promise<T[]> {
  const out: T[] = [];
  const keys = await membersOf(env.tx, profile);
  for (const { value } of await batchOf(env.tx).findMany<T>(collection, "owner", keys)) out.push(value);
  return out;
}

const byAtId = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  compareStrings(a.at, b.at) || compareStrings(a.id, b.id);

function strip<T extends { ownerKey: string }>(
  doc: T,
  profileId: string,
): Omit<T, "ownerKey" | "digest"> & { profileId: string } {
  const { ownerKey: _o, digest: _d, ...rest } = doc as T & { digest?: string };
  return { ...rest, profileId };
}

/**
 * A stored presentation under the offer version in effect at its time: the latest recorded at or
 * before it, so that a version imported later with an earlier `at` is taken into account. When no
 * version was recorded by then (a catalogue defined after the history it applies to, without
 * `at`), it keeps the version that was current when it was presented. The object is returned as it
 * is when its stored version is still the one in effect.
 */
function inEffect<P extends Presentation>(cat: ReadonlyMap<string, readonly OfferVersion[]>, p: P): P {
  const version = versionRecordedBy(cat.get(p.offerId), p.at)?.version;
  return version === undefined || version === p.offerVersion ? p : { ...p, offerVersion: version };
}

/**
 * The facts the rules see for one presentation of a profile, under `offerVersion` (a recorded
 * presentation's), else under the version in effect at its time. `order` places it among the
 * stored presentations: the history is those before it.
 */
async function buildFacts(
  env: OfferEnv,
  profile: ProfileDoc,
  presentation: OfferFacts["presentation"],
  order: { at: string; id: string },
  offerVersion?: number,
): Promise<OfferFacts> {
  const cat = await catalogue(env);
  const versions = cat.get(presentation.offerId);
  const offer = offerVersion === undefined ? versionAt(versions, presentation.at) : findVersion(versions, offerVersion);
  if (!versions || !offer) throw new NotFoundError("offer", presentation.offerId);
  // Stored presentations are passed as they are (no copy per presentation, unless a later
  // catalogue version applies to them): rules never read a history entry's profileId, which may
  // name a profile the customer had before a merge.
  const history = (await ownedBy<StoredPresentation>(env, OC.presentations, profile))
    .filter((p) => byAtId(p, order) < 0)
    .sort(byAtId)
    .map((p) => inEffect(cat, p));
  const convs = await conversationDocsOf(env.tx, profile.id);
  const consents = (await ownedBy<StoredConsent>(env, OC.consents, profile))
    .map((c) => strip(c, profile.id))
    .sort(byAtId);
  const tags = [...new Set(convs.flatMap((c) => c.tags))].sort(compareStrings);
  return {
    now: presentation.at,
    presentation,
    offer,
    versions,
    catalogue: cat,
    profile: { id: profile.id, traits: profile.traits, tags },
    history,
    conversations: convs.map(toFactsConversation),
    consents,
  };
}

function toFactsConversation(c: Awaited<ReturnType<typeof conversationDocsOf>>[number]): FactsConversation {
  const { absorbed: _a, firstInteractionId: _f, lastInteractionId: _l, lastChannel: _c, unanswered: _u, ...rest } = c;
  return rest;
}

/** A violation of a check: a check stores nothing, so there is no presentation to name. */
function withoutPresentation(v: Violation): Omit<Violation, "presentationId"> {
  const { presentationId: _p, ...rest } = v;
  return rest;
}

/**
 * Evaluates a presentation without writing anything, under the offer version in effect at its
 * time. Its violations carry no `presentationId`.
 */
export async function check(
  env: OfferEnv,
  input: z.output<typeof PresentationInput>,
): Promise<{ ok: boolean; violations: Array<Omit<Violation, "presentationId">> }> {
  const { profileId, ownerKey } = await readOnlyCustomer(env, input.customer);
  const at = toIso(input.at);
  const presentation = {
    profileId: profileId ?? "",
    offerId: input.offerId,
    channel: input.channel,
    at,
    terms: input.terms,
  };
  let facts: OfferFacts;
  if (profileId === null) {
    // An unknown customer has no history: evaluate against an empty profile.
    const cat = await catalogue(env);
    const versions = cat.get(input.offerId);
    const offer = versionAt(versions, at);
    if (!versions || !offer) throw new NotFoundError("offer", input.offerId);
    facts = {
      now: at,
      presentation,
      offer,
      versions,
      catalogue: cat,
      profile: { id: "", traits: {}, tags: [] },
      history: [],
      conversations: [],
      consents: [],
    };
  } else {
    // Ordered as the presentation would be once recorded, so that one already recorded with
    // the same content is not counted as its own history.
    const order = { at, id: presentationId(input, ownerKey) };
    facts = await buildFacts(env, await profileOf(env, profileId), presentation, order);
  }
  const violations = evaluateRules(env.offers, facts).map(withoutPresentation);
  return { ok: !violations.some((v) => v.severity === "error"), violations };
}

/** A customer's profile without observing anything (for `check`, which writes nothing). */
async function readOnlyCustomer(
  env: OfferEnv,
  customer: z.output<typeof PresentationInput>["customer"],
): Promise<{ profileId: string | null; ownerKey: string }> {
  if (!Array.isArray(customer)) return ownerOfProfile(env.tx, customer.profileId);
  const normalized = normalizeObservation(customer, env.options);
  assertUsable(normalized);
  const keys = normalized.identifiers.map((i) => i.key);
  const docs = await env.tx.getMany<IdentifierDoc>(IC.identifiers, keys);
  const blocked = new Set([...docs.values()].filter((d) => d.autoBlocked).map((d) => d.key));
  const ownerKey = linkAnchor(keys, blocked, env.options.rules);
  // The profile the observation would speak for; a check does not link anything new.
  const ids = await profileIdsOf(env.tx, docs.values());
  const profileId = ids.get(ownerKey) ?? [...ids.values()].sort(compareStrings)[0];
  return { profileId: profileId ?? null, ownerKey };
}

/** Records a presentation and returns the violations it caused. Idempotent on its id. */
export async function present(
  env: OfferEnv,
  owner: { profileId: string; ownerKey: string },
  input: z.output<typeof PresentationInput>,
  digest?: string,
): Promise<{ presentationId: string; violations: Violation[] }> {
  const { tx } = env;
  const { profileId, ownerKey } = owner;
  const profile = await profileOf(env, profileId);
  const at = toIso(input.at);
  const id = presentationId(input, ownerKey);
  const offerDoc = await tx.get<OfferDoc>(OC.offers, input.offerId);
  const inForce = versionAt(offerDoc?.versions, at);
  if (!offerDoc || !inForce) throw new NotFoundError("offer", input.offerId);
  const existing = await tx.get<StoredPresentation>(OC.presentations, id);
  const presentation: Presentation = existing
    ? inEffect(new Map([[offerDoc.id, offerDoc.versions]]), strip(existing, profileId))
    : {
        id,
        profileId,
        offerId: input.offerId,
        offerVersion: inForce.version,
        channel: input.channel,
        at,
        terms: input.terms,
      };
  if (input.agent !== undefined && !existing) presentation.agent = input.agent;
  if (input.externalId !== undefined && !existing) presentation.externalId = input.externalId;
  const facts = await buildFacts(env, profile, presentation, presentation, presentation.offerVersion);
  const violations = evaluateRules(env.offers, facts);
  if (!existing) {
    await tx.put(
      OC.presentations,
      id,
      digest === undefined ? { ...presentation, ownerKey } : { ...presentation, ownerKey, digest },
      {
        index: { owner: ownerKey, offer: input.offerId },
      },
    );
    env.events.push({ type: "offer.presented", presentationId: id, offerId: input.offerId, profileId, at });
    for (const violation of violations) env.events.push({ type: "offer.violation", violation, at });
  }
  return { presentationId: id, violations };
}

/**
 * Records a presentation once: when its id (from `externalId`, or from its content) is already
 * recorded, nothing is observed or written again and the stored one is evaluated. The same
 * `externalId` with other content, or for another customer, is a `conflict`.
 */
export async function presentOnce(
  env: OfferEnv,
  input: z.output<typeof PresentationInput>,
): Promise<{ presentationId: string; violations: Violation[]; duplicate: boolean }> {
  const { tx } = env;
  const read = await readOnlyCustomer(env, input.customer);
  const id = presentationId(input, read.ownerKey);
  const existing = await tx.get<StoredPresentation>(OC.presentations, id);
  const { customer: _c, externalId: _e, ...content } = input;
  const digest = contentDigest("present", { ...content, at: toIso(input.at) });
  if (existing) {
    const ownerProfile = (await profileIdsOfKeys(tx, [existing.ownerKey])).get(existing.ownerKey) ?? null;
    if (input.externalId !== undefined) {
      const customer = Array.isArray(input.customer)
        ? { identifiers: normalizeObservation(input.customer, env.options).identifiers }
        : { profileId: input.customer.profileId };
      const sameCustomer = ownerProfile !== null && (await profilesOfCustomer(env, customer)).has(ownerProfile);
      const sameContent = existing.digest === undefined || existing.digest === digest;
      if (!sameContent || !sameCustomer) {
        throw new ConflictError(
          `Presentation ${id} already has externalId "${input.externalId}" in channel ${input.channel}${sameCustomer ? " with other content" : " and belongs to another customer"}`,
          {
            existing: { presentationId: id, profileId: ownerProfile ?? existing.profileId },
            reason: sameCustomer ? "content" : "customer",
            channel: input.channel,
            externalId: input.externalId,
          },
        );
      }
    }
    if (ownerProfile !== null) {
      const result = await present(env, { profileId: ownerProfile, ownerKey: existing.ownerKey }, input);
      return { ...result, duplicate: true };
    }
  }
  const owner = await resolveCustomerInTx(env, input.customer, toIso(input.at));
  return { ...(await present(env, owner, input, digest)), duplicate: existing !== null };
}

/** The deterministic id of a presentation, the same in `check` and `present`. */
function presentationId(input: z.output<typeof PresentationInput>, ownerKey: string): string {
  return input.externalId !== undefined
    ? stableId("pres", input.channel, "ext", input.externalId)
    : stableId("pres", input.offerId, input.channel, toIso(input.at), ownerKey, JSON.stringify(input.terms));
}

/**
 * Re-evaluates recorded presentations in a range; with `customer`, only that customer's, at a
 * cost proportional to their presentations.
 */
export async function audit(
  env: OfferEnv,
  range: { from?: string; to?: string },
  customer?: ProfileDoc,
): Promise<Violation[]> {
  const { tx } = env;
  // One customer: only their presentations, through the owner index (violations are checked per
  // customer, so the result is the whole audit's violations of theirs).
  const stored = customer
    ? await ownedBy<StoredPresentation>(env, OC.presentations, customer)
    : (await tx.scan<StoredPresentation>(OC.presentations)).map((d) => d.value);
  const owners = [...new Set(stored.map((p) => p.ownerKey))];
  const ownerIds = customer ? new Map(owners.map((key) => [key, customer.id])) : await profileIdsOfKeys(tx, owners);
  const profileIds = [...new Set(ownerIds.values())];
  const profileDocs = await tx.getMany<ProfileDoc>(IC.profiles, profileIds);
  const cat = await catalogue(env);
  const presentations: Presentation[] = [];
  for (const p of stored) {
    const profileId = ownerIds.get(p.ownerKey);
    if (profileId !== undefined) presentations.push(inEffect(cat, strip(p, profileId)));
  }
  const profiles = new Map<string, { traits: ProfileDoc["traits"]; tags: string[] }>();
  const conversations = new Map<string, FactsConversation[]>();
  const consents = new Map<string, Consent[]>();
  for (const profile of profileDocs.values()) {
    const convs = await conversationDocsOf(tx, profile.id);
    profiles.set(profile.id, {
      traits: profile.traits,
      tags: [...new Set(convs.flatMap((c) => c.tags))].sort(compareStrings),
    });
    conversations.set(profile.id, convs.map(toFactsConversation));
    consents.set(
      profile.id,
      (await ownedBy<StoredConsent>(env, OC.consents, profile)).map((c) => strip(c, profile.id)),
    );
  }
  return auditPresentations(env.offers, {
    presentations,
    catalogue: cat,
    profiles,
    conversations,
    consents,
    ...range,
  });
}

/** Records a consent decision as evidence. */
export async function recordConsent(
  env: OfferEnv,
  owner: { profileId: string; ownerKey: string },
  input: z.output<typeof ConsentInput>,
): Promise<Consent> {
  const { profileId, ownerKey } = owner;
  const at = toIso(input.at);
  const id = stableId("cons", ownerKey, input.channel, input.purpose, at, String(input.granted));
  const consent: Consent = {
    id,
    profileId,
    channel: input.channel,
    purpose: input.purpose,
    granted: input.granted,
    at,
  };
  if (input.source !== undefined) consent.source = input.source;
  await env.tx.put(OC.consents, id, { ...consent, ownerKey }, { index: { owner: ownerKey } });
  env.events.push({
    type: "consent.recorded",
    profileId,
    channel: consent.channel,
    purpose: consent.purpose,
    granted: consent.granted,
    at,
  });
  return consent;
}

/** Presentations of a profile (oldest first, each under the offer version in effect then), for the agent's snapshot. */
export async function presentationsOf(env: ConversationEnv, profile: ProfileDoc): Promise<Presentation[]> {
  const stored = await ownedBy<StoredPresentation>(env as OfferEnv, OC.presentations, profile);
  const offerIds = [...new Set(stored.map((p) => p.offerId))];
  const cat = new Map<string, OfferVersion[]>();
  for (const doc of (await env.tx.getMany<OfferDoc>(OC.offers, offerIds)).values()) cat.set(doc.id, doc.versions);
  return stored.map((p) => inEffect(cat, strip(p, profile.id))).sort(byAtId);
}

/**
 * Erases a profile's presentations (with the terms it was shown) and consents. Returns the
 * presentation ids, so that the caller erases the events naming them.
 */
export async function forgetProfileData(env: OfferEnv, profileId: string): Promise<string[]> {
  const profile = await env.tx.get<ProfileDoc>(IC.profiles, profileId);
  if (!profile) return [];
  const batch = batchOf(env.tx);
  const keys = await membersOf(env.tx, profile);
  const presentations = (await batch.findMany(OC.presentations, "owner", keys)).map((d) => d.key);
  const consents = (await batch.findMany(OC.consents, "owner", keys)).map((d) => d.key);
  if (presentations.length > 0) await batch.deleteMany(OC.presentations, presentations);
  if (consents.length > 0) await batch.deleteMany(OC.consents, consents);
  return presentations;
}
