import type { Condition } from "../../schema/inputs.js";
import type { Scalar } from "../../schema/primitives.js";

/** A value in a condition description: strings quoted, arrays bracketed. */
export function showValue(value: Scalar | Scalar[] | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map(showValue).join(", ")}]`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** A condition in words: `age gte 18`, `tag vip present`, `any (…)`. */
export function describeCondition(condition: Condition): string {
  if ("all" in condition) return `all (${condition.all.map(describeCondition).join("; ")})`;
  if ("any" in condition) return `any (${condition.any.map(describeCondition).join("; ")})`;
  if ("not" in condition) return `not (${describeCondition(condition.not)})`;
  if ("tag" in condition) return `tag ${condition.tag} ${condition.present === false ? "absent" : "present"}`;
  if (condition.op === "exists") return `${condition.trait} ${condition.value === false ? "missing" : "exists"}`;
  return `${condition.trait} ${condition.op} ${showValue(condition.value)}`;
}
