/**
 * Shapes the library returns. Times are ISO 8601 strings in UTC (`toISOString()` form), so that
 * every result is JSON-serialisable and identical across storage adapters.
 *
 * @module
 */
import type { Identifier, Scalar, Terms } from "./primitives.js";

/** An identifier held by a profile, with when it was seen. */
export interface ProfileIdentifier extends Identifier {
  firstSeen: string;
  lastSeen: string;
  /** Observations that named it. */
  count: number;
}

/** Where a trait value came from. */
export interface TraitProvenance {
  value: Scalar;
  at: string;
  source?: string;
  channel?: string;
}

/** A resolved customer profile. */
export interface Profile {
  id: string;
  identifiers: ProfileIdentifier[];
  traits: Record<string, Scalar>;
  traitProvenance: Record<string, TraitProvenance>;
  /** Time of the earliest evidence. */
  createdAt: string;
  /** Time of the latest evidence. */
  updatedAt: string;
}

/** Why an identifier was not used for linking. */
export type RefusalReason = "limit" | "blocked" | "auto-blocked" | "unmerged" | "invalid";

/** An identifier that was not used for linking, and why. */
export interface Refusal {
  identifier: Identifier;
  reason: RefusalReason;
  message: string;
  /** The profile it would have been linked into, when known. */
  profileId?: string;
}

/** Result of `cc.identify`. */
export interface IdentifyResult {
  profileId: string;
  created: boolean;
  /** Profile ids absorbed into `profileId` by this observation. */
  merged: string[];
  refused: Refusal[];
}

/** A recorded interaction. */
export interface Interaction {
  id: string;
  profileId: string;
  conversationId: string;
  channel: string;
  direction: "inbound" | "outbound";
  at: string;
  identifiers: Identifier[];
  externalId?: string;
  threadKey?: string;
  caseRef?: string;
  continues?: string;
  subject?: string;
  text?: string;
  agent?: string;
  email?: { messageId: string; inReplyTo?: string; references?: string[] };
  tags: string[];
  metadata?: Record<string, unknown>;
}

/** Result of `cc.record`. */
export interface RecordResult {
  interactionId: string;
  conversationId: string;
  profileId: string;
  duplicate: boolean;
}

/** A conversation: interactions of one customer across channels, stitched by the rules. */
export interface Conversation {
  id: string;
  profileId: string;
  status: "open" | "resolved";
  channels: string[];
  /**
   * Its interactions by time. Read from the timeline index when the conversation is read; in a
   * paged `cc.context` (`timeline.limit`), only those in the page (see `interactionCount`).
   */
  interactionIds: string[];
  /**
   * How many interactions it has. Set on every conversation the library returns; optional so that
   * conversations built by hand (for the pure journey functions) need not carry it.
   */
  interactionCount?: number;
  tags: string[];
  subject?: string;
  startedAt: string;
  lastAt: string;
  resolvedAt?: string;
  /** The resolved conversation this one follows up. */
  previousId?: string;
}

/** A rule violation found by `check`, `present` or `audit`. */
export interface Violation {
  rule: string;
  severity: "error" | "warning";
  message: string;
  offerId?: string;
  channel?: string;
  profileId?: string;
  presentationId?: string;
  evidence: Record<string, unknown>;
}

/** A stored offer version. */
export interface OfferVersion {
  id: string;
  version: number;
  name: string;
  category: "marketing" | "service" | "transactional";
  terms: Terms;
  channels?: string[];
  channelTerms?: Record<string, Terms>;
  validFrom?: string;
  validTo?: string;
  eligibility?: unknown;
  exclusiveGroup?: string;
  definedAt: string;
}

/** A recorded presentation: what a customer was shown or told. */
export interface Presentation {
  id: string;
  profileId: string;
  offerId: string;
  offerVersion: number;
  channel: string;
  at: string;
  terms: Terms;
  agent?: string;
  externalId?: string;
}

/** A recorded consent decision. */
export interface Consent {
  id: string;
  profileId: string;
  channel: string;
  purpose: string;
  granted: boolean;
  at: string;
  source?: string;
}

/** Something an agent should act on. */
export interface Alert {
  kind: "unanswered" | "open-complaint";
  severity: "warning" | "error";
  message: string;
  conversationId: string;
  interactionId?: string;
  channel?: string;
  since: string;
}

/** A move of a conversation from one channel to another. */
export interface ChannelSwitch {
  conversationId: string;
  from: string;
  to: string;
  at: string;
  interactionId: string;
}

/** What an agent in any channel sees: `cc.context(ref)`. */
export interface CustomerSnapshot {
  profile: { id: string; traits: Record<string, Scalar>; createdAt: string; updatedAt: string };
  identifiers: ProfileIdentifier[];
  openConversations: Array<Conversation & { latest: Interaction[] }>;
  conversations: Conversation[];
  /** Interactions across channels, oldest first: all of them, or the page `timeline` options ask for. */
  timeline: Interaction[];
  /** Older interactions exist before the first of `timeline` (only ever `true` with `timeline.limit`). */
  timelineHasMore: boolean;
  /** Channel switches into the interactions of `timeline`. */
  channelSwitches: ChannelSwitch[];
  offers: Presentation[];
  alerts: Alert[];
}

/** What kind of operator decision a {@link Decision} is. */
export type DecisionKind = "merge" | "unmerge" | "auto-merge";

/** An operator decision that shapes a profile (`cc.profiles.decisions`). */
export interface Decision {
  id: string;
  /** `merge` and `unmerge` were made by an operator, `auto-merge` by fuzzy matching above `autoMergeAbove`. */
  kind: DecisionKind;
  at: string;
  reason: string;
  by?: string;
  /** Merges: the two identifiers joined (each side's anchor then). Unmerges: the identifier detached. */
  identifiers: Identifier[];
  /** Unmerges: the identifiers that went with the detached one, and those that stayed. */
  detached?: Identifier[];
  kept?: Identifier[];
  /** `false` for an unmerge that a later operator merge lifted. */
  active: boolean;
}

/** Result of `cc.profiles.revoke`. */
export interface RevokeResult {
  decisionId: string;
  kind: DecisionKind;
  /** The profiles that now hold the decision's identifiers. */
  profileIds: string[];
}

/** Why a {@link Review} was raised. */
export type ReviewReason = "limit" | "unmerged" | "auto-blocked" | "fuzzy";

/** Where a {@link Review} stands. */
export type ReviewStatus = "open" | "accepted" | "dismissed";

/** The evidence of a review: the refused observation, or the fuzzy match. */
export type ReviewEvidence =
  | { kind: "link"; linkId: string; identifiers: Identifier[]; at: string; message: string }
  | { kind: "fuzzy"; score: number; weights: Record<string, number>; at: string; message: string };

/** An unclear identity question for a person (`cc.profiles.reviews`). */
export interface Review {
  id: string;
  status: ReviewStatus;
  reason: ReviewReason;
  /** The two identifiers whose profiles accepting the review merges. */
  identifiers: [Identifier, Identifier];
  /** The profiles holding them now. */
  profileIds: [string, string];
  evidence: ReviewEvidence;
  /** The operator's answer, once accepted or dismissed. */
  decision?: { reason: string; by?: string; at: string; decisionId?: string };
}

/** Events delivered to `cc.subscribe` listeners after a change commits. */
export type CustomerContextEvent =
  | { type: "profile.created"; profileId: string; at: string }
  | { type: "profile.merged"; profileId: string; absorbed: string[]; at: string; reason?: string }
  | { type: "profile.split"; profileId: string; split: string[]; at: string; reason?: string }
  | { type: "profile.forgotten"; profileId: string; at: string }
  | { type: "identify.refused"; profileId: string; refusals: Refusal[]; at: string }
  | { type: "interaction.recorded"; interactionId: string; conversationId: string; profileId: string; at: string }
  | { type: "conversation.created"; conversationId: string; profileId: string; at: string }
  | { type: "conversation.merged"; conversationId: string; absorbed: string[]; at: string }
  | { type: "conversation.resolved"; conversationId: string; at: string }
  | { type: "consent.recorded"; profileId: string; channel: string; purpose: string; granted: boolean; at: string }
  | { type: "offer.defined"; offerId: string; version: number; at: string }
  | { type: "offer.presented"; presentationId: string; offerId: string; profileId: string; at: string }
  | { type: "offer.violation"; violation: Violation; at: string };

/** The `type` of a {@link CustomerContextEvent}. */
export type CustomerContextEventType = CustomerContextEvent["type"];
