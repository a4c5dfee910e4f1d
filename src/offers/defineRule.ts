import type { Rule } from "./types.js";

/**
 * Declares a custom offer rule. It returns the rule unchanged; it exists so that TypeScript infers
 * the options type from `defaults` / `options` and checks `evaluate` against it.
 *
 * @param rule - `{ id, description?, options?, defaults?, evaluate(facts, options) }`
 * @returns the same rule
 *
 * @example
 * ```ts
 * const maxAmount = defineRule({
 *   id: "max-amount",
 *   defaults: { limit: 50_000 },
 *   evaluate(facts, { limit }) {
 *     const amount = facts.presentation.terms.amount;
 *     return typeof amount === "number" && amount > limit
 *       ? [{ rule: "max-amount", severity: "error", message: `Amount ${amount} is over ${limit}`, evidence: { amount, limit } }]
 *       : [];
 *   },
 * });
 * ```
 */
export function defineRule<O>(rule: Rule<O>): Rule<O> {
  return rule;
}
