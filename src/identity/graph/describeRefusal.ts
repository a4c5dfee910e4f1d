import type { Refusal } from "../../schema/outputs.js";
import { parseIdentifierKey } from "../normalize/parseIdentifierKey.js";
import type { IdentityRules, LinkRefusal, Resolution } from "./types.js";

/**
 * A resolver refusal in its public shape, with one sentence that says what was not linked and why
 * (a type limit, an operator separation, or an auto-blocked identifier).
 *
 * @param refusal - a refusal from {@link Resolution.refusals}
 * @param resolution - the resolution it came from (names the profile it was refused against)
 * @param rules - the identity rules (for the limit in the message)
 * @returns the refusal as `identify` reports it
 *
 * @example
 * ```ts
 * const [r] = resolution.refusals;
 * describeRefusal(r, resolution, rules).message;
 * // 'crmId "C-2" was not linked to email "a@x.pl": the profile would hold more than 1 crmId value(s)'
 * ```
 */
export function describeRefusal(
  refusal: LinkRefusal,
  resolution: Pick<Resolution, "profileOf">,
  rules: Pick<IdentityRules, "limit">,
): Refusal {
  const identifier = parseIdentifierKey(refusal.key);
  const against = parseIdentifierKey(refusal.against);
  const profileId = resolution.profileOf.get(refusal.against);
  const base = { identifier, reason: refusal.reason } as const;
  const where = profileId ? { profileId } : {};
  const what = `${identifier.type} "${identifier.value}"`;
  const to = `${against.type} "${against.value}"`;
  switch (refusal.reason) {
    case "limit":
      return {
        ...base,
        ...where,
        message: `${what} was not linked to ${to}: the profile would hold more than ${rules.limit(refusal.type ?? "")} ${refusal.type} value(s)`,
      };
    case "unmerged":
      return { ...base, ...where, message: `${what} was not linked to ${to}: an operator separated them` };
    default:
      return {
        ...base,
        ...where,
        message: `${what} was seen with too many other customers' identifiers and no longer links anything`,
      };
  }
}
