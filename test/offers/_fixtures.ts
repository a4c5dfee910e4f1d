/**
 * Test fixtures for the offer rules (used by the tests only): builders for offer versions,
 * presentations and facts, and a deep freeze.
 */

import { compareAtId } from "../../src/offers/_lib/time.js";
import type { FactsConversation, OfferFacts } from "../../src/offers/types.js";
import type { Consent, OfferVersion, Presentation } from "../../src/schema/outputs.js";
import type { Scalar, Terms } from "../../src/schema/primitives.js";

/** 10:00 UTC on the given day of April 2026 (day may exceed 30 to roll into May). */
export function day(d: number, hour = 10, minute = 0): string {
  return new Date(Date.UTC(2026, 3, d, hour, minute)).toISOString();
}

/** An offer version with defaults: marketing, version 1, defined on 1 Mar 2026. */
export function offerVersion(partial: Partial<OfferVersion> & { id: string }): OfferVersion {
  return {
    version: 1,
    name: partial.id,
    category: "marketing",
    terms: {},
    definedAt: "2026-03-01T00:00:00.000Z",
    ...partial,
  };
}

/** A stored presentation with defaults: version 1, profile p1, web. */
export function presented(
  partial: Partial<Presentation> & { id: string; offerId: string; at: string; terms?: Terms },
): Presentation {
  return { profileId: "p1", offerVersion: 1, channel: "web", terms: {}, ...partial };
}

/** Every version by offer id, ordered by version. */
export function catalogueOf(versions: readonly OfferVersion[]): Map<string, OfferVersion[]> {
  const map = new Map<string, OfferVersion[]>();
  for (const v of versions) map.set(v.id, [...(map.get(v.id) ?? []), v]);
  for (const list of map.values()) list.sort((a, b) => a.version - b.version);
  return map;
}

/** What {@link factsFor} needs besides the presentation. */
export interface World {
  catalogue: readonly OfferVersion[];
  history?: readonly Presentation[];
  traits?: Record<string, Scalar>;
  tags?: string[];
  conversations?: FactsConversation[];
  consents?: Consent[];
  profileId?: string;
}

/**
 * Facts for `current` (a presentation, its `offerVersion` naming the version it is made under),
 * with the history sorted by (at, id) and cut strictly before it.
 */
export function factsFor(
  current: Presentation | (Omit<Presentation, "id"> & { id?: string }),
  world: World,
): OfferFacts {
  const catalogue = catalogueOf(world.catalogue);
  const versions = catalogue.get(current.offerId) ?? [];
  const offer = versions.find((v) => v.version === current.offerVersion);
  if (offer === undefined) throw new Error(`no version ${current.offerVersion} of ${current.offerId}`);
  const history = [...(world.history ?? [])]
    .sort(compareAtId)
    .filter((p) => compareAtId(p, { at: current.at, id: current.id ?? "\uffff" }) < 0);
  return {
    now: current.at,
    presentation: current,
    offer,
    versions,
    catalogue,
    profile: { id: world.profileId ?? current.profileId, traits: world.traits ?? {}, tags: world.tags ?? [] },
    history,
    conversations: world.conversations ?? [],
    consents: [...(world.consents ?? [])].sort(compareAtId),
  };
}

/** A conversation with defaults: open, on email, tagged per `tagsSince`. */
export function conversation(
  partial: Partial<FactsConversation> & { id: string; startedAt: string },
): FactsConversation {
  const tagsSince = partial.tagsSince ?? {};
  return {
    profileId: "p1",
    status: partial.resolvedAt === undefined ? "open" : "resolved",
    channels: ["email"],
    tags: Object.keys(tagsSince),
    lastAt: partial.startedAt,
    tagsSince,
    ...partial,
  };
}

/** Freezes an object graph (maps included: their set/delete/clear throw). */
export function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    if (Object.isFrozen(value)) return value;
    for (const [k, v] of value) {
      deepFreeze(k);
      deepFreeze(v);
    }
    const fail = () => {
      throw new TypeError("frozen map");
    };
    Object.defineProperties(value, { set: { value: fail }, delete: { value: fail }, clear: { value: fail } });
    return Object.freeze(value);
  }
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
