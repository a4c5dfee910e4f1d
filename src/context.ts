/**
 * `createCustomerContext()`: the shell. It validates inputs at the edge, runs every operation in
 * one storage transaction, calls the pure core, and delivers events after the commit.
 *
 * @module
 */
import * as z from "zod";
import { neverThrows } from "./_lib/neverThrows.js";
import type { ReadonlyDeep } from "./_lib/readonlyDeep.js";
import { memoryAdapter } from "./adapters/memory/index.js";
import { compileConversationOptions } from "./conversations/compileConversationOptions.js";
import type { CustomerContext, CustomerContextListener, CustomerContextTypes, OfferCheck } from "./customerContext.js";
import { ClosedError, InvalidInputError } from "./errors.js";
import { compileIdentityOptions } from "./identity/compileIdentityOptions.js";
import type { MatchSuggestion } from "./identity/fuzzy/types.js";
import { type JourneyMetrics, journeyMetrics } from "./journeys/journeyMetrics.js";
import { compileOfferOptions, type OfferOptionsInput } from "./offers/compileOfferOptions.js";
import {
  AuditRange,
  type ConsentInput,
  ContextOptions,
  ConversationDecisionOptions,
  DecisionAction,
  type IngestItem,
  type InteractionInput,
  InteractionRef,
  type ObservationInput,
  OfferInput,
  OperatorReason,
  PresentationInput,
  ReviewFilter,
} from "./schema/inputs.js";
import { ConversationOptions, IdentityOptions, OfferOptions } from "./schema/options.js";
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
  Review,
  RevokeResult,
  Violation,
} from "./schema/outputs.js";
import { parseInput } from "./schema/parse.js";
import { CustomerRef, Id, Identifier, isoNow, toIso } from "./schema/primitives.js";
import { C, type ProfileDoc, resolveProfileId } from "./shell/_lib/schema.js";
import * as conversations from "./shell/conversations.js";
import * as decisions from "./shell/decisions.js";
import * as identity from "./shell/identity.js";
import type { ApplyEnv, IngestOptions, IngestSummary } from "./shell/ingest.js";
import * as ingestShell from "./shell/ingest.js";
import { deliver, type Observer, Observers } from "./shell/observers.js";
import * as offers from "./shell/offers.js";
import * as reviews from "./shell/reviews.js";
import { assertAdapter, transactionRunner } from "./shell/transaction.js";
import type { StorageAdapter, StorageTransaction } from "./storage/port.js";

/** Options of {@link createCustomerContext}. */
export interface CustomerContextOptions {
  /** Where evidence and derived state live. Default: a new in-memory adapter. */
  storage?: StorageAdapter;
  /** Identifier types, limits, priority, blocked values, default phone region, fuzzy matching. */
  identity?: ReadonlyDeep<z.input<typeof IdentityOptions>>;
  /** Continuation window, reopen window, SLA, case-reference pattern, subject prefixes. */
  conversations?: ReadonlyDeep<z.input<typeof ConversationOptions>>;
  /** Built-in rule options (`false` switches a rule off) and custom rules. */
  offers?: ReadonlyDeep<OfferOptionsInput>;
  /** The time source for operations without an explicit time. Default: `() => new Date()`. */
  clock?: () => Date;
  /**
   * Called when a subscriber or an observer throws (or an observer's refresh fails); the error
   * never reaches the operation. Default: console.error.
   */
  onListenerError?: (error: unknown, source: CustomerContextEvent | { type: "observe"; ref: CustomerRef }) => void;
}

const ContextOptionsSchema = z.strictObject({
  storage: z.custom<StorageAdapter>((v) => typeof v === "object" && v !== null, "must be a storage adapter").optional(),
  identity: IdentityOptions.optional(),
  conversations: ConversationOptions.optional(),
  offers: OfferOptions.optional(),
  clock: z.custom<() => Date>((v) => typeof v === "function", "must be a function returning a Date").optional(),
  onListenerError: z.custom<(e: unknown) => void>((v) => typeof v === "function", "must be a function").optional(),
});

/** Options of `profiles.forget`. */
const ForgetOptions = z.strictObject({
  /** Keep a keyed hash of each identifier, so that later input naming one is refused. */
  suppress: z.boolean().optional(),
});

export type { CustomerContext, CustomerContextListener, CustomerContextTypes } from "./customerContext.js";

/**
 * Creates a customer context over a storage adapter (in memory by default).
 *
 * @param options - storage, identity, conversations, offers, clock
 * @returns the context
 * @throws {InvalidInputError} when an option is invalid (the `details` name the field)
 * @throws {AdapterInvalidError} when the adapter lacks a required member (all are listed)
 *
 * @example
 * ```ts
 * import { createCustomerContext } from "customer-context";
 * const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
 * const { profileId } = await cc.identify({ identifiers: [{ type: "email", value: "Jan@X.pl" }] });
 * const view = await cc.context({ profileId });
 * ```
 */
export function createCustomerContext<T extends CustomerContextTypes = CustomerContextTypes>(
  options: CustomerContextOptions = {},
): CustomerContext<T> {
  const parsed = parseInput(ContextOptionsSchema, options, "options");
  const storage = parsed.storage ?? memoryAdapter();
  assertAdapter(storage);
  const identityOptions = compileIdentityOptions(parsed.identity);
  const conversationOptions = compileConversationOptions(parsed.conversations);
  const offerOptions = compileOfferOptions(parsed.offers);
  const clock = parsed.clock ?? (() => new Date());
  const onListenerError = neverThrows(
    parsed.onListenerError ??
      ((error: unknown, source: CustomerContextEvent | { type: "observe"; ref: CustomerRef }) =>
        console.error(`customer-context: a listener of ${source.type} threw`, error)),
  );
  const listeners = new Set<CustomerContextListener>();
  let closed = false;
  const suppression: identity.SuppressionCache = {};

  type Env = ApplyEnv;
  const now = () => isoNow(clock);
  const prepareContext: ingestShell.PrepareContext = {
    identity: identityOptions,
    conversations: conversationOptions,
    now,
  };

  const observers = new Observers(
    (ref) =>
      read(async (env) => {
        const id = await refToProfileId(env.tx, ref);
        return id ? conversations.snapshot(env, id, (profile) => offers.presentationsOf(env, profile)) : null;
      }),
    () => closed,
    onListenerError,
  );
  const refreshObserver = (observer: Observer) => observers.refresh(observer);
  const run = transactionRunner({
    storage,
    env: {
      now,
      options: identityOptions,
      concurrent: storage.capabilities.multiProcess,
      suppression,
      conversations: conversationOptions,
      offers: offerOptions,
    },
    isClosed: () => closed,
    afterCommit(events, write) {
      deliver(listeners, events, onListenerError);
      if (write) observers.schedule();
    },
  });
  const write = <T>(fn: (env: Env) => Promise<T>) => run(true, fn);
  const read = <T>(fn: (env: Env) => Promise<T>) => run(false, fn);

  const context = {
    /** The storage adapter in use. */
    storage,

    /**
     * Records that identifiers were seen together, and resolves them to a profile.
     *
     * @example
     * ```ts
     * await cc.identify({ identifiers: [{ type: "email", value: "jan@x.pl" }, { type: "phone", value: "+48 601 234 567" }], channel: "web" });
     * ```
     */
    async identify(input: ReadonlyDeep<z.input<typeof ObservationInput>>): Promise<IdentifyResult> {
      const prepared = ingestShell.prepare("identify", input, prepareContext);
      return write(async (env) => (await ingestShell.apply(env, prepared)).result as IdentifyResult);
    },

    /**
     * Records an interaction in any channel; idempotent on `(channel, externalId)` and on email Message-ID.
     *
     * @example
     * ```ts
     * await cc.record({ channel: "phone", direction: "inbound", at: "2026-04-02T10:00:00Z",
     *   customer: [{ type: "phone", value: "+48601234567" }], text: "About my loan application" });
     * ```
     */
    async record(input: ReadonlyDeep<z.input<typeof InteractionInput>>): Promise<RecordResult> {
      const prepared = ingestShell.prepare("record", input, prepareContext);
      return write(async (env) => (await ingestShell.apply(env, prepared)).result as RecordResult);
    },

    /**
     * Imports many items at once: `{ kind, ...input }` for each of identify, record, consent,
     * offer (define), present, resolve, merge, unmerge and forget. Each item is validated at the
     * edge; a bad or conflicting one is reported by its index and skipped, and the good ones are
     * applied in batches of `batchSize`, one transaction each. The result equals applying the
     * items one by one. With idempotency keys (`id`, `externalId`, Message-ID), running the same
     * source again changes nothing, so a run that failed (`storage_failure`) or was aborted
     * (`aborted`, through `signal`) is resumed by running it again; `details.committed` says how
     * many items of the source were done.
     *
     * @example
     * ```ts
     * const summary = await cc.ingest([
     *   { kind: "identify", id: "crm-1", identifiers: [{ type: "email", value: "jan@x.pl" }], traits: { name: "Jan" } },
     *   { kind: "record", channel: "email", direction: "inbound", at: "2026-04-01T09:00:00Z",
     *     customer: [{ type: "email", value: "jan@x.pl" }], externalId: "ticket-7", subject: "Loan" },
     * ], { batchSize: 1000 });
     * summary.kept; // 2
     * ```
     */
    async ingest(
      source: Iterable<IngestItem | unknown> | AsyncIterable<IngestItem | unknown>,
      options: IngestOptions = {},
    ): Promise<IngestSummary> {
      if (closed) throw new ClosedError();
      if (typeof options !== "object" || options === null) {
        throw new InvalidInputError("ingest options", [
          { path: [], code: "invalid_type", message: "must be an object" },
        ]);
      }
      return ingestShell.ingest(
        {
          adapterName: storage.name,
          prepare: (item) => ingestShell.prepareItem(item, prepareContext),
          write,
        },
        source,
        options,
      );
    },

    /**
     * What an agent in any channel needs: profile, identifiers, conversations, timeline, offers, alerts.
     * Returns `null` for an unknown customer.
     *
     * `options.timeline` pages the timeline: `{ limit }` gives the newest `limit` interactions,
     * oldest first, `{ limit, before }` those strictly before `before`, and `timelineHasMore`
     * says whether older ones exist. Without `limit`, the timeline holds every interaction (before
     * `before`, when given). A page reads only its own interactions.
     *
     * @example
     * ```ts
     * const cc = createCustomerContext();
     * const phone = { type: "phone", value: "+48601234567" };
     * await cc.record({ channel: "web", direction: "inbound", at: "2026-04-01T09:00:00Z", customer: [phone] });
     * await cc.record({ channel: "phone", direction: "inbound", at: "2026-04-02T10:00:00Z", customer: [phone] });
     * await cc.record({ channel: "email", direction: "inbound", at: "2026-04-03T11:00:00Z", customer: [phone] });
     * await cc.record({ channel: "store", direction: "inbound", at: "2026-04-04T12:00:00Z", customer: [phone] });
     * const view = await cc.context({ identifier: phone });
     * view?.timeline.map((i) => i.channel); // ["web", "phone", "email", "store"]
     * const page = await cc.context({ identifier: phone }, { timeline: { limit: 2 } });
     * page?.timeline.map((i) => i.channel); // ["email", "store"]
     * page?.timelineHasMore; // true
     * ```
     */
    async context(
      ref: ReadonlyDeep<z.input<typeof CustomerRef>>,
      options: ReadonlyDeep<z.input<typeof ContextOptions>> = {},
    ): Promise<CustomerSnapshot | null> {
      const r = parseInput(CustomerRef, ref, "customer reference");
      const { timeline = {} } = parseInput(ContextOptions, options, "context options");
      const page: conversations.TimelinePage = {};
      if (timeline.limit !== undefined) page.limit = timeline.limit;
      if (timeline.before !== undefined) page.before = toIso(timeline.before);
      return read(async (env) => {
        const id = await refToProfileId(env.tx, r);
        return id ? conversations.snapshot(env, id, (profile) => offers.presentationsOf(env, profile), page) : null;
      });
    },

    profiles: {
      /**
       * A profile by id (absorbed ids resolve to the surviving profile) or by identifier; `null` if unknown.
       *
       * @example
       * ```ts
       * const profile = await cc.profiles.get({ identifier: { type: "email", value: "jan@x.pl" } });
       * ```
       */
      async get(ref: ReadonlyDeep<z.input<typeof CustomerRef>>): Promise<Profile | null> {
        const r = parseInput(CustomerRef, ref, "customer reference");
        return read(async (env) => {
          const id = await refToProfileId(env.tx, r);
          return id ? identity.readProfile(env.tx, id) : null;
        });
      },

      /**
       * The profile holding an identifier; `null` if unknown.
       *
       * @example
       * ```ts
       * const profile = await cc.profiles.find({ type: "phone", value: "601 234 567" });
       * ```
       */
      async find(identifier: ReadonlyDeep<z.input<typeof Identifier>>): Promise<Profile | null> {
        return context.profiles.get({ identifier });
      },

      /**
       * The evidence path that links every identifier of a profile, and what was refused.
       *
       * @example
       * ```ts
       * const why = await cc.profiles.explain(profileId);
       * why.edges[0]; // { kind: "observation", from, to, at, channel, source, ... }
       * ```
       */
      async explain(profileId: string) {
        const id = parseInput(Id, profileId, "profile id");
        return read((env) => identity.explainProfile(env, id));
      },

      /**
       * Fuzzy-match suggestions (with `identity.fuzzy` on): for one customer against the profiles
       * sharing a blocking key, or across all profiles. Accept one with `profiles.merge`.
       *
       * @example
       * ```ts
       * const cc = createCustomerContext({ identity: { fuzzy: {} } });
       * const { profileId } = await cc.identify({ identifiers: [{ type: "email", value: "jan.kowalski@x.pl" }],
       *   traits: { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17" }, at: "2026-04-01T09:00:00Z" });
       * await cc.identify({ identifiers: [{ type: "phone", value: "+48601234567" }],
       *   traits: { firstName: "Jan", lastName: "Kowalsky", dateOfBirth: "1980-05-17" }, at: "2026-04-02T09:00:00Z" });
       * const [best] = await cc.profiles.suggest({ profileId });
       * best?.levels.lastName; // "close"
       * if (best && best.score > 0.95) await cc.profiles.merge(best.a, best.b, { reason: `fuzzy ${best.score}` });
       * ```
       */
      async suggest(ref?: ReadonlyDeep<z.input<typeof CustomerRef>>): Promise<MatchSuggestion[]> {
        const r = ref === undefined ? undefined : parseInput(CustomerRef, ref, "customer reference");
        return read(async (env) => {
          if (r === undefined) return identity.suggestMatches(env);
          const id = await refToProfileId(env.tx, r);
          return id ? identity.suggestMatches(env, id) : [];
        });
      },

      /**
       * Merges two profiles as operator evidence. Refused (and nothing written) when it would break a rule.
       * `at` dates the decision (default: now), so a merge imported from another system keeps its time.
       *
       * @example
       * ```ts
       * const { profileId: a } = await cc.identify({ identifiers: [{ type: "email", value: "ewa@x.pl" }], at: "2026-03-01T10:00:00Z" });
       * const { profileId: b } = await cc.identify({ identifiers: [{ type: "phone", value: "+48602111222" }], at: "2026-03-02T10:00:00Z" });
       * const merged = await cc.profiles.merge(a, b, { reason: "Same customer, confirmed by phone", at: "2026-03-05T12:00:00Z" });
       * merged.merged.includes(b); // true
       * ```
       */
      async merge(
        a: string,
        b: string,
        decision: ReadonlyDeep<z.input<typeof OperatorReason>>,
      ): Promise<{ profileId: string; merged: string[] }> {
        const ida = parseInput(Id, a, "profile id a");
        const idb = parseInput(Id, b, "profile id b");
        const d = parseInput(OperatorReason, decision, "merge decision");
        const prepared = ingestShell.prepare("merge", { a: ida, b: idb, ...d }, prepareContext);
        return write(
          async (env) => (await ingestShell.apply(env, prepared)).result as { profileId: string; merged: string[] },
        );
      },

      /**
       * Detaches an identifier, and everything linked only through it, into its own profile. Sticky.
       * `at` dates the decision (default: now).
       *
       * @example
       * ```ts
       * const { detachedProfileId } = await cc.profiles.unmerge(profileId, { type: "phone", value: "+48601234567" },
       *   { reason: "Shared family phone", at: "2026-04-02T08:00:00Z" });
       * detachedProfileId === profileId; // false
       * ```
       */
      async unmerge(
        profileId: string,
        identifier: ReadonlyDeep<z.input<typeof Identifier>>,
        decision: ReadonlyDeep<z.input<typeof OperatorReason>>,
      ): Promise<{ profileId: string; detachedProfileId: string }> {
        const id = parseInput(Id, profileId, "profile id");
        const ident = parseInput(Identifier, identifier, "identifier");
        const d = parseInput(OperatorReason, decision, "unmerge decision");
        const prepared = ingestShell.prepare("unmerge", { profileId: id, identifier: ident, ...d }, prepareContext);
        return write(
          async (env) =>
            (await ingestShell.apply(env, prepared)).result as { profileId: string; detachedProfileId: string },
        );
      },

      /**
       * Erases a customer (GDPR erasure): their identifiers, traits, evidence, operator decisions
       * and reasons, interactions, conversations, consents, presentations, idempotency keys and the
       * events naming their ids; neighbours are rebuilt as if the customer had never been seen.
       * With `{ suppress: true }`, a keyed hash of each of their identifiers is kept, and later
       * input naming one of them is refused (`refused`, `details.reason` `"suppressed"`) until
       * `profiles.unsuppress` lifts it. Returns false when the customer is unknown.
       *
       * @example
       * ```ts
       * await cc.profiles.forget({ identifier: { type: "email", value: "jan@x.pl" } }, { suppress: true });
       * await cc.identify({ identifiers: [{ type: "email", value: "jan@x.pl" }] }).catch((e) => e.details.reason); // "suppressed"
       * ```
       */
      async forget(
        ref: ReadonlyDeep<z.input<typeof CustomerRef>>,
        options: ReadonlyDeep<z.input<typeof ForgetOptions>> = {},
      ): Promise<boolean> {
        const r = parseInput(CustomerRef, ref, "customer reference");
        const o = parseInput(ForgetOptions, options, "forget options");
        return write((env) => ingestShell.forgetNow(env, r, now(), o.suppress === true ? { suppress: true } : {}));
      },

      /**
       * Lifts the suppression of an identifier left by `forget(ref, { suppress: true })`, so that
       * input naming it is accepted again (as a new customer). Returns false when it was not
       * suppressed.
       *
       * @example
       * ```ts
       * await cc.profiles.forget({ identifier: { type: "email", value: "jan@x.pl" } }, { suppress: true });
       * await cc.profiles.unsuppress({ type: "email", value: "jan@x.pl" }); // true
       * ```
       */
      async unsuppress(identifier: ReadonlyDeep<z.input<typeof Identifier>>): Promise<boolean> {
        const ident = parseInput(Identifier, identifier, "identifier");
        return write((env) => identity.liftSuppression(env, ident));
      },

      // Documented where they are defined, after `close` (below).
      decisions: listDecisions,
      revoke: revokeDecision,
      reviews: listReviews,
      acceptReview,
      dismissReview,
    },

    conversations: {
      /**
       * A conversation by id (a merged-away id resolves to its target); `null` if unknown.
       *
       * @example
       * ```ts
       * const { conversationId } = await cc.record({ channel: "email", direction: "inbound", at: "2026-04-02T08:00:00Z",
       *   customer: [email], subject: "Card blocked" });
       * const conversation = await cc.conversations.get(conversationId);
       * conversation?.channels; // ["email"]
       * await cc.conversations.get("conv_unknown"); // null
       * ```
       */
      async get(id: string): Promise<Conversation | null> {
        const cid = parseInput(Id, id, "conversation id");
        return read((env) => conversations.getConversation(env.tx, cid));
      },

      /**
       * A customer's conversations, oldest first.
       *
       * @example
       * ```ts
       * const list = await cc.conversations.list({ identifier: { type: "email", value: "jan@x.pl" } });
       * ```
       */
      async list(ref: ReadonlyDeep<z.input<typeof CustomerRef>>): Promise<Conversation[]> {
        const r = parseInput(CustomerRef, ref, "customer reference");
        return read(async (env) => {
          const id = await refToProfileId(env.tx, r);
          return id ? conversations.listConversations(env.tx, id) : [];
        });
      },

      /**
       * Merges conversation `a` into `b` (operator evidence); `a` then resolves to `b`. `at` dates
       * the decision (it must not be before both conversations started); without it, the merge is
       * taken now, after everything recorded so far.
       *
       * @example
       * ```ts
       * const first = await cc.record({ channel: "email", direction: "inbound", at: "2026-04-02T08:00:00Z", customer: [email], subject: "Card blocked" });
       * const second = await cc.record({ channel: "chat", direction: "inbound", at: "2026-04-02T09:00:00Z", customer: [email], threadKey: "chat-9" });
       * const merged = await cc.conversations.merge(second.conversationId, first.conversationId, { at: "2026-04-02T09:30:00Z" });
       * merged.channels; // ["email", "chat"]
       * ```
       */
      async merge(
        a: string,
        b: string,
        options: ReadonlyDeep<z.input<typeof ConversationDecisionOptions>> = {},
      ): Promise<Conversation> {
        const ida = parseInput(Id, a, "conversation id a");
        const idb = parseInput(Id, b, "conversation id b");
        const o = parseInput(ConversationDecisionOptions, options, "merge options");
        return write((env) =>
          conversations.mergeConversations(env, ida, idb, o.at === undefined ? {} : { at: toIso(o.at) }),
        );
      },

      /**
       * Resolves (closes) a conversation, named by its id or by any interaction in it as the
       * source knows it (`{ interaction: { channel, externalId } }` or `{ interaction: { messageId } }`).
       * `at` is when it was resolved, for example a helpdesk export's resolution time: it counts as
       * resolved from then on, for offer checks too. `at` must not be before the conversation
       * started; without it, the conversation is resolved now, after everything recorded so far.
       *
       * @example
       * ```ts
       * const { conversationId } = await cc.record({ channel: "email", direction: "inbound", at: "2026-04-02T08:00:00Z",
       *   customer: [email], subject: "Wrong fee charged", tags: ["complaint"], externalId: "T-7" });
       * const resolved = await cc.conversations.resolve(conversationId, { at: "2026-04-02T16:30:00Z" });
       * resolved.resolvedAt; // "2026-04-02T16:30:00.000Z"
       * (await cc.conversations.resolve({ interaction: { channel: "email", externalId: "T-7" } })).id === conversationId; // true
       * ```
       */
      async resolve(
        conversation: string | { interaction: ReadonlyDeep<z.input<typeof InteractionRef>> },
        options: ReadonlyDeep<z.input<typeof ConversationDecisionOptions>> = {},
      ): Promise<Conversation> {
        const named =
          typeof conversation === "object" && conversation !== null && !Array.isArray(conversation)
            ? parseInput(z.strictObject({ interaction: InteractionRef }), conversation, "conversation")
            : { conversationId: parseInput(Id, conversation, "conversation id") };
        const o = parseInput(ConversationDecisionOptions, options, "resolve options");
        const prepared = ingestShell.prepare(
          "resolve",
          { ...named, ...(o.at !== undefined ? { at: o.at } : {}) },
          prepareContext,
        );
        return write(async (env) => (await ingestShell.apply(env, prepared)).result as Conversation);
      },
    },

    /**
     * Records a per-channel, per-purpose consent decision. The latest decision wins.
     *
     * @example
     * ```ts
     * await cc.consent({ customer: [{ type: "email", value: "jan@x.pl" }], channel: "email", granted: false, at: "2026-04-01T00:00:00Z" });
     * ```
     */
    async consent(input: ReadonlyDeep<z.input<typeof ConsentInput>>): Promise<Consent> {
      const prepared = ingestShell.prepare("consent", input, prepareContext);
      return write(async (env) => (await ingestShell.apply(env, prepared)).result as Consent);
    },

    offers: {
      /**
       * Defines an offer, or a new version of it. `at` is when that version of the catalogue was
       * recorded (default: now): a check, presentation or audit at time T uses the latest version
       * recorded at or before T (before the first one, the latest). `validFrom`/`validTo` stay the
       * offer's own validity rule.
       *
       * @example
       * ```ts
       * await cc.offers.define({ id: "loan-2026", name: "Personal loan", category: "marketing", terms: { apr: 5.9 }, at: "2026-03-01T00:00:00Z" });
       * const v2 = await cc.offers.define({ id: "loan-2026", name: "Personal loan", category: "marketing", terms: { apr: 6.9 }, at: "2026-04-01T00:00:00Z" });
       * v2.version; // 2
       * ```
       */
      async define(input: ReadonlyDeep<z.input<typeof OfferInput>>): Promise<OfferVersion> {
        const o = parseInput(OfferInput, input, "offer");
        return write((env) => offers.defineOffer(env, o));
      },

      /**
       * Records what a customer was shown or told, and returns the violations it caused.
       *
       * @example
       * ```ts
       * await cc.offers.define({ id: "loan-2026", name: "Personal loan", category: "marketing", terms: { apr: 6.9 }, at: "2026-03-01T00:00:00Z" });
       * const { violations } = await cc.offers.present({ customer: [{ type: "phone", value: "+48601234567" }],
       *   offerId: "loan-2026", channel: "phone", at: "2026-04-03T09:00:00Z", terms: { apr: 6.9 } });
       * violations; // []
       * ```
       */
      async present(
        input: ReadonlyDeep<z.input<typeof PresentationInput>>,
      ): Promise<{ presentationId: string; violations: Violation[] }> {
        const prepared = ingestShell.prepare("present", input, prepareContext);
        return write(
          async (env) =>
            (await ingestShell.apply(env, prepared)).result as { presentationId: string; violations: Violation[] },
        );
      },

      /**
       * Evaluates a presentation before it is made, under the offer version in effect at `at`.
       * Writes nothing, so its violations carry no `presentationId`.
       *
       * @example
       * ```ts
       * const { ok, violations } = await cc.offers.check({ customer: { profileId }, offerId: "loan",
       *   channel: "web", at: "2026-04-03T12:00:00Z", terms: { apr: 6.9 } });
       * ok; // false
       * violations.map((v) => v.rule); // ["parity"]
       * ```
       */
      async check(input: ReadonlyDeep<z.input<typeof PresentationInput>>): Promise<OfferCheck> {
        const p = parseInput(PresentationInput, input, "presentation");
        return read(async (env) => offers.check(env, p));
      },

      /**
       * Re-evaluates recorded presentations (optionally in a time range) and returns every violation.
       * With `customer` (`{ profileId }` or `{ identifier }`), only that customer's presentations are
       * re-checked, at a cost proportional to them; an unknown customer has none (`[]`).
       *
       * @example
       * ```ts
       * const violations = await cc.offers.audit({ from: "2026-04-01T00:00:00Z" });
       * const hers = await cc.offers.audit({ customer: { identifier: { type: "email", value: "jan@x.pl" } } });
       * ```
       */
      async audit(range: ReadonlyDeep<z.input<typeof AuditRange>> = {}): Promise<Violation[]> {
        const r = parseInput(AuditRange, range, "audit range");
        return read(async (env) => {
          let customer: ProfileDoc | undefined;
          if (r.customer !== undefined) {
            const id = await ingestShell.refToProfileId(env, r.customer);
            customer = id === null ? undefined : ((await env.tx.get<ProfileDoc>(C.profiles, id)) ?? undefined);
            if (customer === undefined) return [];
          }
          return offers.audit(
            env,
            {
              ...(r.from !== undefined ? { from: toIso(r.from) } : {}),
              ...(r.to !== undefined ? { to: toIso(r.to) } : {}),
            },
            customer,
          );
        });
      },
    },

    /**
     * Watches one customer: calls `listener` with their fresh snapshot now and whenever something
     * about them changes. Changes are batched per tick and an unchanged snapshot is not emitted
     * again, which fits React's `useSyncExternalStore` and similar stores.
     *
     * @returns an unsubscribe function
     *
     * @example
     * ```ts
     * const stop = cc.observe({ identifier: { type: "email", value: "jan@x.pl" } }, (view) => render(view));
     * stop();
     * ```
     */
    observe(
      ref: ReadonlyDeep<z.input<typeof CustomerRef>>,
      listener: (snapshot: CustomerSnapshot | null) => void,
    ): () => void {
      const r = parseInput(CustomerRef, ref, "customer reference");
      if (typeof listener !== "function") {
        throw new InvalidInputError("listener", [{ path: [], code: "invalid_type", message: "must be a function" }]);
      }
      const observer: Observer = { ref: r, listener, last: undefined, active: true };
      observers.add(observer);
      void refreshObserver(observer);
      return () => {
        observer.active = false;
        observers.delete(observer);
      };
    },

    journeys: {
      /**
       * Journey metrics measured from the data: channel transitions, multi-channel share,
       * repeat contacts, first-response times, unanswered inbound, switches per resolved conversation.
       *
       * @example
       * ```ts
       * const cc = createCustomerContext();
       * const jan = [{ type: "email", value: "jan@x.pl" }];
       * const ewa = [{ type: "email", value: "ewa@x.pl" }];
       * await cc.record({ channel: "web", direction: "inbound", at: "2026-04-02T10:00:00Z", customer: jan });
       * await cc.record({ channel: "phone", direction: "inbound", at: "2026-04-02T10:05:00Z", customer: jan });
       * await cc.record({ channel: "email", direction: "inbound", at: "2026-04-02T11:00:00Z", customer: ewa });
       * const metrics = await cc.journeys.metrics({ from: "2026-04-01T00:00:00Z" });
       * metrics.multiChannel; // { conversations: 2, multiChannel: 1, share: 0.5 }
       * metrics.transitions; // [{ from: "web", to: "phone", count: 1 }]
       * ```
       */
      async metrics(range: ReadonlyDeep<z.input<typeof AuditRange>> = {}): Promise<JourneyMetrics> {
        const r = parseInput(AuditRange, range, "journey range");
        return read(async (env) => {
          const all = await conversations.everything(env);
          return journeyMetrics({
            ...all,
            ...(r.from !== undefined ? { from: toIso(r.from) } : {}),
            ...(r.to !== undefined ? { to: toIso(r.to) } : {}),
          });
        });
      },
    },

    /**
     * Subscribes to events (delivered after each change commits). Returns an unsubscribe function.
     *
     * @example
     * ```ts
     * const stop = cc.subscribe((event) => { if (event.type === "profile.merged") console.log(event.absorbed); });
     * stop();
     * ```
     */
    subscribe(listener: CustomerContextListener): () => void {
      if (typeof listener !== "function") {
        throw new InvalidInputError("listener", [{ path: [], code: "invalid_type", message: "must be a function" }]);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    /**
     * Closes the context and its storage adapter. Further calls fail with `closed`.
     *
     * @example
     * ```ts
     * await cc.close();
     * ```
     */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      listeners.clear();
      for (const observer of observers) observer.active = false;
      observers.clear();
      await storage.close();
    },
  };

  /**
   * The operator decisions that shape a profile (merges, unmerges and auto-merges naming its
   * identifiers), oldest first, each with its id, time, reason and `by`. Empty for an unknown customer.
   *
   * @example
   * ```ts
   * const other = await cc.identify({ identifiers: [{ type: "crmId", value: "C-9" }] });
   * await cc.profiles.merge(profileId, other.profileId, { reason: "same customer", by: "agent-7" });
   * const [decision] = await cc.profiles.decisions({ profileId });
   * decision.kind; // "merge"
   * decision.by; // "agent-7"
   * ```
   */
  async function listDecisions(ref: ReadonlyDeep<z.input<typeof CustomerRef>>): Promise<Decision[]> {
    const r = parseInput(CustomerRef, ref, "customer reference");
    return read(async (env) => {
      const id = await refToProfileId(env.tx, r);
      return id ? decisions.listDecisions(env, id) : [];
    });
  }

  /**
   * Withdraws an operator decision: its evidence is removed and the profiles are recomputed (and
   * their conversations re-stitched) as if it had never been made. Revoking an auto-merge is
   * sticky: fuzzy matching does not merge the two again until an operator does. Unknown id:
   * `not_found`; revoking a revoked decision changes nothing.
   *
   * @example
   * ```ts
   * const other = await cc.identify({ identifiers: [{ type: "crmId", value: "C-9" }] });
   * await cc.profiles.merge(profileId, other.profileId, { reason: "same customer" });
   * const [decision] = await cc.profiles.decisions({ profileId });
   * const { profileIds } = await cc.profiles.revoke(decision.id, { reason: "merged by mistake" });
   * profileIds.length; // 2
   * ```
   */
  async function revokeDecision(
    decisionId: string,
    action: ReadonlyDeep<z.input<typeof DecisionAction>>,
  ): Promise<RevokeResult> {
    const id = parseInput(Id, decisionId, "decision id");
    const a = parseInput(DecisionAction, action, "revoke decision");
    const prepared = ingestShell.prepare("revoke", { decisionId: id, ...a }, prepareContext);
    return write(async (env) => (await ingestShell.apply(env, prepared)).result as RevokeResult);
  }

  /**
   * The review queue: refused links (limit conflicts, operator separations, auto-blocked
   * identifiers) and fuzzy suggestions below `autoMergeAbove`, each with its evidence; with
   * `status`, only those. An open item whose identifiers are in one profile by now is left out.
   *
   * @example
   * ```ts
   * await cc.identify({ identifiers: [{ type: "crmId", value: "C-1" }, { type: "email", value: "family@poczta.pl" }], at: "2026-04-01T09:00:00Z" });
   * await cc.identify({ identifiers: [{ type: "crmId", value: "C-2" }, { type: "email", value: "family@poczta.pl" }], at: "2026-04-02T09:00:00Z" });
   * const [review] = await cc.profiles.reviews({ status: "open" });
   * review.reason; // "limit"
   * ```
   */
  async function listReviews(filter: ReadonlyDeep<z.input<typeof ReviewFilter>> = {}): Promise<Review[]> {
    const f = parseInput(ReviewFilter, filter, "review filter");
    return read((env) => reviews.listReviews(env, f.status));
  }

  /**
   * Accepts a review item: records an operator merge of its two profiles (refused, and nothing
   * written, when the merge would break a rule). Revoking that merge opens the item again.
   *
   * @example
   * ```ts
   * await cc.identify({ identifiers: [{ type: "email", value: "ola@poczta.pl" }, { type: "phone", value: "+48601000111" }] });
   * await cc.profiles.unmerge(profileId, { type: "phone", value: "+48601234567" }, { reason: "family phone" });
   * await cc.identify({ identifiers: [{ type: "email", value: "jan@x.pl" }, { type: "phone", value: "+48601234567" }] });
   * const [review] = await cc.profiles.reviews({ status: "open" });
   * const accepted = await cc.profiles.acceptReview(review.id, { reason: "checked with the customer" });
   * accepted.review.status; // "accepted"
   * ```
   */
  async function acceptReview(
    reviewId: string,
    action: ReadonlyDeep<z.input<typeof DecisionAction>>,
  ): Promise<{ review: Review; profileId: string; merged: string[] }> {
    const id = parseInput(Id, reviewId, "review id");
    const a = parseInput(DecisionAction, action, "review decision");
    const at = a.at === undefined ? now() : toIso(a.at);
    return write((env) => reviews.acceptReview(env, id, { reason: a.reason, by: a.by, at }));
  }

  /**
   * Dismisses a review item; it is remembered and not raised again.
   *
   * @example
   * ```ts
   * await cc.identify({ identifiers: [{ type: "crmId", value: "C-1" }, { type: "email", value: "family@poczta.pl" }], at: "2026-04-01T09:00:00Z" });
   * await cc.identify({ identifiers: [{ type: "crmId", value: "C-2" }, { type: "email", value: "family@poczta.pl" }], at: "2026-04-02T09:00:00Z" });
   * const [review] = await cc.profiles.reviews();
   * (await cc.profiles.dismissReview(review.id, { reason: "two customers share the inbox" })).status; // "dismissed"
   * ```
   */
  async function dismissReview(
    reviewId: string,
    action: ReadonlyDeep<z.input<typeof DecisionAction>>,
  ): Promise<Review> {
    const id = parseInput(Id, reviewId, "review id");
    const a = parseInput(DecisionAction, action, "review decision");
    const at = a.at === undefined ? now() : toIso(a.at);
    return write((env) => reviews.dismissReview(env, id, { reason: a.reason, by: a.by, at }));
  }

  async function refToProfileId(tx: StorageTransaction, ref: CustomerRef): Promise<string | null> {
    if ("profileId" in ref) return resolveProfileId(tx, ref.profileId);
    return identity.profileIdOfIdentifier(tx, ref.identifier, identityOptions);
  }

  // The object must implement the declared interface; `T` only narrows what callers may pass.
  const declared: CustomerContext = context;
  return declared as CustomerContext<T>;
}
