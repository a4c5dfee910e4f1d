import { isSupportedCountry } from "libphonenumber-js/max";
import { InvalidInputError } from "../../errors.js";
import { identifierValueProblem, MAX_IDENTIFIER_VALUE_LENGTH } from "../../schema/identifierValueProblem.js";
import type { IdentifierNormalizer } from "../../schema/options.js";
import type { Identifier } from "../../schema/primitives.js";
import { identifierKey } from "./identifierKey.js";
import { normalizeEmail } from "./normalizeEmail.js";
import { normalizePhone } from "./normalizePhone.js";

/** Options of {@link normalizeIdentifier}. */
export interface NormalizeOptions {
  /** Region for phone numbers without a country code, e.g. `"PL"` (ISO 3166-1 alpha-2). */
  defaultRegion?: string;
  /** Apply Gmail-style provider rules to emails (see `normalizeEmail`). Off by default. */
  emailProviderRules?: boolean;
  /** Custom normalisers per identifier type; one registered for `email` or `phone` replaces the built-in. */
  normalizers?: Record<string, IdentifierNormalizer>;
  /**
   * The only identifier types accepted (`identity.strictTypes`); any other type throws
   * `invalid_input` naming the type, instead of becoming a new custom type. Default: any type.
   */
  knownTypes?: readonly string[];
}

/** Result of {@link normalizeIdentifier}: the normalised identifier and its key, or a refusal with a reason. */
export type NormalizeResult =
  | { ok: true; identifier: Identifier; key: string }
  | { ok: false; identifier: Identifier; reason: string };

function builtIn(identifier: Identifier, options: NormalizeOptions | undefined): string | null {
  switch (identifier.type) {
    case "email":
      return normalizeEmail(identifier.value, { providerRules: options?.emailProviderRules === true });
    case "phone": {
      const region = options?.defaultRegion;
      return region !== undefined && isSupportedCountry(region)
        ? normalizePhone(identifier.value, { defaultRegion: region })
        : normalizePhone(identifier.value);
    }
    default: {
      const trimmed = identifier.value.trim().normalize("NFC");
      return trimmed === "" ? null : trimmed;
    }
  }
}

function reasonFor(type: string, custom: boolean): string {
  if (custom) return `the custom normaliser for "${type}" refused the value`;
  if (type === "email") return "not a valid email address";
  if (type === "phone") return "not a valid phone number";
  return "empty after trimming";
}

/**
 * Normalises one identifier so that spellings of the same value compare equal, or refuses it with
 * a reason (a value that cannot be normalised is never stored as garbage).
 *
 * - `email`: `normalizeEmail` (trim, lower-case, IDN domain to punycode; provider rules if
 *   `emailProviderRules`).
 * - `phone`: `normalizePhone` (E.164 through libphonenumber-js, `defaultRegion` for national
 *   numbers; an unknown region is ignored).
 * - any other type: trimmed and Unicode-NFC-normalised. Case and inner whitespace are kept, because
 *   other identifiers are opaque (`"AB 12"` and `"ab  12"` may be different ids); register a custom
 *   normaliser for a type that should ignore them.
 * - a custom normaliser registered for the type (also `email`/`phone`) replaces the built-in; its
 *   result is trimmed, and `null`, an empty result or a thrown error refuses the value.
 *
 * The type is never changed: type names are case-sensitive. With `knownTypes`, a type outside the
 * list is a mistake, not an identifier: it throws `invalid_input` (path `["type"]`).
 *
 * @param identifier - The raw identifier, e.g. `{ type: "email", value: " Jan@X.PL " }`.
 * @param options - {@link NormalizeOptions}.
 * @returns `{ ok: true, identifier, key }` with the normalised identifier and its `type:value` key,
 *   or `{ ok: false, identifier, reason }` with the raw identifier.
 * @throws {InvalidInputError} `invalid_input` for a type outside `knownTypes`
 *
 * @example
 * ```ts
 * normalizeIdentifier({ type: "email", value: " Jan@X.PL " });
 * // { ok: true, identifier: { type: "email", value: "jan@x.pl" }, key: "email:jan@x.pl" }
 * normalizeIdentifier({ type: "phone", value: "601 234 567" }, { defaultRegion: "PL" });
 * // { ok: true, identifier: { type: "phone", value: "+48601234567" }, key: "phone:+48601234567" }
 * normalizeIdentifier({ type: "phone", value: "not-a-phone" });
 * // { ok: false, identifier: { type: "phone", value: "not-a-phone" }, reason: "not a valid phone number" }
 * normalizeIdentifier({ type: "crmId", value: "c-1" }, { normalizers: { crmId: (v) => v.toUpperCase() } });
 * // { ok: true, identifier: { type: "crmId", value: "C-1" }, key: "crmId:C-1" }
 * normalizeIdentifier({ type: "emial", value: "jan@x.pl" }, { knownTypes: ["email", "phone"] });
 * // throws InvalidInputError: type: unknown identifier type "emial" (accepted: email, phone)
 * ```
 */
export function normalizeIdentifier(identifier: Identifier, options?: NormalizeOptions): NormalizeResult {
  const known = options?.knownTypes;
  if (known !== undefined && !known.includes(identifier.type)) {
    throw new InvalidInputError("identifier", [
      {
        path: ["type"],
        code: "invalid_value",
        message: `unknown identifier type ${JSON.stringify(identifier.type)} (accepted: ${known.join(", ")})`,
      },
    ]);
  }
  const normalizers = options?.normalizers;
  // Own properties only: a type named `toString` must not pick up Object.prototype.toString.
  const custom =
    normalizers !== undefined && Object.hasOwn(normalizers, identifier.type) ? normalizers[identifier.type] : undefined;
  const refused = identifierValueProblem(identifier.value);
  if (refused !== null) return { ok: false, identifier, reason: `the value ${refused}` };
  let value: string | null;
  if (custom === undefined) {
    value = builtIn(identifier, options);
  } else {
    try {
      const out = custom(identifier.value);
      // Checked before anything walks it: a normaliser may return megabytes or invisible characters.
      if (typeof out === "string" && out.length > MAX_IDENTIFIER_VALUE_LENGTH) {
        return {
          ok: false,
          identifier,
          reason: `the custom normaliser for "${identifier.type}" returned ${out.length} characters, more than ${MAX_IDENTIFIER_VALUE_LENGTH}`,
        };
      }
      value = typeof out === "string" && out.trim() !== "" ? out.trim() : null;
      const problem = value === null ? null : identifierValueProblem(value);
      if (problem !== null) {
        return {
          ok: false,
          identifier,
          reason: `the custom normaliser for "${identifier.type}" returned a value that ${problem}`,
        };
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, identifier, reason: `the custom normaliser for "${identifier.type}" threw: ${message}` };
    }
  }
  if (value === null) return { ok: false, identifier, reason: reasonFor(identifier.type, custom !== undefined) };
  const normalized = { type: identifier.type, value };
  return { ok: true, identifier: normalized, key: identifierKey(normalized) };
}
