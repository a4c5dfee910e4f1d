import type { z } from "zod";
import { type InputIssue, InvalidInputError } from "../errors.js";

/** Turns zod issues into `{ path, message }` pairs; an unknown key is reported at its own path. */
export function toInputIssues(error: z.ZodError): InputIssue[] {
  const all = collectIssues(error);
  // One issue per field: the first is the most basic one ("must not be empty" before a pattern).
  const seen = new Set<string>();
  return all.filter((issue) => !seen.has(issue.path) && seen.add(issue.path));
}

function collectIssues(error: z.ZodError): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: [...base, key].join("."), message: `unknown key "${key}"` });
      }
    } else if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest (most specific) instead of a generic "invalid union".
      const branches = issue.errors.map((branch) => branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (depth(best) > base.length) {
        issues.push(...collectIssues({ issues: best } as unknown as z.ZodError));
      } else {
        issues.push({ path: base.join("."), message: issue.message });
      }
    } else {
      issues.push({ path: base.join("."), message: issue.message });
    }
  }
  return issues;
}

function depth(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }>): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
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
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(what, toInputIssues(result.error));
  return result.data;
}
