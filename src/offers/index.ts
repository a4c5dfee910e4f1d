export { type AuditInput, auditPresentations } from "./auditPresentations.js";
export { BUILT_IN_RULES } from "./builtInRules.js";
export { comparePresentations } from "./comparePresentations.js";
export { createRuleSet } from "./createRuleSet.js";
export { defineRule } from "./defineRule.js";
export { type ConditionResult, type ConditionSubject, evaluateCondition } from "./evaluateCondition.js";
export { evaluateRules } from "./evaluateRules.js";
export {
  COMPLAINT_SUPPRESSION_DEFAULTS,
  ComplaintSuppressionOptions,
  complaintSuppression as complaintSuppressionRule,
} from "./rules/complaintSuppression.js";
export { CONSENT_DEFAULTS, ConsentOptions, consent as consentRule } from "./rules/consent.js";
export { CONTACT_CAP_DEFAULTS, ContactCapOptions, contactCap as contactCapRule } from "./rules/contactCap.js";
export { ELIGIBILITY_DEFAULTS, EligibilityOptions, eligibility as eligibilityRule } from "./rules/eligibility.js";
export { EXCLUSIVITY_DEFAULTS, ExclusivityOptions, exclusivity as exclusivityRule } from "./rules/exclusivity.js";
export { DEFAULT_TERM_DIRECTIONS, HONOUR_DEFAULTS, HonourOptions, honour as honourRule } from "./rules/honour.js";
export { PARITY_DEFAULTS, ParityOptions, parity as parityRule } from "./rules/parity.js";
export { VALIDITY_DEFAULTS, ValidityOptions, validity as validityRule } from "./rules/validity.js";
export type * from "./types.js";
