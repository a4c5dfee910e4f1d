import { compareStrings } from "../_lib/hash.js";
import type { Violation } from "../schema/outputs.js";
import type { ConfiguredRule, OfferFacts, RuleSet } from "./types.js";

/**
 * Evaluates every rule of the set against one presentation. Pure and synchronous; the facts are
 * not changed.
 *
 * - Each violation gets `rule` set to the id of the rule that returned it, and `offerId`,
 *   `channel`, `profileId` (the profile of the facts) and `presentationId` (when the presentation
 *   has an id) filled in when the rule left them out.
 * - A rule that throws, or returns something other than an array, is reported as one `error`
 *   violation of that rule: "Rule <id> failed: <error message>", with the error in `evidence`.
 *   The other rules still run.
 * - Order: by the rule's position in the set, then by message, then by evidence (as JSON).
 *
 * @param ruleSet - rules from {@link createRuleSet}
 * @param facts - the presentation and everything the rules may look at
 * @returns the violations, in a deterministic order; empty when the presentation is fine
 *
 * @example
 * ```ts
 * const loan = { id: "loan", version: 1, name: "Personal loan", category: "marketing", terms: { apr: 5.9 },
 *   definedAt: "2026-03-01T00:00:00.000Z" };
 * const shownOnWeb = { id: "pr-1", profileId: "p1", offerId: "loan", offerVersion: 1, channel: "web",
 *   at: "2026-04-02T10:00:00.000Z", terms: { apr: 5.9 } };
 * // About to quote 6.9 on the phone, the day after the web showed 5.9.
 * const facts = {
 *   now: "2026-04-03T09:00:00.000Z",
 *   presentation: { profileId: "p1", offerId: "loan", offerVersion: 1, channel: "phone",
 *     at: "2026-04-03T09:00:00.000Z", terms: { apr: 6.9 } },
 *   offer: loan, versions: [loan], catalogue: new Map([["loan", [loan]]]),
 *   profile: { id: "p1", traits: {}, tags: [] },
 *   history: [shownOnWeb], conversations: [], consents: [],
 * };
 * const violations = evaluateRules(createRuleSet(), facts);
 * violations.map((v) => [v.rule, v.message]);
 * // [["parity", "APR 6.9 on phone differs from the catalogue's 5.9 (loan v1)"],
 * //  ["honour", "APR 6.9 on phone differs from 5.9 shown on web on 2 Apr"]]
 * violations[1].evidence.earlier; // { presentationId: "pr-1", channel: "web", at: "2026-04-02T10:00:00.000Z", offerVersion: 1 }
 * ```
 */
export function evaluateRules(ruleSet: RuleSet, facts: OfferFacts): Violation[] {
  const rules = ruleSet.rules;
  let out: Violation[] | undefined;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as ConfiguredRule;
    let found: readonly Violation[];
    try {
      found = rule.evaluate(facts, rule.options as never);
      if (!Array.isArray(found)) throw new TypeError(`evaluate returned ${typeof found}, not an array`);
    } catch (error) {
      found = [failure(rule.id, error)];
    }
    if (found.length === 0) continue;
    out ??= [];
    const start = out.length;
    for (const violation of found) out.push(complete(violation, rule.id, facts));
    if (found.length > 1) sortFrom(out, start);
  }
  return out ?? [];
}

function complete(v: Violation, rule: string, facts: OfferFacts): Violation {
  const presentation = facts.presentation;
  const out: Violation = {
    rule,
    severity: v.severity === "warning" ? "warning" : "error",
    message: String(v.message),
    offerId: v.offerId ?? presentation.offerId,
    channel: v.channel ?? presentation.channel,
    profileId: v.profileId ?? facts.profile.id,
    evidence: v.evidence ?? {},
  };
  const presentationId = v.presentationId ?? presentation.id;
  if (presentationId !== undefined) out.presentationId = presentationId;
  return out;
}

function failure(rule: string, error: unknown): Violation {
  const message = error instanceof Error ? error.message : String(error);
  return {
    rule,
    severity: "error",
    message: `Rule ${rule} failed: ${message}`,
    evidence: { error: error instanceof Error ? error.name : typeof error, message },
  };
}

function sortFrom(list: Violation[], start: number): void {
  const part = list.slice(start).sort(compareViolations);
  for (let i = 0; i < part.length; i++) list[start + i] = part[i] as Violation;
}

function compareViolations(a: Violation, b: Violation): number {
  return compareStrings(a.message, b.message) || compareStrings(stableJson(a.evidence), stableJson(b.evidence));
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)),
        )
      : v,
  );
}
