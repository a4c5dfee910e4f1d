import { complaintSuppression } from "./rules/complaintSuppression.js";
import { consent } from "./rules/consent.js";
import { contactCap } from "./rules/contactCap.js";
import { eligibility } from "./rules/eligibility.js";
import { exclusivity } from "./rules/exclusivity.js";
import { honour } from "./rules/honour.js";
import { parity } from "./rules/parity.js";
import { validity } from "./rules/validity.js";
import type { Rule } from "./types.js";

/**
 * The built-in offer rules, in evaluation order: `parity`, `honour`, `validity`, `eligibility`,
 * `exclusivity`, `contact-cap`, `consent`, `complaint-suppression`. All are on by default.
 *
 * @example
 * ```ts
 * BUILT_IN_RULES.map((rule) => rule.id);
 * // ["parity", "honour", "validity", "eligibility", "exclusivity", "contact-cap", "consent", "complaint-suppression"]
 * ```
 */
export const BUILT_IN_RULES: readonly Rule<unknown>[] = Object.freeze([
  parity,
  honour,
  validity,
  eligibility,
  exclusivity,
  contactCap,
  consent,
  complaintSuppression,
] as Rule<unknown>[]);
