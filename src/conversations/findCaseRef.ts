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

const stringPatterns = new Map<string, RegExp>();
const regexpPatterns = new WeakMap<RegExp, RegExp>();
const CACHE_LIMIT = 64;

/** A global copy of `pattern` without the sticky flag, cached; `matchAll` never mutates it. */
function searchable(pattern: RegExp | string): RegExp {
  if (typeof pattern === "string") {
    let compiled = stringPatterns.get(pattern);
    if (compiled === undefined) {
      if (stringPatterns.size >= CACHE_LIMIT) stringPatterns.clear();
      compiled = new RegExp(pattern, "g");
      stringPatterns.set(pattern, compiled);
    }
    return compiled;
  }
  let compiled = regexpPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, "")}g`);
    regexpPatterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * Finds the first case reference in a subject or a text. With the default pattern it finds
 * `LN-7781`-style references and `#12345` ticket numbers. The result is normalised: trimmed and
 * upper-cased (`#` references keep their `#`). With your own pattern, the named group `ref` is
 * returned when the pattern has one and it matched, otherwise the whole match; empty matches are
 * skipped. A string pattern is compiled with `new RegExp(pattern)` (an invalid one throws a
 * `SyntaxError`); a RegExp's `g` and `y` flags are ignored and its `lastIndex` is never read or
 * changed, so the same pattern object can be shared safely.
 *
 * @param text - A subject line or message text.
 * @param pattern - The pattern to look for; default {@link DEFAULT_CASE_REF_PATTERN}.
 * @returns The normalised reference, or `null` when there is none.
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
  for (const match of text.matchAll(searchable(pattern))) {
    const found = (match.groups?.ref ?? match[0]).trim();
    if (found.length > 0) return found.toUpperCase();
  }
  return null;
}
