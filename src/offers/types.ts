/**
 * Types of the offer rules engine: the read-only facts a rule sees, the rule shape and the
 * configured rule set.
 *
 * @module
 */
import type { z } from "zod";
import type { Consent, Conversation, OfferVersion, Presentation, Violation } from "../schema/outputs.js";
import type { Scalar, Terms } from "../schema/primitives.js";

/** Makes every property, array, map and set of `T` read-only, all the way down. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends ReadonlySet<infer V>
      ? ReadonlySet<DeepReadonly<V>>
      : T extends readonly (infer U)[]
        ? readonly DeepReadonly<U>[]
        : T extends object
          ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
          : T;

/**
 * The presentation being evaluated: what the customer is shown or told now. `id` is absent for a
 * preflight `check`. A stored {@link Presentation} can be passed as is.
 */
export interface FactsPresentation {
  readonly id?: string;
  readonly profileId: string;
  readonly offerId: string;
  readonly channel: string;
  /** ISO 8601 in UTC, `toISOString()` form; equals {@link OfferFacts.now}. */
  readonly at: string;
  readonly terms: Readonly<Terms>;
}

/** The customer the offer is presented to. */
export interface FactsProfile {
  readonly id: string;
  readonly traits: Readonly<Record<string, Scalar>>;
  readonly tags: readonly string[];
}

/**
 * A conversation with the time each of its tags first appeared (`tagsSince[tag]`, ISO). Rules
 * replaying history use it so that a complaint tag added later does not suppress earlier offers.
 */
export type FactsConversation = Omit<Conversation, "interactionIds"> & { tagsSince: Record<string, string> };

/** Every offer's versions by offer id, oldest first. */
export type Catalogue = ReadonlyMap<string, readonly DeepReadonly<OfferVersion>[]>;

/**
 * Everything a rule may look at, read-only. All times are ISO 8601 strings in UTC in
 * `toISOString()` form (`2026-04-02T10:00:00.000Z`), so they order as strings; the shell and
 * {@link auditPresentations} produce them that way.
 *
 * Facts are valid during one `evaluate` call only: {@link auditPresentations} reuses the same
 * `history` array for the next presentation of the profile, so a rule must not keep a reference.
 */
export interface OfferFacts {
  /** The presentation time (ISO, UTC). */
  readonly now: string;
  readonly presentation: FactsPresentation;
  /** The offer version the presentation is made under. */
  readonly offer: DeepReadonly<OfferVersion>;
  /** All versions of this offer, oldest first. */
  readonly versions: readonly DeepReadonly<OfferVersion>[];
  /** Every offer's versions, for rules that look across offers (exclusivity, contact cap). */
  readonly catalogue: Catalogue;
  readonly profile: FactsProfile;
  /**
   * This customer's earlier presentations of every offer, ordered by (`at`, `id`), all strictly
   * before the current one in that order. They may carry profile ids the customer had before a
   * merge: rules never filter history by `profileId`.
   */
  readonly history: readonly DeepReadonly<Presentation>[];
  /** The customer's conversations, in any order. */
  readonly conversations: readonly DeepReadonly<FactsConversation>[];
  /** The customer's consent decisions, ordered by (`at`, `id`). */
  readonly consents: readonly DeepReadonly<Consent>[];
}

/**
 * An offer rule: a pure, synchronous function of the facts and its options.
 *
 * @typeParam O - the resolved options the rule receives
 */
export interface Rule<O = Record<string, unknown>> {
  /** Unique id; it is the `rule` of every violation the rule returns. */
  readonly id: string;
  readonly description?: string;
  /** Validates (and may complete) the options given as `{ ...defaults, ...given }`. */
  readonly options?: z.ZodType<O>;
  /** Options used when none are given; given options are merged over them (shallowly). */
  readonly defaults?: O;
  /** Returns the violations of this presentation; an empty array when there are none. */
  evaluate(facts: OfferFacts, options: O): Violation[];
}

/** A rule of a {@link RuleSet} with its resolved options. */
export interface ConfiguredRule {
  readonly id: string;
  readonly builtIn: boolean;
  readonly options: unknown;
  readonly evaluate: (facts: OfferFacts, options: never) => Violation[];
}

/** The enabled rules in evaluation order (built-in rules first, then custom rules). */
export interface RuleSet {
  readonly rules: readonly ConfiguredRule[];
}

/** Configuration of {@link createRuleSet}: the `offers` option of `createCustomerContext`. */
export interface RuleSetOptions {
  /** Per rule id: `false` switches the rule off, an object configures it. */
  rules?: Readonly<Record<string, false | Readonly<Record<string, unknown>>>>;
  custom?: readonly Rule<unknown>[];
}

/** Which way a numeric term is better for the customer. */
export type TermDirection = "lower" | "higher";
