import { InvalidInputError } from "../errors.js";
import type { Consent, Presentation, Violation } from "../schema/outputs.js";
import type { Scalar } from "../schema/primitives.js";
import { findVersion } from "./_lib/catalogue.js";
import { compareAtId } from "./_lib/time.js";
import { evaluateRules } from "./evaluateRules.js";
import type { Catalogue, DeepReadonly, FactsConversation, FactsProfile, OfferFacts, RuleSet } from "./types.js";

/** Input of {@link auditPresentations}. Times are ISO strings in UTC (`toISOString()` form). */
export interface AuditInput {
  /** Every recorded presentation, in any order (also those before `from`: they are history). */
  readonly presentations: readonly DeepReadonly<Presentation>[];
  readonly catalogue: Catalogue;
  /** Traits and tags by profile id; a missing profile has none. */
  readonly profiles: ReadonlyMap<
    string,
    { readonly traits: Readonly<Record<string, Scalar>>; readonly tags: readonly string[] }
  >;
  /** Conversations by profile id. */
  readonly conversations: ReadonlyMap<string, readonly DeepReadonly<FactsConversation>[]>;
  /** Consent decisions by profile id, in any order. */
  readonly consents: ReadonlyMap<string, readonly DeepReadonly<Consent>[]>;
  /**
   * Profile ids absorbed by merges -> the id of the profile they belong to now. A presentation's
   * `profileId` is resolved through it, so a customer's presentations under an old id are history
   * of the same customer.
   */
  readonly aliases?: ReadonlyMap<string, string>;
  /** Only presentations at or after this time are evaluated (inclusive). */
  readonly from?: string;
  /** Only presentations at or before this time are evaluated (inclusive). */
  readonly to?: string;
}

/**
 * Re-evaluates recorded presentations: each presentation with `from <= at <= to` is evaluated
 * with {@link evaluateRules} against the facts it had when it was made, that is with the
 * customer's presentations strictly before it in (`at`, `id`) order as history (also those
 * before `from`), under the offer version it was made under, at `now = at`. The result equals
 * calling `evaluateRules` once per presentation with such facts, and does not depend on the order
 * of `input.presentations`.
 *
 * It groups presentations by (resolved) profile and sorts each group once; the history passed to
 * the rules is one array per profile that grows as the replay advances, so nothing is copied per
 * presentation.
 *
 * @param ruleSet - rules from {@link createRuleSet}
 * @param input - presentations, catalogue, profiles, conversations, consents and an optional range
 * @returns every violation, ordered by presentation (`at`, `id`), then as `evaluateRules` orders them
 * @throws InvalidInputError when a presentation refers to an offer version missing from the catalogue
 *
 * @example
 * ```ts
 * const loan = { id: "loan", version: 1, name: "Personal loan", category: "marketing", terms: { apr: 5.9 },
 *   definedAt: "2026-03-01T00:00:00.000Z" };
 * const catalogue = new Map([["loan", [loan]]]);
 * const presentations = [
 *   { id: "pr-2", profileId: "p1", offerId: "loan", offerVersion: 1, channel: "phone",
 *     at: "2026-04-03T09:00:00.000Z", terms: { apr: 6.9 } },
 *   { id: "pr-1", profileId: "p1", offerId: "loan", offerVersion: 1, channel: "web",
 *     at: "2026-04-02T10:00:00.000Z", terms: { apr: 5.9 } },
 * ];
 * const profiles = new Map();
 * const conversations = new Map();
 * const consents = new Map();
 * const violations = auditPresentations(createRuleSet(), {
 *   presentations, catalogue, profiles, conversations, consents,
 *   from: "2026-04-01T00:00:00.000Z",
 * });
 * violations.map((v) => [v.presentationId, v.rule]); // [["pr-2", "parity"], ["pr-2", "honour"]]
 * ```
 */
export function auditPresentations(ruleSet: RuleSet, input: AuditInput): Violation[] {
  const from = input.from === undefined ? undefined : new Date(input.from).toISOString();
  const to = input.to === undefined ? undefined : new Date(input.to).toISOString();
  const aliases = input.aliases;

  const groups = new Map<string, DeepReadonly<Presentation>[]>();
  for (const presentation of input.presentations) {
    const profileId = aliases?.get(presentation.profileId) ?? presentation.profileId;
    const group = groups.get(profileId);
    if (group === undefined) groups.set(profileId, [presentation]);
    else group.push(presentation);
  }

  const found: Array<{ presentation: DeepReadonly<Presentation>; violations: Violation[] }> = [];
  const none: readonly never[] = [];
  for (const [profileId, group] of groups) {
    group.sort(compareAtId);
    if (to !== undefined && (group[0] as DeepReadonly<Presentation>).at > to) continue;
    const known = input.profiles.get(profileId);
    const profile: FactsProfile = { id: profileId, traits: known?.traits ?? {}, tags: known?.tags ?? none };
    const conversations = input.conversations.get(profileId) ?? none;
    const consents = sorted(input.consents.get(profileId) ?? none);
    const history: DeepReadonly<Presentation>[] = [];
    for (const presentation of group) {
      if (to !== undefined && presentation.at > to) break;
      if (from === undefined || presentation.at >= from) {
        const versions = input.catalogue.get(presentation.offerId);
        const offer = findVersion(versions, presentation.offerVersion);
        if (versions === undefined || offer === undefined) {
          throw new InvalidInputError("audit input", [
            {
              path: ["presentations"],
              code: "invalid_value",
              message: `presentation ${presentation.id} refers to offer ${presentation.offerId} v${presentation.offerVersion}, which is not in the catalogue`,
            },
          ]);
        }
        const facts: OfferFacts = {
          now: presentation.at,
          presentation,
          offer,
          versions,
          catalogue: input.catalogue,
          profile,
          history,
          conversations,
          consents,
        };
        const violations = evaluateRules(ruleSet, facts);
        if (violations.length > 0) found.push({ presentation, violations });
      }
      history.push(presentation);
    }
  }
  found.sort((a, b) => compareAtId(a.presentation, b.presentation));
  const out: Violation[] = [];
  for (const entry of found) for (const violation of entry.violations) out.push(violation);
  return out;
}

function sorted<T extends { readonly at: string; readonly id: string }>(list: readonly T[]): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (compareAtId(list[i - 1] as T, list[i] as T) > 0) return [...list].sort(compareAtId);
  }
  return list;
}
