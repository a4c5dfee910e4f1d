import * as z from "zod";
import type { ReadonlyDeep } from "../_lib/readonlyDeep.js";
import {
  boundedNesting,
  Channel,
  Customer,
  CustomerRef,
  Duration,
  Id,
  Identifier,
  JsonObject,
  LIMITS,
  Name,
  NO_NUL,
  Scalar,
  ShortText,
  Terms,
  Traits,
  When,
} from "./primitives.js";

/**
 * An idempotency key: the same key with the same content is a duplicate and changes nothing; the
 * same key with other content is a `conflict`. The first arrival keeps the key.
 */
export const IdempotencyKey = z
  .string()
  .min(1, "must not be empty")
  .max(LIMITS.short, `must be at most ${LIMITS.short} characters long`);

/** `cc.identify(input)`: identifiers seen together, with optional traits. */
export const ObservationInput = z.strictObject({
  identifiers: z
    .array(Identifier)
    .min(1, "must name at least one identifier")
    .max(LIMITS.identifiers, `must name at most ${LIMITS.identifiers} identifiers`),
  traits: Traits.optional(),
  channel: Channel.optional(),
  at: When.optional(),
  source: Name.optional(),
  /** Idempotency key: replaying the same observation with it changes nothing. */
  id: IdempotencyKey.optional(),
});
export type ObservationInput = z.input<typeof ObservationInput>;

/** An RFC 5322 message id as given in a header, with or without angle brackets. */
const MessageIdText = z.string().min(1).max(998).regex(NO_NUL, "must not contain U+0000 (NUL)");

/** Email headers used for threading. */
export const EmailHeaders = z.strictObject({
  messageId: MessageIdText,
  inReplyTo: MessageIdText.optional(),
  references: z.array(MessageIdText).max(LIMITS.references).optional(),
});
export type EmailHeaders = z.infer<typeof EmailHeaders>;

/** `cc.record(input)`: one interaction (a message, a call, a visit) in one channel. */
export const InteractionInput = z.strictObject({
  channel: Channel,
  direction: z.enum(["inbound", "outbound"], { error: 'must be "inbound" or "outbound"' }),
  at: When,
  customer: Customer,
  externalId: ShortText.min(1).optional(),
  threadKey: ShortText.min(1).optional(),
  caseRef: ShortText.min(1).optional(),
  continues: Id.optional(),
  subject: ShortText.optional(),
  text: z
    .string()
    .max(LIMITS.text, `must be at most ${LIMITS.text} characters`)
    .regex(NO_NUL, "must not contain U+0000 (NUL)")
    .optional(),
  agent: ShortText.optional(),
  email: EmailHeaders.optional(),
  tags: z.array(Name).max(LIMITS.tags).optional(),
  metadata: JsonObject.optional(),
});
export type InteractionInput = z.input<typeof InteractionInput>;

/** `cc.consent(input)`: a per-channel, per-purpose decision. The latest decision wins. */
export const ConsentInput = z.strictObject({
  customer: Customer,
  channel: Channel,
  purpose: Name.default("marketing"),
  granted: z.boolean(),
  at: When,
  source: Name.optional(),
  /** Idempotency key: replaying the same decision with it changes nothing. */
  id: IdempotencyKey.optional(),
});
export type ConsentInput = z.input<typeof ConsentInput>;

const ConditionOp = z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "exists", "contains"]);

/** A declarative eligibility condition over profile traits and tags. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { trait: string; op: z.infer<typeof ConditionOp>; value?: Scalar | Scalar[] | undefined }
  | { tag: string; present?: boolean | undefined };

/** Schema of {@link Condition}, JSON-serialisable. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ all: z.array(Condition).min(1).max(64) }),
      z.strictObject({ any: z.array(Condition).min(1).max(64) }),
      z.strictObject({ not: Condition }),
      z.strictObject({
        trait: z.string().min(1).max(LIMITS.name).regex(NO_NUL, "must not contain U+0000 (NUL)"),
        op: ConditionOp,
        value: z.union([Scalar, z.array(Scalar).max(LIMITS.list)]).optional(),
      }),
      z.strictObject({ tag: Name, present: z.boolean().optional() }),
    ],
    { error: "must be { all }, { any }, { not }, { trait, op, value } or { tag, present }" },
  ),
);

/** `cc.offers.define(offer)`: an offer in the catalogue. Re-defining creates a new version. */
export const OfferInput = z
  .strictObject({
    id: Id,
    name: ShortText.min(1),
    category: z.enum(["marketing", "service", "transactional"], {
      error: 'must be "marketing", "service" or "transactional"',
    }),
    terms: Terms,
    channels: z.array(Channel).min(1).max(64).optional(),
    channelTerms: z.record(Channel, Terms).optional(),
    validFrom: When.optional(),
    validTo: When.optional(),
    eligibility: boundedNesting(Condition).optional(),
    exclusiveGroup: Name.optional(),
    /**
     * When this version of the catalogue was recorded (default: now). A check, presentation or
     * audit at time T uses the latest version recorded at or before T.
     */
    at: When.optional(),
  })
  .superRefine((offer, ctx) => {
    if (offer.validFrom !== undefined && offer.validTo !== undefined) {
      if (new Date(offer.validTo).getTime() < new Date(offer.validFrom).getTime()) {
        ctx.addIssue({ code: "custom", path: ["validTo"], message: "must not be before validFrom" });
      }
    }
  });
export type OfferInput = z.input<typeof OfferInput>;

/** `cc.offers.present(input)` / `cc.offers.check(input)`: what a customer was (or is about to be) shown. */
export const PresentationInput = z.strictObject({
  customer: Customer,
  offerId: Id,
  channel: Channel,
  at: When,
  terms: Terms,
  agent: ShortText.optional(),
  externalId: ShortText.min(1).optional(),
});
export type PresentationInput = z.input<typeof PresentationInput>;

/** `cc.offers.audit(range)`. */
/** `cc.offers.audit({ from?, to?, customer? })`: a time range, and optionally one customer's presentations only. */
export const AuditRange = z
  .strictObject({ from: When.optional(), to: When.optional(), customer: CustomerRef.optional() })
  .superRefine((range, ctx) => {
    if (range.from !== undefined && range.to !== undefined) {
      if (new Date(range.to).getTime() < new Date(range.from).getTime()) {
        ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
      }
    }
  });
export type AuditRange = z.input<typeof AuditRange>;

/**
 * `cc.context(ref, options)`: which page of the timeline to return. `timeline.limit` asks for the
 * newest `limit` interactions (before `timeline.before`, when given); without it, all of them.
 */
export const ContextOptions = z.strictObject({
  timeline: z
    .strictObject({
      limit: z.int("must be a whole number").min(1, "must be at least 1").optional(),
      before: When.optional(),
    })
    .optional(),
});
export type ContextOptions = z.input<typeof ContextOptions>;

/**
 * `{ reason, by?, at? }` for operator decisions (`profiles.merge`, `profiles.unmerge`): why, who,
 * and when the decision was made (default: now), so that a decision from another system's history
 * keeps its time.
 */
export const OperatorReason = z.strictObject({
  reason: z
    .string()
    .min(1, "must explain the decision")
    .max(LIMITS.short)
    .regex(NO_NUL, "must not contain U+0000 (NUL)"),
  by: ShortText.optional(),
  at: When.optional(),
});
export type OperatorReason = z.input<typeof OperatorReason>;

/**
 * `{ at? }` of `conversations.resolve` and `conversations.merge`: when the decision was made.
 * Without it, the decision is taken now, after everything recorded so far.
 */
export const ConversationDecisionOptions = z.strictObject({ at: When.optional() });
export type ConversationDecisionOptions = z.input<typeof ConversationDecisionOptions>;

/**
 * An interaction as the source system knows it: its channel and the channel's own id, or an
 * email Message-ID (with or without angle brackets).
 */
export const InteractionRef = z
  .strictObject(
    {
      channel: Channel.optional(),
      externalId: ShortText.min(1, "must be a non-empty string").optional(),
      messageId: MessageIdText.optional(),
    },
    { error: "must be { channel, externalId } or { messageId }" },
  )
  .superRefine((ref, ctx) => {
    const fail = (path: string[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (ref.messageId !== undefined) {
      if (ref.channel !== undefined || ref.externalId !== undefined) {
        fail([], "must be { channel, externalId } or { messageId }, not both");
      }
    } else if (ref.channel === undefined && ref.externalId === undefined) {
      fail([], "must be { channel, externalId } or { messageId }");
    } else if (ref.channel === undefined) {
      fail(["channel"], "is required with externalId");
    } else if (ref.externalId === undefined) {
      fail(["externalId"], "is required with channel");
    }
  })
  .transform((ref): { channel: string; externalId: string } | { messageId: string } =>
    ref.messageId !== undefined
      ? { messageId: ref.messageId }
      : { channel: ref.channel as string, externalId: ref.externalId as string },
  );
export type InteractionRef = { channel: string; externalId: string } | { messageId: string };

/**
 * `resolve` item of `cc.ingest`: closes a conversation, named by its `conversationId` or by any
 * `interaction` in it (`{ channel, externalId }` or `{ messageId }`), as a helpdesk export knows it.
 */
export const ResolveItem = z
  .strictObject({
    conversationId: Id.optional(),
    interaction: InteractionRef.optional(),
    at: When.optional(),
    id: IdempotencyKey.optional(),
  })
  .superRefine((item, ctx) => {
    if ((item.conversationId === undefined) === (item.interaction === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: item.conversationId === undefined ? ["conversationId"] : ["interaction"],
        message: "give either conversationId or interaction, exactly one of them",
      });
    }
  });

/**
 * A profile named by an operator item: its id (`"prof_…"`), or a {@link CustomerRef}
 * (`{ profileId }` or `{ identifier: { type, value } }`, the profile holding that identifier).
 */
export const ProfileTarget = z.union([Id, CustomerRef], {
  error: "must be a profile id, { profileId } or { identifier: { type, value } }",
});
export type ProfileTarget = z.input<typeof ProfileTarget>;

/**
 * `merge` item of `cc.ingest`: an operator merge of two profiles, each named by its id or by a
 * customer reference (`{ identifier }` names the profile holding it).
 */
export const MergeItem = z.strictObject({
  a: ProfileTarget,
  b: ProfileTarget,
  reason: OperatorReason.shape.reason,
  by: ShortText.optional(),
  at: When.optional(),
  id: IdempotencyKey.optional(),
});

/**
 * `unmerge` item of `cc.ingest`: an operator detaching an identifier from a profile. Without
 * `profileId`, from the profile that holds the identifier.
 */
export const UnmergeItem = z.strictObject({
  profileId: Id.optional(),
  identifier: Identifier,
  reason: OperatorReason.shape.reason,
  by: ShortText.optional(),
  at: When.optional(),
  id: IdempotencyKey.optional(),
});

/**
 * `{ reason, by?, at? }` for `cc.profiles.revoke`, `acceptReview` and `dismissReview`: why, who,
 * and when (default: the clock), so that history can be imported.
 */
export const DecisionAction = z.strictObject({
  reason: OperatorReason.shape.reason,
  by: ShortText.optional(),
  at: When.optional(),
});
export type DecisionAction = z.input<typeof DecisionAction>;

/** `revoke` item of `cc.ingest`: withdraws an operator decision (`cc.profiles.revoke`). */
export const RevokeItem = z.strictObject({
  decisionId: Id,
  reason: OperatorReason.shape.reason,
  by: ShortText.optional(),
  at: When.optional(),
  id: IdempotencyKey.optional(),
});

/** `cc.profiles.reviews({ status? })`. */
export const ReviewFilter = z.strictObject({
  status: z.enum(["open", "accepted", "dismissed"]).optional(),
});
export type ReviewFilter = z.input<typeof ReviewFilter>;

/**
 * `forget` item of `cc.ingest`: erases a customer (`{ profileId }` or `{ identifier }`). With
 * `suppress: true`, later input naming one of their identifiers is refused, as with
 * `cc.profiles.forget(ref, { suppress: true })`.
 */
export const ForgetItem = z
  .strictObject({
    profileId: Id.optional(),
    identifier: Identifier.optional(),
    suppress: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((item, ctx) => {
    if ((item.profileId === undefined) === (item.identifier === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "must name { profileId } or { identifier: { type, value } }" });
    }
  });

/** The input schema of each kind of `cc.ingest` item (the item without its `kind`). */
export const INGEST_ITEM_SCHEMAS = {
  identify: ObservationInput,
  record: InteractionInput,
  consent: ConsentInput,
  offer: OfferInput,
  present: PresentationInput,
  resolve: ResolveItem,
  merge: MergeItem,
  unmerge: UnmergeItem,
  revoke: RevokeItem,
  forget: ForgetItem,
} as const;

/** The kinds of `cc.ingest` items. */
export type IngestKind = keyof typeof INGEST_ITEM_SCHEMAS;

/** One item of `cc.ingest`: `{ kind, ...the input of that kind }` (readonly data is accepted). */
export type IngestItem =
  | {
      [K in IngestKind]: { kind: K } & ReadonlyDeep<z.input<(typeof INGEST_ITEM_SCHEMAS)[K]>>;
    }[Exclude<IngestKind, "forget">]
  | ({ kind: "forget" } & ReadonlyDeep<z.input<typeof ForgetItem>>);

export { Duration };
