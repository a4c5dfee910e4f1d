import { type InputIssue, InvalidInputError } from "../errors.js";
import { issueMessage, toInputIssues } from "../schema/parse.js";
import { BUILT_IN_RULES } from "./builtInRules.js";
import type { ConfiguredRule, Rule, RuleSet, RuleSetOptions } from "./types.js";

/**
 * Builds the rule set the engine evaluates: the built-in rules (minus those switched off with
 * `false`) with their options validated and merged over their defaults, followed by the custom
 * rules in the order given. A custom rule is configured the same way, by its id in `rules`; its
 * options are validated by its own `options` schema when it has one.
 *
 * @param options - `{ rules?: { [ruleId]: false | options }, custom?: Rule[] }`
 * @returns a frozen {@link RuleSet}
 * @throws InvalidInputError listing every problem, with paths such as
 *   `offers.rules.contact-cap.per` (a bad option), `offers.rules.typo` (an unknown rule id) or
 *   `offers.custom.0.id` (a duplicate custom id, or one that clashes with a built-in rule)
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
 * const ruleSet = createRuleSet({
 *   rules: { "contact-cap": { max: 2, per: { days: 14 } }, exclusivity: false },
 *   custom: [maxAmount],
 * });
 * ruleSet.rules.map((rule) => rule.id);
 * // ["parity", "honour", "validity", "eligibility", "contact-cap", "consent", "complaint-suppression", "max-amount"]
 * ```
 */
export function createRuleSet(options: RuleSetOptions = {}): RuleSet {
  const issues: InputIssue[] = [];
  const known = new Map<string, { rule: Rule<unknown>; builtIn: boolean }>();
  for (const rule of BUILT_IN_RULES) known.set(rule.id, { rule, builtIn: true });

  const custom: readonly unknown[] = Array.isArray(options.custom) ? options.custom : [];
  if (options.custom !== undefined && !Array.isArray(options.custom)) {
    issues.push({ path: ["offers", "custom"], code: "invalid_type", message: "must be an array of rules" });
  }
  custom.forEach((candidate, i) => {
    const rule = candidate as Partial<Rule<unknown>> | null;
    if (typeof rule !== "object" || rule === null || typeof rule.evaluate !== "function") {
      issues.push({
        path: ["offers", "custom", i],
        code: "invalid_type",
        message: "must be a rule { id, evaluate(facts, options) }",
      });
    } else if (typeof rule.id !== "string" || rule.id.length === 0) {
      issues.push({
        path: ["offers", "custom", i, "id"],
        code: "invalid_value",
        message: "must be a non-empty string",
      });
    } else if (known.get(rule.id)?.builtIn) {
      issues.push({
        path: ["offers", "custom", i, "id"],
        code: "invalid_value",
        message: `"${rule.id}" clashes with the built-in rule of that id`,
      });
    } else if (known.has(rule.id)) {
      issues.push({
        path: ["offers", "custom", i, "id"],
        code: "invalid_value",
        message: `duplicate custom rule id "${rule.id}"`,
      });
    } else {
      known.set(rule.id, { rule: rule as Rule<unknown>, builtIn: false });
    }
  });

  const given = options.rules ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    issues.push({
      path: ["offers", "rules"],
      code: "invalid_type",
      message: "must be an object of rule id -> false | options",
    });
  }
  const config = typeof given === "object" && given !== null && !Array.isArray(given) ? given : {};
  for (const id of Object.keys(config)) {
    if (!known.has(id)) {
      issues.push({
        path: ["offers", "rules", id],
        code: "unrecognized_key",
        message: `unknown rule "${id}" (known: ${[...known.keys()].join(", ")})`,
      });
    }
  }

  const rules: ConfiguredRule[] = [];
  for (const [id, { rule, builtIn }] of known) {
    const setting = Object.hasOwn(config, id) ? config[id] : undefined;
    if (setting === false) continue;
    if (setting !== undefined && (typeof setting !== "object" || setting === null || Array.isArray(setting))) {
      issues.push({
        path: ["offers", "rules", id],
        code: "invalid_type",
        message: "must be false or an options object",
      });
      continue;
    }
    const defaults = rule.defaults;
    const raw =
      setting === undefined ? (defaults ?? {}) : isPlainObject(defaults) ? { ...defaults, ...setting } : setting;
    let resolved: unknown = raw;
    if (rule.options !== undefined) {
      const result = rule.options.safeParse(raw, { error: issueMessage });
      if (!result.success) {
        for (const issue of toInputIssues(result.error)) {
          issues.push({ ...issue, path: ["offers", "rules", id, ...issue.path] });
        }
        continue;
      }
      resolved = result.data;
    }
    rules.push(
      Object.freeze({
        id,
        builtIn,
        options: deepFreeze(resolved),
        evaluate: rule.evaluate.bind(rule) as ConfiguredRule["evaluate"],
      }),
    );
  }
  if (issues.length > 0) throw new InvalidInputError("offer options", issues);
  return Object.freeze({ rules: Object.freeze(rules) });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
