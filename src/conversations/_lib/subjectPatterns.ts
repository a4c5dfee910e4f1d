/**
 * Compiled regular expressions for base subjects, one set per prefix list, cached so that
 * `baseSubject` compiles nothing on the hot path.
 */

/** The expressions `baseSubject` uses for one list of reply/forward prefixes. */
export interface SubjectPatterns {
  /**
   * The part of an RFC 5256 `subj-leader` after its `[blob]`s, with localised prefixes: a prefix,
   * an optional count (`[2]`, `^3`, `(4)` or any `[blob]`), and a colon (ASCII or full-width).
   * Sticky: set `lastIndex` to where it must match. Its match is bounded by the prefix, one blob
   * and the whitespace around them, so an attempt never rescans the rest of the subject.
   */
  prefix: RegExp | null;
  /** Sticky `[fwd: ` (or `[<prefix>: `) at the start of a `[fwd: …]` wrapper. */
  forwardWrapper: RegExp;
}

const BLOB = String.raw`\[[^\[\]]*\]`;
const COLON = "[:\uFF1A]";

/** Escapes the characters that are syntax in a `u`-mode regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** Alternation of the prefixes, longest first, normalised to NFC; empty entries are dropped. */
function alternation(prefixes: readonly string[]): string {
  const unique = new Set<string>();
  for (const prefix of prefixes) {
    const trimmed = prefix.normalize("NFC").trim();
    if (trimmed.length > 0) unique.add(trimmed);
  }
  return [...unique]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(escapeRegExp)
    .join("|");
}

function compile(prefixes: readonly string[]): SubjectPatterns {
  const alt = alternation(prefixes);
  const prefix =
    alt.length === 0 ? null : new RegExp(String.raw`(?:${alt})\s*(?:${BLOB}|\^\d+|\(\d+\))?\s*${COLON}\s*`, "iuy");
  const forwardWrapper = new RegExp(String.raw`\[\s*(?:fwd${alt.length > 0 ? `|${alt}` : ""})\s*${COLON}\s*`, "iuy");
  return { prefix, forwardWrapper };
}

const byList = new WeakMap<readonly string[], SubjectPatterns>();
const cache = new Map<string, SubjectPatterns>();
const CACHE_LIMIT = 64;

/**
 * The compiled patterns for a prefix list, cached by content. A frozen list (such as the default)
 * is also cached by identity, which skips building the content key on every call.
 */
export function subjectPatterns(prefixes: readonly string[]): SubjectPatterns {
  let patterns = byList.get(prefixes);
  if (patterns !== undefined) return patterns;
  const key = prefixes.join("\u0000");
  patterns = cache.get(key);
  if (patterns === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    patterns = compile(prefixes);
    cache.set(key, patterns);
  }
  if (Object.isFrozen(prefixes)) byList.set(prefixes, patterns);
  return patterns;
}
