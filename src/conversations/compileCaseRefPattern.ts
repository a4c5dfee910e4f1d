import { InvalidInputError } from "../errors.js";
import { caseRefPatternProblem } from "./_lib/caseRefPattern.js";

/**
 * Checks and compiles a case-reference pattern once, for `findCaseRef` and the `caseRefPattern`
 * option. A string is compiled with `new RegExp(pattern)`; a RegExp keeps its flags except `g`
 * and `y`. Rejected with an `invalid_input` error: a string that is not a valid regular
 * expression, and any pattern that repeats a group which itself repeats (`(a+)+`, `(\w*)*`,
 * `(?:x\d+){2,}`), because such patterns can backtrack catastrophically on customer text.
 *
 * @param pattern - A RegExp or a pattern string.
 * @returns A global RegExp that `findCaseRef` can use; cached, so it is compiled once.
 * @throws {InvalidInputError} `path: ["caseRefPattern"]` when the pattern is invalid or unsafe.
 *
 * @example
 * ```ts
 * compileCaseRefPattern("case (?<ref>[a-z]+/\\d+)").flags; // "g"
 * compileCaseRefPattern("(");      // throws InvalidInputError: caseRefPattern: is not a valid regular expression (…)
 * compileCaseRefPattern("(a+)+$"); // throws InvalidInputError: caseRefPattern: must not repeat a group that itself repeats …
 * ```
 */
export function compileCaseRefPattern(pattern: RegExp | string): RegExp {
  const cached = typeof pattern === "string" ? stringPatterns.get(pattern) : regexpPatterns.get(pattern as RegExp);
  if (cached !== undefined) return cached;
  const problem = caseRefPatternProblem(pattern);
  if (problem !== null) {
    throw new InvalidInputError("case reference pattern", [
      {
        path: ["caseRefPattern"],
        code: typeof pattern === "string" || pattern instanceof RegExp ? "invalid_value" : "invalid_type",
        message: problem,
      },
    ]);
  }
  if (typeof pattern === "string") {
    if (stringPatterns.size >= CACHE_LIMIT) stringPatterns.clear();
    const compiled = new RegExp(pattern, "g");
    stringPatterns.set(pattern, compiled);
    return compiled;
  }
  const compiled = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, "")}g`);
  regexpPatterns.set(pattern, compiled);
  return compiled;
}

const stringPatterns = new Map<string, RegExp>();
const regexpPatterns = new WeakMap<RegExp, RegExp>();
const CACHE_LIMIT = 64;
