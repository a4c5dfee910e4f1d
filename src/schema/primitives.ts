import * as z from "zod";

/** Hard limits that keep one malicious input from exhausting memory. */
export const LIMITS = {
  /** Identifier type names, channel names, ids, tags. */
  name: 64,
  /** Identifier values, subjects, agent names, external ids. */
  short: 1024,
  /** Interaction text. */
  text: 65_536,
  /** Serialised metadata / traits. */
  json: 65_536,
  /** Identifiers in one observation. */
  identifiers: 32,
  /** Tags on one interaction. */
  tags: 32,
  /** Email References header entries. */
  references: 128,
  /** Keys in a flat map (traits, terms). */
  keys: 128,
  /** Items in option lists. */
  list: 1024,
} as const;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A point in time: a valid `Date`, or an ISO 8601 string with a date, a time and an offset
 * (`2026-04-02T10:00:00Z`, `2026-04-02T12:00:00+02:00`). Anything else is rejected.
 */
export const When = z.union(
  [
    z.date({ error: "must be a valid Date" }),
    z
      .string()
      .max(40)
      .regex(ISO_WITH_OFFSET, {
        message: "must be an ISO 8601 date-time with an offset, e.g. 2026-04-02T10:00:00Z",
        abort: true,
      })
      .refine((s) => !Number.isNaN(Date.parse(s)), "is not a real date"),
  ],
  { error: "must be a Date or an ISO 8601 date-time string with an offset" },
);
export type When = z.input<typeof When>;

/** Converts a parsed {@link When} into canonical ISO form (UTC, milliseconds). */
export function toIso(when: Date | string): string {
  return (typeof when === "string" ? new Date(when) : when).toISOString();
}

/** A name: identifier types, channel names, tags. */
export const Name = z
  .string()
  .min(1, "must not be empty")
  .max(LIMITS.name)
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, "must start with a letter and use only letters, digits, _ . : -");

/** A channel name, lower-case: `email`, `phone`, `chat`, `sms`, `social`, `ivr`, `web`, `store`, or your own. */
export const Channel = z
  .string()
  .min(1, "must not be empty")
  .max(LIMITS.name)
  .regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, _ or -, starting with a letter");
export type Channel = z.infer<typeof Channel>;

/** An id chosen by the caller or the library. */
export const Id = z
  .string()
  .min(1, "must not be empty")
  .max(256)
  .regex(/^[^\s\u0000-\u001f]+$/, "must not contain whitespace or control characters");

/** A short free text. */
export const ShortText = z.string().max(LIMITS.short);

/** An identifier type: `email`, `phone`, `crmId`, `cookie`, or your own (no `:`, which separates keys). */
export const IdentifierType = z
  .string()
  .min(1, "must not be empty")
  .max(LIMITS.name)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "must start with a letter and use only letters, digits, _ . -");

/** `{ type: "email", value: "Jan@X.pl" }`. */
export const Identifier = z.strictObject({
  type: IdentifierType,
  value: z.string().min(1, "must not be empty").max(LIMITS.short),
});
export type Identifier = z.infer<typeof Identifier>;

/** Refers to a known customer: by profile id or by one of their identifiers. */
export const CustomerRef = z.union([z.strictObject({ profileId: Id }), z.strictObject({ identifier: Identifier })], {
  error: "must be { profileId } or { identifier: { type, value } }",
});
export type CustomerRef = z.infer<typeof CustomerRef>;

/** The `customer` field of inputs: identifiers seen in this contact, or a known profile id. */
export const Customer = z.union(
  [
    z.array(Identifier).min(1, "must name at least one identifier").max(LIMITS.identifiers),
    z.strictObject({ profileId: Id }),
  ],
  { error: "must be a non-empty array of identifiers or { profileId }" },
);
export type Customer = z.infer<typeof Customer>;

/** A scalar trait or term value. */
export const Scalar = z.union([z.string().max(LIMITS.short), z.number().finite(), z.boolean()], {
  error: "must be a string, a finite number or a boolean (nested objects are not allowed)",
});
export type Scalar = z.infer<typeof Scalar>;

/** Profile traits: a flat map of scalars (null clears a trait). */
export const Traits = z
  .record(z.string().min(1).max(LIMITS.name), z.union([Scalar, z.null()]), {
    error: "must be a flat object of strings, numbers, booleans or null",
  })
  .refine((t) => Object.keys(t).length <= LIMITS.keys, `must have at most ${LIMITS.keys} keys`);
export type Traits = z.infer<typeof Traits>;

/** A flat map of offer terms: `{ apr: 5.9, fee: 0, currency: "EUR" }`. */
export const Terms = z
  .record(z.string().min(1).max(LIMITS.name), Scalar, {
    error: "must be a flat object of strings, numbers or booleans",
  })
  .refine((t) => Object.keys(t).length <= LIMITS.keys, `must have at most ${LIMITS.keys} keys`);
export type Terms = z.infer<typeof Terms>;

/** A date-fns `Duration`: `{ days: 3 }`, `{ hours: 1, minutes: 30 }`. At least one unit, none negative. */
export const Duration = z
  .strictObject({
    years: z.number().int().min(0).optional(),
    months: z.number().int().min(0).optional(),
    weeks: z.number().int().min(0).optional(),
    days: z.number().int().min(0).optional(),
    hours: z.number().int().min(0).optional(),
    minutes: z.number().int().min(0).optional(),
    seconds: z.number().int().min(0).optional(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), "must set at least one unit");
export type Duration = z.infer<typeof Duration>;

/** Arbitrary JSON, bounded in size. */
export const JsonObject = z
  .record(z.string().max(LIMITS.name), z.json())
  .refine((m) => JSON.stringify(m).length <= LIMITS.json, `must serialise to at most ${LIMITS.json} characters`);
export type JsonObject = z.infer<typeof JsonObject>;
