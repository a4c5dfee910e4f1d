import jaroWinkler from "talisman/metrics/jaro-winkler.js";
import levenshtein from "talisman/metrics/levenshtein.js";
import doubleMetaphone from "talisman/phonetics/double-metaphone.js";
import type { ComparisonLevel, FieldKind } from "../types.js";

/** Double Metaphone primary key of a cleaned name ('' when it has none). */
export function metaphone(name: string): string {
  return /^[a-z]+$/.test(name) ? doubleMetaphone(name)[0] : name;
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
