/**
 * Small input checks for the pure conversation functions. They stand in for zod so that
 * `import { threadEmails }` stays small: each check adds an {@link InputIssue} naming the field,
 * and {@link throwIfIssues} turns the list into one {@link InvalidInputError}.
 */
import { type InputIssue, type InputPathKey, InvalidInputError } from "../../errors.js";

/** Describes a value for a message, as the schemas do: `null`, `an array`, `a number`, … */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "absent";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : type === "undefined" ? "absent" : `a ${type}`;
}

/** Adds an `invalid_type` issue: `must be <expected>, not <what it is>` (`is required` when absent). */
export function wrongType(issues: InputIssue[], path: InputPathKey[], expected: string, value: unknown): void {
  const message = value === undefined ? "is required" : `must be ${expected}, not ${typeName(value)}`;
  issues.push({ path, code: "invalid_type", message });
}

/** True for a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that `value` is `undefined`, `null` or a string; `null` means absent. */
export function checkOptionalString(issues: InputIssue[], path: InputPathKey[], value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "string") wrongType(issues, path, "a string", value);
}

/** Checks that `value` is `undefined` or a boolean. */
export function checkOptionalBoolean(issues: InputIssue[], path: InputPathKey[], value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") wrongType(issues, path, "a boolean", value);
}

/** Checks that `value` is `undefined` (or `null` when `nullable`) or an array of strings. */
export function checkOptionalStrings(
  issues: InputIssue[],
  path: InputPathKey[],
  value: unknown,
  nullable = false,
): void {
  if (value === undefined || (nullable && value === null)) return;
  if (!Array.isArray(value)) {
    wrongType(issues, path, "an array of strings", value);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== "string") {
      wrongType(issues, [...path, i], "a string", value[i]);
      if (issues.length >= MAX_ISSUES) return;
    }
  }
}

/** Checks an options argument: `undefined` or an object whose listed keys pass `check`. */
export function checkOptionsObject(
  issues: InputIssue[],
  value: unknown,
  check: (options: Record<string, unknown>) => void,
): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    wrongType(issues, ["options"], "an object", value);
    return;
  }
  check(value);
}

/** Stop collecting after this many issues: one bad field per message in a million would be noise. */
export const MAX_ISSUES = 20;

/** Throws one {@link InvalidInputError} when `issues` is not empty. */
export function throwIfIssues(what: string, issues: InputIssue[]): void {
  if (issues.length > 0) throw new InvalidInputError(what, issues.slice(0, MAX_ISSUES));
}
