import { type CountryCode, isSupportedCountry } from "libphonenumber-js/max";
import * as z from "zod";
import { caseRefPatternProblem } from "../conversations/_lib/caseRefPattern.js";
import { Duration, IdentifierType, LIMITS, Name } from "./primitives.js";

const fn = <T extends (...args: never[]) => unknown>(what: string) =>
  z.custom<T>((v) => typeof v === "function", `must be a function (${what})`);

/** A custom normaliser: returns the normalised value, or `null` when the value cannot be normalised. */
export type IdentifierNormalizer = (value: string) => string | null;

/** Per-type identity rules. */
export const IdentifierTypeOptions = z.strictObject({
  /** Most distinct values of this type one profile may hold (default 5; `userId`, `crmId`: 1). */
  limit: z.number().int().min(1).max(1000).optional(),
  /** Higher wins when a link would break a limit (default: order of `types`, first is highest). */
  priority: z.number().finite().optional(),
  /** Custom normaliser for this type. */
  normalize: fn<IdentifierNormalizer>("(value) => string | null").optional(),
});
export type IdentifierTypeOptions = z.infer<typeof IdentifierTypeOptions>;

/** How a trait is chosen when several observations set it. */
export const TraitStrategy = z.union([
  z.enum(["latest", "first"]),
  z.strictObject({ sources: z.array(Name).min(1).max(64) }),
]);
export type TraitStrategy = z.infer<typeof TraitStrategy>;

/** Optional fuzzy matching over traits (off by default). */
const Probability = z.number().min(0).max(1);
const LevelProbabilities = z.strictObject({
  m: z.partialRecord(z.enum(["exact", "close", "similar", "far"]), Probability),
  u: z.partialRecord(z.enum(["exact", "close", "similar", "far"]), Probability),
});
export const FuzzyOptions = z.strictObject({
  /** Trait names compared, with how: names use Jaro-Winkler, dates compare parts, others edit distance. */
  fields: z.record(Name, z.enum(["name", "date", "text", "exact"])).optional(),
  /** Suggestions below this match probability (0..1) are dropped. Default 0.8. */
  threshold: Probability.optional(),
  /** Suggestions at or above this probability are merged automatically as operator evidence. */
  autoMergeAbove: Probability.optional(),
  /**
   * Fellegi-Sunter parameters: the prior match probability (without it, estimated from the
   * store's data at match time; see docs/fuzzy-matching.md) and m/u probabilities per field.
   */
  parameters: z
    .strictObject({ prior: Probability.optional(), fields: z.record(Name, LevelProbabilities).optional() })
    .optional(),
  /** Blocking rules: each is a list of fields whose keys must agree for a pair to be compared. */
  blocking: z.array(z.array(Name).min(1).max(8)).max(32).optional(),
  /** Blocks larger than this are skipped (default 100). */
  maxBlockSize: z.number().int().min(2).max(100_000).optional(),
  /** Field pairs also compared crosswise (names entered the wrong way round), or false. */
  swapFields: z.union([z.literal(false), z.array(z.tuple([Name, Name])).max(16)]).optional(),
});
export type FuzzyOptions = z.infer<typeof FuzzyOptions>;

/** `identity` options of `createCustomerContext`. */
export const IdentityOptions = z
  .strictObject({
    /** Region for phone numbers without a country code: a region libphonenumber knows, e.g. `"PL"`. */
    defaultRegion: z
      .custom<CountryCode>(
        (v) => typeof v === "string" && /^[A-Z]{2}$/.test(v) && isSupportedCountry(v),
        "must be a region code libphonenumber supports, such as PL",
      )
      .optional(),
    /** Options per identifier type; with `strictTypes`, also the list of the only types accepted. */
    types: z.record(IdentifierType, IdentifierTypeOptions).optional(),
    /**
     * Reject identifiers of a type not listed in `types` (an `invalid_input` naming the type) instead
     * of treating `{ type: "emial" }` as a new custom type. Off by default.
     */
    strictTypes: z.boolean().optional(),
    /** Values that never link anything: exact normalised values or patterns. Added to the defaults. */
    blocked: z
      .array(z.union([z.string().min(1).max(LIMITS.short), z.instanceof(RegExp)]))
      .max(LIMITS.list)
      .optional(),
    /** Set to false to drop the built-in blocked values (`null`, `unknown`, `test@test.com`, …). */
    blockedDefaults: z.boolean().optional(),
    /**
     * An identifier seen together with more than `threshold` distinct values of another type stops
     * linking (a call-centre phone, a shared inbox). `false` switches it off. Default threshold 5.
     */
    autoBlock: z
      .union([z.literal(false), z.strictObject({ threshold: z.number().int().min(1).max(10_000) })])
      .optional(),
    /** Gmail-style provider rules for emails (dots and +tags ignored). Off by default. */
    emailProviderRules: z.boolean().optional(),
    /** How each trait is chosen when observations disagree. Default: the latest wins. */
    traits: z.record(Name, TraitStrategy).optional(),
    fuzzy: z.union([z.literal(false), FuzzyOptions]).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.strictTypes === true && Object.keys(options.types ?? {}).length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["types"],
        message: "must list the accepted identifier types when strictTypes is on",
      });
    }
  });
export type IdentityOptions = z.input<typeof IdentityOptions>;

/** `conversations` options of `createCustomerContext`. */
export const ConversationOptions = z.strictObject({
  /** How long after the last interaction an open conversation continues across channels. Default 3 days. */
  window: Duration.optional(),
  /** How long after resolution an explicit link (continues, thread, key, case ref) reopens it. Default 14 days. */
  reopenWindow: Duration.optional(),
  /** An inbound interaction without an outbound reply within this time raises an alert. Default 24 hours. */
  sla: z.union([Duration, z.record(z.string(), Duration)]).optional(),
  /** Pattern that finds a case reference in subject or text. Default: `LN-7781`-style refs and `#12345`. */
  caseRefPattern: z
    .union([z.instanceof(RegExp), z.string().min(1).max(LIMITS.short)])
    .optional()
    .superRefine((p, ctx) => {
      const problem = p === undefined ? null : caseRefPatternProblem(p);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    }),
  /** Reply/forward prefixes for base subjects; replaces the built-in list. */
  subjectPrefixes: z.array(z.string().min(1).max(LIMITS.name)).max(LIMITS.list).optional(),
});
export type ConversationOptions = z.input<typeof ConversationOptions>;

/** `offers` options of `createCustomerContext`. Rule options are validated by each rule. */
export const OfferOptions = z.strictObject({
  rules: z.record(Name, z.union([z.literal(false), z.record(z.string(), z.unknown())])).optional(),
  custom: z
    .array(
      z.custom<{ id: string; evaluate: (...args: never[]) => unknown }>(
        (v) =>
          typeof v === "object" &&
          v !== null &&
          typeof (v as { id?: unknown }).id === "string" &&
          typeof (v as { evaluate?: unknown }).evaluate === "function",
        "must be a rule { id, evaluate(facts) }",
      ),
    )
    .max(256)
    .optional(),
});
export type OfferOptions = z.input<typeof OfferOptions>;
