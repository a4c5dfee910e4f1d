import { jaroWinkler as skyraJaroWinkler } from "@skyra/jaro-winkler";
import { doubleMetaphone } from "double-metaphone";
import { distance as levenshtein } from "fastest-levenshtein";
import type { ComparisonLevel, FieldKind } from "../types.js";

/**
 * Jaro–Winkler similarity with Winkler's usual boost: a common prefix of up to 4 characters raises
 * the Jaro similarity, but only when it is at least 0.7 (the definition splink and talisman use).
 * `@skyra/jaro-winkler` always boosts and counts a 4-character prefix as 5, so its Jaro similarity
 * is recovered from its result and boosted here. Its Jaro part uses a match window of
 * ⌊max length / 2⌋ rather than the textbook ⌊max length / 2⌋ − 1; the test beside the comparators
 * pins values so that an upgrade that changes either is noticed.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  if (/[\uD800-\uDFFF]/.test(a.slice(0, 8) + b.slice(0, 8))) {
    // Astral characters: @skyra/jaro-winkler counts code points, so count the prefix in them too.
    const ca = [...a];
    const cb = [...b];
    prefix = 0;
    while (prefix < 4 && ca[prefix] !== undefined && ca[prefix] === cb[prefix]) prefix++;
  }
  const skyraPrefix = prefix === 4 ? 5 : prefix;
  const boosted = skyraJaroWinkler(a, b);
  const jaro = (boosted - 0.1 * skyraPrefix) / (1 - 0.1 * skyraPrefix);
  return jaro < 0.7 ? jaro : jaro + prefix * 0.1 * (1 - jaro);
}

/** Double Metaphone primary key of a cleaned name, at most 4 characters ('' when it has none). */
export function metaphone(name: string): string {
  return /^[a-z]+$/.test(name) ? doubleMetaphone(name)[0].slice(0, 4) : name;
}

function compareNames(a: string, b: string, ka: string, kb: string): ComparisonLevel {
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return "close";
  if (jw >= 0.8) return "similar";
  // Nicknames and truncations ("rob" / "robert") and sound-alike spellings.
  if (a.length >= 2 && b.length >= 2 && (a.startsWith(b) || b.startsWith(a))) return "similar";
  return ka !== "" && ka === kb ? "similar" : "far";
}

function isYmd(s: string): boolean {
  return /^\d{8}$/.test(s);
}

function daysApart(a: string, b: string): number {
  const ta = Date.UTC(+a.slice(0, 4), +a.slice(4, 6) - 1, +a.slice(6, 8));
  const tb = Date.UTC(+b.slice(0, 4), +b.slice(4, 6) - 1, +b.slice(6, 8));
  return Math.abs(ta - tb) / 86_400_000;
}

function compareDates(a: string, b: string): ComparisonLevel {
  if (!isYmd(a) || !isYmd(b)) return compareText(a, b);
  // One mistyped digit, or day and month swapped (US vs European order).
  if (levenshtein(a, b) <= 1) return "close";
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) {
    return "close";
  }
  if (daysApart(a, b) <= 366 || levenshtein(a, b) <= 2) return "similar";
  return "far";
}

function compareText(a: string, b: string): ComparisonLevel {
  const distance = levenshtein(a, b);
  if (distance <= 1) return "close";
  if (distance <= 2 || jaroWinkler(a, b) >= 0.9) return "similar";
  return "far";
}

/**
 * The comparison level of two cleaned, present values of a field of the given kind; `ka`/`kb` are
 * their Double Metaphone keys (used by `name` fields only).
 */
export function compareValues(kind: FieldKind, a: string, b: string, ka = "", kb = ""): ComparisonLevel {
  if (a === b) return "exact";
  switch (kind) {
    case "name":
      return compareNames(a, b, ka, kb);
    case "date":
      return compareDates(a, b);
    case "text":
      return compareText(a, b);
    case "exact":
      return "far";
  }
}
