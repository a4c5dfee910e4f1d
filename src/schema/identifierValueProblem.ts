/**
 * Identifier-value character rules, without zod, so pure normalisers can use them.
 *
 * @module
 */

/** Longest identifier value (raw or normalised), in UTF-16 code units. */
export const MAX_IDENTIFIER_VALUE_LENGTH = 1024;

/** Characters no identifier value may hold. */
const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\p{Cf}]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a string cannot be an identifier value, or `null` when it can. Refused, never stripped,
 * because stripping would merge identities that look the same but are not: control characters
 * (U+0000 included), invisible format characters (zero-width space and joiners, bidi controls
 * such as U+202E, the byte-order mark, soft hyphen: Unicode category Cf) and lone surrogates.
 *
 * @param value The identifier value (raw input, or what a custom normaliser returned).
 * @returns A sentence naming the offending character, or `null`.
 * @example
 * ```ts
 * identifierValueProblem("jan@shop.pl"); // null
 * identifierValueProblem("jan\u200b@shop.pl"); // "must not contain the invisible or control character U+200B"
 * ```
 */
export function identifierValueProblem(value: string): string | null {
  const bad = INVISIBLE_OR_CONTROL.exec(value);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return `must not contain the invisible or control character U+${code}`;
  }
  if (LONE_SURROGATE.test(value)) return "must not contain a lone surrogate (malformed UTF-16)";
  return null;
}
