export { type AuditInput, auditPresentations } from "./audit-presentations.js";
export { BUILT_IN_RULES } from "./built-in-rules.js";
export { createRuleSet } from "./create-rule-set.js";
export { defineRule } from "./define-rule.js";
export { type ConditionResult, type ConditionSubject, evaluateCondition } from "./evaluate-condition.js";
export { evaluateRules } from "./evaluate-rules.js";
export type * from "./types.js";
