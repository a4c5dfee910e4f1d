import * as z from "zod";
import { InvalidInputError } from "../errors.js";
import { identifierValueProblem } from "./identifierValueProblem.js";

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

/** `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, `±hh:mm` or `±hhmm`, with every part captured. */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Why an ISO 8601 date-time string is not a real point in time, or `null` when it is one: years
 * 0001–9999, a valid calendar day (no 30 February, no 29 February 2025), hours 00–23, minutes and
 * seconds 00–59, an offset from −12:00 to +14:00 with minutes 00–59.
 *
 * @param text The string, already known to have the shape `YYYY-MM-DDTHH:MM[:SS[.f]]±hh:mm`.
 * @returns A sentence saying what is wrong, or `null`.
 * @example
 * ```ts
 * impossibleDateTime("2026-02-30T00:00:00Z"); // "has no day 30 in month 02 of 2026"
 * impossibleDateTime("2026-02-28T00:00:00Z"); // null
 * ```
 */
export function impossibleDateTime(text: string): string | null {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return "must be an ISO 8601 date-time with an offset, e.g. 2026-04-02T10:00:00Z";
  const [, y, mo, d, h, mi, sec, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1) return "must have a year from 0001 to 9999";
  if (month < 1 || month > 12) return `has no month ${mo}`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
  if (day < 1 || day > days) return `has no day ${d} in month ${mo} of ${y}`;
  if (Number(h) > 23) return "must have an hour from 00 to 23 (24:00 is not accepted)";
  if (Number(mi) > 59) return "must have minutes from 00 to 59";
  if (sec !== undefined && Number(sec) > 59) return "must have seconds from 00 to 59";
  if (sign !== undefined) {
    if (Number(om) > 59) return "must have offset minutes from 00 to 59";
    const offset = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    if (offset < -12 * 60 || offset > 14 * 60) return "must have an offset from -12:00 to +14:00";
  }
  const ms = Date.parse(text);
  // An offset can move 0001-01-01T00:00+01:00 into year 0, which no longer sorts as text.
  if (Number.isNaN(ms) || ms < MIN_TIME || ms > MAX_TIME) return "must be in the years 0001 to 9999 in UTC";
  return null;
}

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range whose ISO strings sort as text. */
const MIN_TIME = new Date(0).setUTCFullYear(1, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether a Date is valid and within the years 0001–9999 (UTC). */
function isUsableDate(date: Date): boolean {
  const ms = date.getTime();
  return !Number.isNaN(ms) && ms >= MIN_TIME && ms <= MAX_TIME;
}

/**
 * A point in time: a valid `Date`, or an ISO 8601 string with a date, a time and an offset
 * (`2026-04-02T10:00:00Z`, `2026-04-02T12:00:00+02:00`, `2026-04-02T12:00+0200`). Years
 * 0001–9999, a real calendar day and time, offsets from −12:00 to +14:00. Anything else is
 * rejected, never reinterpreted (`2026-02-30` is not 2 March).
 */
export const When = z.union(
  [
    z.date({ error: "must be a valid Date" }).refine(isUsableDate, "must be a Date in the years 0001 to 9999"),
    z
      .string()
      .max(40)
      .superRefine((text, ctx) => {
        const problem = impossibleDateTime(text);
        if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: text });
      }),
  ],
  { error: "must be a Date or an ISO 8601 date-time string with an offset" },
);
export type When = z.input<typeof When>;

/** Converts a parsed {@link When} into canonical ISO form (UTC, milliseconds). */
export function toIso(when: Date | string): string {
  return (typeof when === "string" ? new Date(when) : when).toISOString();
}

/**
 * The current time from a user-supplied clock, checked: a clock that returns something other
 * than a valid Date in the years 0001–9999 gets a typed `invalid_input` naming `clock`.
 *
 * @param clock The `clock` option.
 * @returns The time in canonical ISO form.
 * @throws {InvalidInputError} when the clock returns an invalid or out-of-range Date, or throws.
 * @example
 * ```ts
 * isoNow(() => new Date("2026-04-02T10:00:00Z")); // "2026-04-02T10:00:00.000Z"
 * isoNow(() => new Date(Number.NaN)); // throws invalid_input at ["clock"]
 * ```
 */
export function isoNow(clock: () => Date): string {
  let value: unknown;
  try {
    value = clock();
  } catch (error) {
    throw new InvalidInputError("clock", [
      { path: ["clock"], code: "custom", message: `threw: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  if (!(value instanceof Date) || !isUsableDate(value)) {
    throw new InvalidInputError("clock", [
      { path: ["clock"], code: "invalid_type", message: "must return a valid Date in the years 0001 to 9999" },
    ]);
  }
  return value.toISOString();
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

/** Text without U+0000, which no database text column can hold. */
export const NO_NUL = /^[^\u0000]*$/;

/** A short free text (no U+0000). */
export const ShortText = z.string().max(LIMITS.short).regex(NO_NUL, "must not contain U+0000 (NUL)");

export { identifierValueProblem };

/** An identifier type: `email`, `phone`, `crmId`, `cookie`, or your own (no `:`, which separates keys). */
export const IdentifierType = z
  .string()
  .min(1, "must not be empty")
  .max(LIMITS.name)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "must start with a letter and use only letters, digits, _ . -");

/** `{ type: "email", value: "Jan@X.pl" }`. */
export const Identifier = z.strictObject({
  type: IdentifierType,
  value: z
    .string()
    .min(1, "must not be empty")
    .max(LIMITS.short)
    .superRefine((value, ctx) => {
      const problem = identifierValueProblem(value);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: value });
    }),
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
export const Scalar = z.union([ShortText, z.number().finite(), z.boolean()], {
  error: "must be a string, a finite number or a boolean (nested objects are not allowed)",
});
export type Scalar = z.infer<typeof Scalar>;

/**
 * Why `value` is not a flat map of scalars, or `null`; also the parsed copy. Keys are counted
 * before anything else is looked at, so a million keys fail at key 129, not after parsing all.
 * The copy has no prototype: a key named `constructor`, `toString` or `__proto__` is stored and
 * compared like any other.
 */
function parseFlat(
  value: unknown,
  allowNull: boolean,
  ctx: z.core.$RefinementCtx<unknown>,
): Record<string, Scalar | null> | undefined {
  const kinds = allowNull ? "strings, numbers, booleans or null" : "strings, numbers or booleans";
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
    ctx.addIssue({
      code: "invalid_type",
      expected: "record",
      message: `must be a flat object of ${kinds}`,
      input: value,
    });
    return undefined;
  }
  let count = 0;
  for (const key in value) {
    if (Object.hasOwn(value, key) && ++count > LIMITS.keys) {
      ctx.addIssue({
        code: "too_big",
        origin: "object",
        maximum: LIMITS.keys,
        message: `must have at most ${LIMITS.keys} keys`,
        input: value,
      });
      return undefined;
    }
  }
  const out: Record<string, Scalar | null> = Object.create(null);
  let ok = true;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const fail = (message: string) => {
      ok = false;
      ctx.addIssue({ code: "custom", path: [key], message, input: v });
    };
    if (key.length === 0 || key.length > LIMITS.name) fail(`key must be 1 to ${LIMITS.name} characters long`);
    else if (key.includes("\u0000")) fail("key must not contain U+0000 (NUL)");
    else if (v === null && allowNull) out[key] = null;
    else if (typeof v === "number" ? Number.isFinite(v) : typeof v === "boolean") out[key] = v as number | boolean;
    else if (typeof v === "string") {
      if (v.length > LIMITS.short) fail(`must be at most ${LIMITS.short} characters long`);
      else if (v.includes("\u0000")) fail("must not contain U+0000 (NUL)");
      else out[key] = v;
    } else
      fail(
        `must be a string, a finite number or a boolean${allowNull ? " or null" : ""} (nested objects are not allowed)`,
      );
  }
  return ok ? out : undefined;
}

function flatRecord<V extends Scalar | null>(allowNull: boolean) {
  return z
    .custom<Record<string, V>>(() => true)
    .transform((value, ctx) => {
      const out = parseFlat(value, allowNull, ctx);
      return (out ?? z.NEVER) as Record<string, V>;
    });
}

/** Profile traits: a flat map of scalars (null clears a trait); at most 128 keys, any key names. */
export const Traits = flatRecord<Scalar | null>(true);
export type Traits = z.infer<typeof Traits>;

/** A flat map of offer terms: `{ apr: 5.9, fee: 0, currency: "EUR" }`; at most 128 keys, any key names. */
export const Terms = flatRecord<Scalar>(false);
export type Terms = z.infer<typeof Terms>;

/** The longest duration accepted anywhere (windows, SLAs, caps): 100 years, in seconds. */
const MAX_DURATION_SECONDS = 100 * 366 * 86_400;
const UNIT_SECONDS = {
  years: 366 * 86_400,
  months: 31 * 86_400,
  weeks: 7 * 86_400,
  days: 86_400,
  hours: 3_600,
  minutes: 60,
  seconds: 1,
} as const;
const unit = () => z.number().int().min(0).max(MAX_DURATION_SECONDS).optional();

/**
 * A date-fns `Duration`: `{ days: 3 }`, `{ hours: 1, minutes: 30 }`. At least one unit, none
 * negative, and at most 100 years in all, so that adding it to any date gives a real date.
 */
export const Duration = z
  .strictObject({
    years: unit(),
    months: unit(),
    weeks: unit(),
    days: unit(),
    hours: unit(),
    minutes: unit(),
    seconds: unit(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), "must set at least one unit")
  .refine((d) => {
    let total = 0;
    for (const [name, seconds] of Object.entries(UNIT_SECONDS)) total += (d[name as keyof typeof d] ?? 0) * seconds;
    return total <= MAX_DURATION_SECONDS;
  }, "must be at most 100 years in all");
export type Duration = z.infer<typeof Duration>;

/** Deepest nesting of arrays and objects accepted in metadata and eligibility conditions. */
export const MAX_NESTING = 32;

/**
 * Walks `value` iteratively (no recursion, so no stack overflow) and says why it is not JSON
 * within the bounds, or returns a copy whose objects have no prototype. Stops at the first
 * problem: size is checked while walking, not after.
 */
function copyJson(value: unknown, ctx: z.core.$RefinementCtx<unknown>): unknown {
  let budget = LIMITS.json;
  const fail = (message: string, path: (string | number)[]) => {
    ctx.addIssue({ code: "custom", message, path, input: value });
    return z.NEVER;
  };
  const root: { v: unknown } = { v: undefined };
  const stack: {
    from: unknown;
    into: Record<string, unknown> | unknown[];
    key: string | number;
    path: (string | number)[];
  }[] = [{ from: value, into: root as unknown as Record<string, unknown>, key: "v", path: [] }];
  while (stack.length > 0) {
    const { from, into, key, path } = stack.pop() as (typeof stack)[number];
    budget -= 1;
    if (budget < 0) return fail(`must serialise to at most ${LIMITS.json} characters`, []);
    if (path.length > MAX_NESTING)
      return fail(`must be nested at most ${MAX_NESTING} levels deep`, path.slice(0, MAX_NESTING));
    let copy: unknown;
    if (from === null || typeof from === "boolean") copy = from;
    else if (typeof from === "number") {
      if (!Number.isFinite(from)) return fail("must be a finite number", path);
      copy = from;
    } else if (typeof from === "string") {
      budget -= from.length;
      if (budget < 0) return fail(`must serialise to at most ${LIMITS.json} characters`, []);
      if (from.includes("\u0000")) return fail("must not contain U+0000 (NUL)", path);
      copy = from;
    } else if (Array.isArray(from)) {
      if (from.length > budget) return fail(`must serialise to at most ${LIMITS.json} characters`, []);
      const list: unknown[] = new Array(from.length);
      for (let i = from.length - 1; i >= 0; i--) stack.push({ from: from[i], into: list, key: i, path: [...path, i] });
      copy = list;
    } else if (
      (typeof from === "object" && Object.getPrototypeOf(from) === Object.prototype) ||
      (typeof from === "object" && from !== null && Object.getPrototypeOf(from) === null)
    ) {
      const object: Record<string, unknown> = Object.create(null);
      for (const k in from as object) {
        if (!Object.hasOwn(from as object, k)) continue;
        budget -= k.length;
        if (budget < 0) return fail(`must serialise to at most ${LIMITS.json} characters`, []);
        if (k.includes("\u0000")) return fail("key must not contain U+0000 (NUL)", [...path, k]);
        stack.push({ from: (from as Record<string, unknown>)[k], into: object, key: k, path: [...path, k] });
      }
      copy = object;
    } else return fail("must be JSON: strings, finite numbers, booleans, null, arrays and plain objects", path);
    (into as Record<string | number, unknown>)[key] = copy;
  }
  return root.v;
}

/** Arbitrary JSON metadata: at most 64 KiB serialised, nested at most 32 levels, any key names. */
export const JsonObject = z
  .custom<Record<string, z.core.util.JSONType>>(() => true)
  .transform((value, ctx) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: "invalid_type", expected: "record", message: "must be an object", input: value });
      return z.NEVER;
    }
    return copyJson(value, ctx) as Record<string, z.core.util.JSONType>;
  });

/**
 * Rejects input nested deeper than {@link MAX_NESTING} levels before `schema` walks it, so a
 * recursive schema (eligibility conditions) never overflows the stack.
 *
 * @param schema The schema to guard.
 * @returns A schema with the same input and output types.
 * @example
 * ```ts
 * const Guarded = boundedNesting(Condition);
 * ```
 */
export function boundedNesting<T>(schema: z.ZodType<T, T>): z.ZodType<T, T> {
  return z
    .custom<T>(() => true)
    .superRefine((value, ctx) => {
      const stack: [unknown, number][] = [[value, 0]];
      let nodes = 0;
      while (stack.length > 0) {
        const [v, depth] = stack.pop() as [unknown, number];
        if (++nodes > 100_000) {
          ctx.addIssue({ code: "custom", message: "is too large", input: value });
          return;
        }
        if (typeof v !== "object" || v === null) continue;
        if (depth >= MAX_NESTING) {
          ctx.addIssue({ code: "custom", message: `must be nested at most ${MAX_NESTING} levels deep`, input: value });
          return;
        }
        for (const child of Object.values(v)) stack.push([child, depth + 1]);
      }
    })
    .pipe(schema);
}
export type JsonObject = z.infer<typeof JsonObject>;
