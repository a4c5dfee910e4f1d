import { InvalidInputError } from "../errors.js";
import { CASE_REF_SCAN_LIMIT } from "./_lib/caseRefPattern.js";
import { typeName } from "./_lib/check.js";
import { compileCaseRefPattern } from "./compileCaseRefPattern.js";

/**
 * The built-in case-reference pattern: `LN-7781`-style references (2–6 upper-case ASCII letters, a
 * dash, 3 or more digits) and `#12345`-style ticket numbers (`#` and 4 or more digits). A match must
 * stand on its own: not glued to letters, digits or `_` on either side, and a `#` number not part
 * of an HTML entity (`&#12345;`). It is not global, so it keeps no `lastIndex` state.
 *
 * @example
 * ```ts
 * DEFAULT_CASE_REF_PATTERN.exec("Re: LN-7781 loan")?.[0]; // "LN-7781"
 * ```
 */
export const DEFAULT_CASE_REF_PATTERN: RegExp =
  /(?<![\p{L}\p{N}_])[A-Z]{2,6}-\d{3,}(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_&])#\d{4,}(?![\p{L}\p{N}_])/u;

const DEFAULT_SEARCH = new RegExp(DEFAULT_CASE_REF_PATTERN.source, "gu");

/**
 * Finds the first case reference in a subject or a text. With the default pattern it finds
 * `LN-7781`-style references and `#12345` ticket numbers. The result is normalised: trimmed and
 * upper-cased (`#` references keep their `#`). With your own pattern, the named group `ref` is
 * returned when the pattern has one and it matched, otherwise the whole match; empty matches are
 * skipped. A pattern is checked and compiled once by {@link compileCaseRefPattern}: an invalid
 * string, or a pattern with nested quantifiers, is an `InvalidInputError`. A RegExp's `g` and `y`
 * flags are ignored and its `lastIndex` is never read or changed, so the same pattern object can be
 * shared safely. Only the first {@link CASE_REF_SCAN_LIMIT} (10 000) characters of `text` are
 * searched, so the cost of a pattern is bounded whatever the length of a message.
 *
 * @param text - A subject line or message text.
 * @param pattern - The pattern to look for; default {@link DEFAULT_CASE_REF_PATTERN}.
 * @returns The normalised reference, or `null` when there is none.
 * @throws {InvalidInputError} when `text` is not a string or `pattern` is invalid or unsafe.
 *
 * @example
 * ```ts
 * findCaseRef("Re: your application LN-7781 (follow-up)"); // "LN-7781"
 * findCaseRef("Ticket #12345 is still open");              // "#12345"
 * findCaseRef("Call me at 555-1234 about ISSUE #12");      // null
 * findCaseRef("case ab/991", /case (?<ref>[a-z]+\/\d+)/);  // "AB/991"
 * ```
 */
export function findCaseRef(text: string, pattern: RegExp | string = DEFAULT_CASE_REF_PATTERN): string | null {
  if (typeof text !== "string") {
    throw new InvalidInputError("findCaseRef input", [
      { path: ["text"], code: "invalid_type", message: `must be a string, not ${typeName(text)}` },
    ]);
  }
  const compiled = pattern === DEFAULT_CASE_REF_PATTERN ? DEFAULT_SEARCH : compileCaseRefPattern(pattern);
  const bounded = text.length > CASE_REF_SCAN_LIMIT ? text.slice(0, CASE_REF_SCAN_LIMIT) : text;
  for (const match of bounded.matchAll(compiled)) {
    const found = (match.groups?.ref ?? match[0]).trim();
    if (found.length > 0) return found.toUpperCase();
  }
  return null;
}

export { CASE_REF_SCAN_LIMIT };
