export { type AuditInput, auditPresentations } from "./audit-presentations.js";
export { BUILT_IN_RULES } from "./built-in-rules.js";
export { comparePresentations } from "./compare-presentations.js";
export { createRuleSet } from "./create-rule-set.js";
export { defineRule } from "./define-rule.js";
export { type ConditionResult, type ConditionSubject, evaluateCondition } from "./evaluate-condition.js";
export { evaluateRules } from "./evaluate-rules.js";
export {
  COMPLAINT_SUPPRESSION_DEFAULTS,
  ComplaintSuppressionOptions,
  complaintSuppression as complaintSuppressionRule,
} from "./rules/complaint-suppression.js";
export { CONSENT_DEFAULTS, ConsentOptions, consent as consentRule } from "./rules/consent.js";
export { CONTACT_CAP_DEFAULTS, ContactCapOptions, contactCap as contactCapRule } from "./rules/contact-cap.js";
export { ELIGIBILITY_DEFAULTS, EligibilityOptions, eligibility as eligibilityRule } from "./rules/eligibility.js";
export { EXCLUSIVITY_DEFAULTS, ExclusivityOptions, exclusivity as exclusivityRule } from "./rules/exclusivity.js";
export { DEFAULT_TERM_DIRECTIONS, HONOUR_DEFAULTS, HonourOptions, honour as honourRule } from "./rules/honour.js";
export { PARITY_DEFAULTS, ParityOptions, parity as parityRule } from "./rules/parity.js";
export { VALIDITY_DEFAULTS, ValidityOptions, validity as validityRule } from "./rules/validity.js";
export type * from "./types.js";
