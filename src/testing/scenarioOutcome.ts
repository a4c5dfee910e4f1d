import { compareStrings as byString } from "../_lib/hash.js";
import type { CustomerContext } from "../context.js";
import { isCustomerContextError } from "../errors.js";
import type { Scenario, ScenarioExpectation, ScenarioIdentifier } from "./scenarios.js";

function identifiersOf(items: Scenario["items"]): ScenarioIdentifier[] {
  const found: ScenarioIdentifier[] = [];
  for (const item of items) {
    for (const field of ["identifiers", "customer"] as const) {
      const value = item[field];
      if (Array.isArray(value)) found.push(...(value as ScenarioIdentifier[]));
    }
  }
  return found;
}

/**
 * What a context holds after a scenario, in the id-free shape of {@link ScenarioExpectation}:
 * the profiles of every identifier the scenario names, their conversations and the audit's
 * violations per rule. Compare it with `scenario.expect`.
 *
 * @param cc - the context the scenario's items were applied to
 * @param scenario - the scenario (its items name the identifiers to look up)
 * @returns the outcome, sorted as `ScenarioExpectation` documents
 *
 * @example
 * ```ts
 * const [loan] = scenarios;
 * const cc = createCustomerContext({ ...loan.options, clock: testClock(loan.now) });
 * await cc.ingest(loan.items);
 * expect(await scenarioOutcome(cc, loan)).toEqual(loan.expect);
 * ```
 */
export async function scenarioOutcome(
  cc: CustomerContext,
  scenario: Pick<Scenario, "items">,
): Promise<ScenarioExpectation> {
  const seen = new Set<string>();
  const profiles: string[][] = [];
  const conversations: ScenarioExpectation["conversations"] = [];
  for (const identifier of identifiersOf(scenario.items)) {
    let view: Awaited<ReturnType<CustomerContext["context"]>>;
    try {
      view = await cc.context({ identifier });
    } catch (error) {
      // A blocked or unusable identifier names no profile: that is part of the outcome, not a failure.
      if (isCustomerContextError(error, "refused")) continue;
      throw error;
    }
    if (view === null || seen.has(view.profile.id)) continue;
    seen.add(view.profile.id);
    profiles.push(view.identifiers.map((i) => `${i.type}:${i.value}`).sort(byString));
    for (const c of view.conversations)
      conversations.push({ channels: [...c.channels], interactions: c.interactionCount ?? c.interactionIds.length });
  }
  const counts = new Map<string, number>();
  for (const v of await cc.offers.audit()) counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1);
  return {
    profiles: profiles.sort((a, b) => byString(a[0] ?? "", b[0] ?? "")),
    conversations: conversations.sort(
      (a, b) => byString(a.channels.join(">"), b.channels.join(">")) || a.interactions - b.interactions,
    ),
    violations: [...counts].map(([rule, count]) => ({ rule, count })).sort((a, b) => byString(a.rule, b.rule)),
  };
}
