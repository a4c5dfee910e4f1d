/**
 * Validation and compilation of user case-reference patterns: a syntax check, and a static check
 * that rejects nested quantifiers (`(a+)+`, `(\w*)*`, `((ab)+){2,}`), the shape behind
 * catastrophic backtracking, because these patterns run on text that customers write.
 */

/** How many characters of a subject or text `findCaseRef` looks at. */
export const CASE_REF_SCAN_LIMIT = 10_000;

/** Why `pattern` cannot be used as a case-reference pattern, or `null` when it can. */
export function caseRefPatternProblem(pattern: unknown): string | null {
  let source: string;
  let flags = "";
  if (pattern instanceof RegExp) {
    source = pattern.source;
    flags = pattern.flags;
  } else if (typeof pattern === "string") {
    if (pattern.length === 0) return "must not be empty";
    source = pattern;
    try {
      new RegExp(pattern);
    } catch (error) {
      return `is not a valid regular expression (${(error as Error).message})`;
    }
  } else {
    return "must be a RegExp or a pattern string";
  }
  const nested = findNestedQuantifier(source, flags.includes("v"));
  return nested === null
    ? null
    : `must not repeat a group that itself repeats (${JSON.stringify(nested)}): it can backtrack catastrophically`;
}

interface Frame {
  start: number;
  repeats: boolean;
}

/**
 * The first group in `source` that is quantified to repeat and contains a repeating quantifier,
 * or `null`. One pass over the source; escapes and character classes are skipped as atoms.
 */
export function findNestedQuantifier(source: string, nestedClasses = false): string | null {
  const stack: Frame[] = [{ start: 0, repeats: false }];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let atomEnd: number;
    let closed: Frame | null = null;
    if (c === "\\") {
      atomEnd = skipEscape(source, i);
    } else if (c === "[") {
      atomEnd = skipClass(source, i, nestedClasses);
    } else if (c === "(") {
      stack.push({ start: i, repeats: false });
      i = skipGroupPrefix(source, i + 1);
      continue;
    } else if (c === ")") {
      closed = stack.length > 1 ? (stack.pop() as Frame) : null;
      atomEnd = i + 1;
    } else {
      atomEnd = i + 1;
      if (c === "|" || c === "^" || c === "$") {
        i = atomEnd;
        continue;
      }
    }
    const quantifier = readQuantifier(source, atomEnd);
    const frame = stack[stack.length - 1] as Frame;
    if (closed?.repeats) frame.repeats = true;
    if (quantifier.repeats) {
      if (closed?.repeats) return source.slice(closed.start, quantifier.end);
      frame.repeats = true;
    }
    i = quantifier.end;
  }
  return null;
}

/** End of the escape at `i` (`\d`, `\u{1F600}`, `\p{L}`, `\k<name>`, `\x41`, …). */
function skipEscape(source: string, i: number): number {
  const next = source[i + 1];
  if ((next === "u" || next === "p" || next === "P") && source[i + 2] === "{") {
    const close = source.indexOf("}", i + 3);
    return close < 0 ? source.length : close + 1;
  }
  if (next === "k" && source[i + 2] === "<") {
    const close = source.indexOf(">", i + 3);
    return close < 0 ? source.length : close + 1;
  }
  return Math.min(source.length, i + 2);
}

/** End of the character class at `i`; with the `v` flag classes may nest. */
function skipClass(source: string, i: number, nested: boolean): number {
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === "\\") {
      j++;
    } else if (c === "[" && (j === i || nested)) {
      depth++;
    } else if (c === "]") {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return source.length;
}

/** Skips `?:`, `?=`, `?!`, `?<=`, `?<!` and `?<name>` after an opening parenthesis. */
function skipGroupPrefix(source: string, i: number): number {
  if (source[i] !== "?") return i;
  const next = source[i + 1];
  if (next === ":" || next === "=" || next === "!") return i + 2;
  if (next === "<") {
    if (source[i + 2] === "=" || source[i + 2] === "!") return i + 3;
    const close = source.indexOf(">", i + 2);
    return close < 0 ? source.length : close + 1;
  }
  return i + 1;
}

/** The quantifier at `i`, if any: whether it can repeat its atom more than once, and its end. */
function readQuantifier(source: string, i: number): { repeats: boolean; end: number } {
  const c = source[i];
  let repeats = false;
  let end = i;
  if (c === "*" || c === "+") {
    repeats = true;
    end = i + 1;
  } else if (c === "?") {
    end = i + 1;
  } else if (c === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (match !== null) {
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === "" ? Number.POSITIVE_INFINITY : Number(match[3]);
      repeats = max > 1;
      end = i + match[0].length;
    }
  }
  if (end > i && source[end] === "?") end++; // lazy
  return { repeats, end: Math.max(end, i) };
}
