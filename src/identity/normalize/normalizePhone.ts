import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /** Region assumed for numbers written without a country code, e.g. `"PL"`. */
  defaultRegion?: CountryCode;
}

function parseValid(text: string, region: CountryCode | undefined): string | null {
  const parsed = region === undefined ? parsePhoneNumberFromString(text) : parsePhoneNumberFromString(text, region);
  return parsed?.isValid() === true ? parsed.number : null;
}

/**
 * Normalises a phone number to E.164 (`+48601234567`) with libphonenumber-js, or returns `null`
 * when it is not a valid number.
 *
 * Validation is deliberately strict: the number must pass `isValid()` against libphonenumber's
 * full ("max") metadata, which checks the digits against the number ranges each country actually
 * assigns, not only the length. `isPossible()` (or `isValid()` with the smaller "min" metadata)
 * accepts junk of the right length such as `+48 111 111 111`; since a phone identifier links
 * profiles together, a wrongly accepted number does more harm than a refused one. An extension
 * (`ext. 12`) is dropped, as E.164 has none. A leading `00` international prefix is understood
 * with or without a `defaultRegion`.
 *
 * @param value - The raw number, e.g. `"601-234-567"` or `"+44 (0) 20 7946 0958"`.
 * @param options - {@link NormalizePhoneOptions}: the region for national numbers.
 * @returns The number in E.164 form, or `null` if it is not a valid phone number.
 *
 * @example
 * ```ts
 * normalizePhone("+48 601 234 567");                           // "+48601234567"
 * normalizePhone("601-234-567", { defaultRegion: "PL" });      // "+48601234567"
 * normalizePhone("(0) 20 7946 0958", { defaultRegion: "GB" }); // "+442079460958"
 * normalizePhone("0048 601 234 567");                          // "+48601234567"
 * normalizePhone("123", { defaultRegion: "PL" });              // null
 * ```
 */
export function normalizePhone(value: string, options?: NormalizePhoneOptions): string | null {
  const text = value.trim();
  if (text === "") return null;
  const region = options?.defaultRegion;
  const direct = parseValid(text, region);
  if (direct !== null) return direct;
  // `00` is the international prefix in most of the world; accept it even when the default
  // region uses another one (the US dials 011) or when no region is given.
  const international = /^00(?!0)/.exec(text) === null ? null : `+${text.slice(2)}`;
  return international === null ? null : parseValid(international, undefined);
}
