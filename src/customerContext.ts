/**
 * The declared public type of a customer context: {@link CustomerContext}, its named inputs and
 * results, and the type parameters that let an application declare its identifier types and
 * channels once, so that a typo (`{ type: "emial" }`) fails to compile.
 *
 * @module
 */
import type * as z from "zod";
import type { ReadonlyDeep } from "./_lib/readonlyDeep.js";
import type { MatchSuggestion } from "./identity/fuzzy/types.js";
import type { JourneyMetrics } from "./journeys/journeyMetrics.js";
import type {
  AuditRange,
  ConsentInput,
  ContextOptions,
  ConversationDecisionOptions,
  DecisionAction,
  IngestItem,
  InteractionInput,
  ObservationInput,
  OfferInput,
  OperatorReason,
  PresentationInput,
  ReviewFilter,
} from "./schema/inputs.js";
import type {
  Consent,
  Conversation,
  CustomerContextEvent,
  CustomerSnapshot,
  Decision,
  IdentifyResult,
  OfferVersion,
  Profile,
  RecordResult,
  Refusal,
  Review,
  RevokeResult,
  Violation,
} from "./schema/outputs.js";
import type { Identifier } from "./schema/primitives.js";
import type { IngestOptions, IngestSummary } from "./shell/ingest.js";
import type { StorageAdapter } from "./storage/port.js";

/**
 * What an application may declare once, as the type parameter of `createCustomerContext`: the
 * identifier types and the channels it uses. Each defaults to `string` (anything goes).
 *
 * @example
 * ```ts
 * type Bank = { identifierTypes: "email" | "phone" | "crmId"; channels: "web" | "phone" | "branch" };
 * const cc = createCustomerContext<Bank>();
 * await cc.identify({ identifiers: [{ type: "crmId", value: "C-1" }] }); // ok
 * // await cc.identify({ identifiers: [{ type: "emial", value: "x" }] }); // does not compile
 * ```
 */
export interface CustomerContextTypes {
  identifierTypes?: string;
  channels?: string;
}

/** The identifier types declared in `T`, or `string`. */
export type IdentifierTypeOf<T extends CustomerContextTypes> = T extends { identifierTypes: infer I extends string }
  ? I
  : string;
/** The channels declared in `T`, or `string`. */
export type ChannelOf<T extends CustomerContextTypes> = T extends { channels: infer C extends string } ? C : string;

/** An identifier whose type is one of the declared identifier types. */
export interface TypedIdentifier<T extends CustomerContextTypes = CustomerContextTypes> {
  type: IdentifierTypeOf<T>;
  value: string;
}
/** `{ profileId }` or `{ identifier }`: which customer an operation is about. */
export type TypedCustomerRef<T extends CustomerContextTypes = CustomerContextTypes> =
  | { profileId: string }
  | { identifier: TypedIdentifier<T> };
/** The `customer` field of inputs: identifiers seen in the interaction, or a known profile. */
export type TypedCustomer<T extends CustomerContextTypes = CustomerContextTypes> =
  | readonly TypedIdentifier<T>[]
  | { profileId: string };

type With<Base, Fields> = Omit<Base, keyof Fields> & Fields;

/** Input of `cc.identify`. */
export type IdentifyInput<T extends CustomerContextTypes = CustomerContextTypes> = With<
  ReadonlyDeep<z.input<typeof ObservationInput>>,
  { identifiers: readonly TypedIdentifier<T>[]; channel?: ChannelOf<T> }
>;
/** Input of `cc.record`. */
export type RecordInput<T extends CustomerContextTypes = CustomerContextTypes> = With<
  ReadonlyDeep<z.input<typeof InteractionInput>>,
  { channel: ChannelOf<T>; customer: TypedCustomer<T> }
>;
/** Input of `cc.consent`. */
export type ConsentRecordInput<T extends CustomerContextTypes = CustomerContextTypes> = With<
  ReadonlyDeep<z.input<typeof ConsentInput>>,
  { channel: ChannelOf<T>; customer: TypedCustomer<T> }
>;
/** Input of `cc.offers.define`. */
export type OfferDefinition<T extends CustomerContextTypes = CustomerContextTypes> = With<
  ReadonlyDeep<z.input<typeof OfferInput>>,
  { channels?: readonly ChannelOf<T>[] }
>;
/** Input of `cc.offers.present` and `cc.offers.check`. */
export type PresentationRecordInput<T extends CustomerContextTypes = CustomerContextTypes> = With<
  ReadonlyDeep<z.input<typeof PresentationInput>>,
  { channel: ChannelOf<T>; customer: TypedCustomer<T> }
>;
/** An operator's decision: why (and optionally when and by whom). */
export type OperatorDecisionInput = ReadonlyDeep<z.input<typeof OperatorReason>>;
/** Options of `cc.conversations.resolve` and `cc.conversations.merge`: when the decision was made. */
export type ConversationDecisionInput = ReadonlyDeep<z.input<typeof ConversationDecisionOptions>>;
/** What revoking a decision, or accepting or dismissing a review, records: why, and optionally who and when. */
export type DecisionActionInput = ReadonlyDeep<z.input<typeof DecisionAction>>;
/** `{ status? }` of `cc.profiles.reviews`. */
export type ReviewFilterInput = ReadonlyDeep<z.input<typeof ReviewFilter>>;

/** Options of `profiles.forget`. */
export interface ForgetOptions {
  /**
   * Keep a suppression entry (a keyed hash) for each forgotten identifier, so that later input
   * naming one is refused with `refused` (`details.reason` `"suppressed"`) until
   * `profiles.unsuppress` lifts it. Default false.
   */
  suppress?: boolean;
}
/** A time range: `from` and `to`, both optional. */
export type TimeRange = ReadonlyDeep<z.input<typeof AuditRange>>;

/** One link of an {@link Explanation}: identifiers seen together, or an operator's merge. */
export type ExplanationEdge =
  | {
      kind: "observation";
      from: Identifier;
      to: Identifier;
      linkId: string;
      /** When the identifiers were first seen together. */
      at: string;
      lastSeen: string;
      /** How many observations saw them together. */
      count: number;
      /** Every identifier of the observation that made the link. */
      identifiers: Identifier[];
      channel?: string;
      source?: string;
    }
  | {
      kind: "operator";
      from: Identifier;
      to: Identifier;
      decisionId: string;
      at: string;
      reason: string;
      by?: string;
    };

/** An operator's split (unmerge) that still shapes the profile, or was lifted. */
export interface ExplanationSeparation {
  decisionId: string;
  identifier: Identifier;
  detached: Identifier[];
  kept: Identifier[];
  at: string;
  reason: string;
  active: boolean;
}

/** Result of `cc.profiles.explain`: the evidence path that links every identifier of a profile. */
export interface Explanation {
  profileId: string;
  /** The identifier whose earliest evidence gives the profile its id. */
  anchor: Identifier;
  identifiers: Identifier[];
  edges: ExplanationEdge[];
  /** Links that were refused (a limit, a block, an unmerge), with the link and when. */
  refused: Array<Refusal & { linkId: string; at: string }>;
  separations: ExplanationSeparation[];
}

/**
 * Result of `cc.offers.check`. A check stores nothing, so its violations carry no
 * `presentationId` (those of `present` and `audit` do).
 */
export interface OfferCheck {
  ok: boolean;
  violations: Array<Omit<Violation, "presentationId">>;
}
/** Result of `cc.offers.present`. */
export interface PresentResult {
  presentationId: string;
  violations: Violation[];
}
/** Result of `cc.profiles.merge`. */
export interface MergeResult {
  profileId: string;
  /** The profile ids absorbed into `profileId`, as `identify` reports them. */
  merged: string[];
}
/** Result of `cc.profiles.unmerge`. */
export interface UnmergeResult {
  profileId: string;
  /** The profile the identifier now belongs to (its id before the merge, when it had one). */
  detachedProfileId: string;
}

/** Result of `cc.profiles.acceptReview`: the review, and the merge it recorded. */
export interface AcceptReviewResult {
  review: Review;
  profileId: string;
  /** The profile ids absorbed into `profileId` by the merge. */
  merged: string[];
}

/** A subscriber of `cc.subscribe`. */
export type CustomerContextListener = (event: CustomerContextEvent) => void;

/**
 * The customer context that `createCustomerContext` returns: every method returns a Promise, every
 * input is validated (a bad one is an `invalid_input` naming the field, and nothing is written).
 * `T` declares the application's identifier types and channels ({@link CustomerContextTypes}).
 */
export interface CustomerContext<T extends CustomerContextTypes = CustomerContextTypes> {
  /** The storage adapter in use. */
  readonly storage: StorageAdapter;
  /** Records that identifiers were seen together, and resolves them to a profile. */
  identify(input: IdentifyInput<T>): Promise<IdentifyResult>;
  /** Records an interaction in any channel; idempotent on `(channel, externalId)` and on email Message-ID. */
  record(input: RecordInput<T>): Promise<RecordResult>;
  /**
   * What an agent in any channel needs about a customer, or `null` for an unknown one;
   * `options.timeline` pages the timeline ({@link ContextOptions}).
   */
  context(ref: TypedCustomerRef<T>, options?: ContextOptions): Promise<CustomerSnapshot | null>;
  /**
   * Applies a source of items (`{ kind, ...input }`) in batches, one transaction each: bad items are
   * reported by index and skipped, replaying the same source changes nothing.
   */
  ingest(
    source: Iterable<IngestItem | unknown> | AsyncIterable<IngestItem | unknown>,
    options?: IngestOptions,
  ): Promise<IngestSummary>;
  readonly profiles: {
    get(ref: TypedCustomerRef<T>): Promise<Profile | null>;
    find(identifier: TypedIdentifier<T>): Promise<Profile | null>;
    explain(profileId: string): Promise<Explanation>;
    suggest(ref?: TypedCustomerRef<T>): Promise<MatchSuggestion[]>;
    merge(a: string, b: string, decision: OperatorDecisionInput): Promise<MergeResult>;
    unmerge(profileId: string, identifier: TypedIdentifier<T>, decision: OperatorDecisionInput): Promise<UnmergeResult>;
    /** Erases a customer; with `suppress`, later input naming their identifiers is refused. */
    forget(ref: TypedCustomerRef<T>, options?: ForgetOptions): Promise<boolean>;
    /** Lifts the suppression `forget(ref, { suppress: true })` left on an identifier. */
    unsuppress(identifier: TypedIdentifier<T>): Promise<boolean>;
    /** The operator decisions (merge, unmerge, auto-merge) that shape a profile, oldest first. */
    decisions(ref: TypedCustomerRef<T>): Promise<Decision[]>;
    /** Withdraws a decision, as if it had never been made; revoking an auto-merge is sticky. */
    revoke(decisionId: string, action: DecisionActionInput): Promise<RevokeResult>;
    /** The review queue of unclear identity (refused links, fuzzy suggestions below `autoMergeAbove`). */
    reviews(filter?: ReviewFilterInput): Promise<Review[]>;
    /** Accepts a review item: an operator merge of its two profiles. */
    acceptReview(reviewId: string, action: DecisionActionInput): Promise<AcceptReviewResult>;
    /** Dismisses a review item: remembered, and not raised again. */
    dismissReview(reviewId: string, action: DecisionActionInput): Promise<Review>;
  };
  readonly conversations: {
    get(id: string): Promise<Conversation | null>;
    list(ref: TypedCustomerRef<T>): Promise<Conversation[]>;
    merge(a: string, b: string, options?: ConversationDecisionInput): Promise<Conversation>;
    resolve(
      conversation: string | { interaction: { channel: string; externalId: string } | { messageId: string } },
      options?: ConversationDecisionInput,
    ): Promise<Conversation>;
  };
  /** Records a per-channel, per-purpose consent decision; the latest one wins. */
  consent(input: ConsentRecordInput<T>): Promise<Consent>;
  readonly offers: {
    define(input: OfferDefinition<T>): Promise<OfferVersion>;
    present(input: PresentationRecordInput<T>): Promise<PresentResult>;
    check(input: PresentationRecordInput<T>): Promise<OfferCheck>;
    audit(range?: TimeRange): Promise<Violation[]>;
  };
  /** Calls `listener` with the customer's context now and after every change to it; returns the stop function. */
  observe(ref: TypedCustomerRef<T>, listener: (snapshot: CustomerSnapshot | null) => void): () => void;
  readonly journeys: {
    metrics(range?: TimeRange): Promise<JourneyMetrics>;
  };
  /** Registers an event listener (merges, splits, violations, …); returns the unsubscribe function. */
  subscribe(listener: CustomerContextListener): () => void;
  /** Closes the context and the adapter it created. */
  close(): Promise<void>;
}
