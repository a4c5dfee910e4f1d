import type { Condition } from "../schema/inputs.js";
import type { Scalar } from "../schema/primitives.js";
import { describeCondition as describe, showValue as show } from "./_lib/describeCondition.js";

/** The part of a profile an eligibility condition looks at. */
export interface ConditionSubject {
  readonly traits: Readonly<Record<string, Scalar | null | undefined>>;
  readonly tags: readonly string[];
}

/** Result of {@link evaluateCondition}. */
export interface ConditionResult {
  /** Whether the subject meets the condition. */
  ok: boolean;
  /** When not ok: the leaf conditions that made it fail, in words, in condition order. */
  failed: string[];
}

/**
 * Evaluates a declarative eligibility condition against a profile's traits and tags.
 *
 * Semantics:
 * - `eq`, `gt`, `gte`, `lt`, `lte`, `in`, `contains` are false when the trait is missing (absent or `null`).
 * - `ne` and `nin` are true when the trait is missing (a missing value differs from anything).
 * - `exists` is true when the trait is present; with `value: false` when it is missing.
 * - `gt`/`gte`/`lt`/`lte` compare two numbers, or two strings (so ISO dates work); other pairs are false.
 * - `in`/`nin` take an array `value` (a single value is treated as a one-element array).
 * - `contains` is true when a string trait contains the string `value`.
 * - `{ tag, present }` is true when the profile has (`present` true, the default) or lacks the tag.
 * - `all` needs every child, `any` at least one, `not` inverts its child.
 *
 * @param condition - the condition (validated by the `Condition` schema)
 * @param subject - the profile's traits and tags
 * @returns `{ ok, failed }` where `failed` names the leaf conditions that failed
 *
 * @example
 * ```ts
 * const result = evaluateCondition(
 *   { all: [{ trait: "age", op: "gte", value: 18 }, { tag: "vip" }] },
 *   { traits: { age: 16 }, tags: ["vip"] },
 * );
 * // result: { ok: false, failed: ["age gte 18 (is 16)"] }
 * ```
 */
export function evaluateCondition(condition: Condition, subject: ConditionSubject): ConditionResult {
  const failed: string[] = [];
  const ok = check(condition, subject, failed);
  return { ok, failed: ok ? [] : failed };
}

function check(condition: Condition, subject: ConditionSubject, failed: string[]): boolean {
  if ("all" in condition) {
    let ok = true;
    for (const child of condition.all) if (!check(child, subject, failed)) ok = false;
    return ok;
  }
  if ("any" in condition) {
    const mark = failed.length;
    for (const child of condition.any) {
      if (check(child, subject, failed)) {
        failed.length = mark;
        return true;
      }
    }
    return false;
  }
  if ("not" in condition) {
    const inner: string[] = [];
    if (!check(condition.not, subject, inner)) return true;
    failed.push(`not (${describe(condition.not)})`);
    return false;
  }
  if ("tag" in condition) {
    const want = condition.present ?? true;
    if (subject.tags.includes(condition.tag) === want) return true;
    failed.push(want ? `tag ${condition.tag} present (it is not)` : `tag ${condition.tag} absent (it is present)`);
    return false;
  }
  // Own traits only: a trait named `constructor` is missing unless the profile has it.
  const actual = Object.hasOwn(subject.traits, condition.trait) ? subject.traits[condition.trait] : undefined;
  if (leaf(condition.op, actual ?? undefined, condition.value)) return true;
  failed.push(`${describe(condition)} (${actual === undefined || actual === null ? "missing" : `is ${show(actual)}`})`);
  return false;
}

function leaf(
  op: Extract<Condition, { op: unknown }>["op"],
  actual: Scalar | undefined,
  value: Scalar | Scalar[] | undefined,
): boolean {
  switch (op) {
    case "exists":
      return (actual !== undefined) === (value !== false);
    case "ne":
      return actual === undefined || actual !== value;
    case "nin":
      return actual === undefined || !asList(value).includes(actual);
    default:
      break;
  }
  if (actual === undefined) return false;
  switch (op) {
    case "eq":
      return actual === value;
    case "in":
      return asList(value).includes(actual);
    case "contains":
      return typeof actual === "string" && typeof value === "string" && actual.includes(value);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (
        !(
          (typeof actual === "number" && typeof value === "number") ||
          (typeof actual === "string" && typeof value === "string")
        )
      ) {
        return false;
      }
      if (op === "gt") return actual > value;
      if (op === "gte") return actual >= value;
      if (op === "lt") return actual < value;
      return actual <= value;
    }
  }
}

function asList(value: Scalar | Scalar[] | undefined): Scalar[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
