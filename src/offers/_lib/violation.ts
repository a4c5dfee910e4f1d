import type { Violation } from "../../schema/outputs.js";

/**
 * The violation a built-in rule reports. `evaluateRules` completes it with the offer, channel,
 * profile and presentation ids of the facts, so a rule names only what it found.
 */
export function violation(
  rule: string,
  severity: Violation["severity"],
  message: string,
  evidence: Record<string, unknown>,
): Violation {
  return { rule, severity, message, evidence };
}
