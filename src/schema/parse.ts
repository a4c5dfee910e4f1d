import type { z } from "zod";
import { type InputIssue, type InputIssueCode, InvalidInputError } from "../errors.js";

type RawIssue = z.core.$ZodIssue;
type RawIssueInput = z.core.$ZodRawIssue;

/**
 * Turns zod issues into `{ path, code, message }` issues, one per field; an unknown key is reported
 * at its own path.
 */
export function toInputIssues(error: { issues: readonly RawIssue[] }): InputIssue[] {
  const all = collectIssues(error.issues);
  // One issue per field: the first is the most basic one ("must not be empty" before a pattern).
  const seen = new Set<string>();
  return all.filter((issue) => {
    const key = JSON.stringify(issue.path);
    return !seen.has(key) && seen.add(key);
  });
}

function collectIssues(raw: readonly RawIssue[]): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of raw) {
    const base = issue.path.map(pathKey);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: [...base, key], code: "unrecognized_key", message: `unknown key "${key}"` });
      }
    } else if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest (most specific) instead of a generic "invalid union".
      const branches = issue.errors.map((branch) => branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (depth(best) > base.length) {
        issues.push(...collectIssues(best as RawIssue[]));
      } else {
        issues.push({ path: base, code: "invalid_union", message: issue.message });
      }
    } else {
      issues.push({ path: base, code: codeOf(issue.code), message: issue.message });
    }
  }
  return issues;
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === "number" ? key : String(key);
}

function codeOf(code: RawIssue["code"]): InputIssueCode {
  switch (code) {
    case "invalid_type":
    case "invalid_value":
    case "invalid_format":
    case "too_small":
    case "too_big":
    case "not_multiple_of":
    case "invalid_union":
    case "custom":
      return code;
    default:
      // invalid_key / invalid_element (record keys, map entries): the value at that path is wrong.
      return "invalid_value";
  }
}

function depth(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }>): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  date: "a valid Date",
  function: "a function",
  record: "an object",
  bigint: "a bigint",
  symbol: "a symbol",
  null: "null",
  undefined: "absent",
};

/**
 * The one sentence a user reads for an issue that its schema gave no message of its own. Passed to
 * zod per parse, so schema-level messages ("must not be empty") still win, and no zod locale text
 * reaches a user.
 */
export function issueMessage(issue: RawIssueInput): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describe(issue.input)}`;
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "string") return n <= 1 ? "must not be empty" : `must be at least ${n} characters long`;
      if (issue.origin === "array" || issue.origin === "set")
        return `must have at least ${n} item${n === 1 ? "" : "s"}`;
      return issue.inclusive === false ? `must be greater than ${n}` : `must be at least ${n}`;
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "string") return `must be at most ${n} characters long`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${n} items`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
    }
    case "invalid_format":
      return issue.format === "regex" ? "has an invalid format" : `must be a valid ${issue.format}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "invalid_union":
      return "does not match any of the accepted forms";
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
      return "has an invalid entry";
    default:
      return "is invalid";
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "an invalid Date";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return TYPE_NAMES[typeof value] ?? typeof value;
}

/**
 * Parses `input` with `schema`, throwing an {@link InvalidInputError} that names every bad field.
 *
 * @example
 * ```ts
 * const observation = parseInput(ObservationInput, input, "observation");
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input, { error: issueMessage });
  if (!result.success) throw new InvalidInputError(what, toInputIssues(result.error));
  return result.data;
}
