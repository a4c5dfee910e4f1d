import type { Scalar } from "../../schema/primitives.js";

/** One term that differs between what was presented and what it is compared with. */
export interface TermDifference {
  term: string;
  /** Presented value; absent when the term was not presented. */
  presented?: Scalar;
  /** Value compared with; absent when it has no such term. */
  expected?: Scalar;
}

/** How {@link diffTerms} compares. */
export interface DiffOptions {
  /** Absolute tolerance for numbers. */
  tolerance: number;
  /** Terms never compared. */
  ignore: readonly string[];
  /** Report presented terms that `expected` lacks. */
  extra: boolean;
  /** Report terms of `expected` that were not presented. */
  missing: boolean;
}

/** Whether two term values are the same, numbers within `tolerance`. */
export function sameValue(a: Scalar, b: Scalar, tolerance: number): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= tolerance + 1e-12;
  return false;
}

/**
 * Terms that differ, ordered by term name. The expected value of a term is `override[term]` when
 * the override has it, else `expected[term]` (no merged object is built).
 */
export function diffTerms(
  presented: Readonly<Record<string, Scalar>>,
  expected: Readonly<Record<string, Scalar>>,
  options: DiffOptions,
  override?: Readonly<Record<string, Scalar>>,
): TermDifference[] {
  const out: TermDifference[] = [];
  // Own keys only, everywhere: a term named `constructor` or `toString` is a term like any other.
  const own = (terms: Readonly<Record<string, Scalar>> | undefined, term: string): Scalar | undefined =>
    terms !== undefined && Object.hasOwn(terms, term) ? terms[term] : undefined;
  for (const term of Object.keys(presented)) {
    if (options.ignore.length > 0 && options.ignore.includes(term)) continue;
    const p = presented[term] as Scalar;
    const e = own(override, term) ?? own(expected, term);
    if (e === undefined) {
      if (options.extra) out.push({ term, presented: p });
    } else if (!sameValue(p, e, options.tolerance)) {
      out.push({ term, presented: p, expected: e });
    }
  }
  if (options.missing) {
    const seen = new Set<string>();
    for (const source of override === undefined ? [expected] : [override, expected]) {
      for (const term of Object.keys(source)) {
        if (seen.has(term) || options.ignore.includes(term) || own(presented, term) !== undefined) continue;
        seen.add(term);
        out.push({ term, expected: source[term] as Scalar });
      }
    }
  }
  if (out.length > 1) out.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return out;
}

const ACRONYMS = new Set(["apr", "apy", "rrso", "ltv", "vat", "ear", "aer"]);

/** How a term is named in messages: `apr` -> "APR", others as they are. */
export function termLabel(term: string): string {
  return ACRONYMS.has(term.toLowerCase()) ? term.toUpperCase() : term;
}

/** A term value in a message. */
export function formatValue(value: Scalar | undefined): string {
  return value === undefined ? "(none)" : String(value);
}
