import { compareStrings, stableId } from "../../_lib/hash.js";
import type { ReviewReason } from "../../schema/outputs.js";

/**
 * The id of a review: a hash of why it was raised and of the two identifiers it is about, so the
 * same question (re-ingested, or raised again by other observations of the same pair) is one item.
 *
 * @param reason - why the review is raised
 * @param keys - the two identifier keys, in any order
 * @returns `rev_` followed by a hash
 *
 * @example
 * ```ts
 * reviewIdFor("limit", ["crmId:C-2", "email:a@x.pl"]) === reviewIdFor("limit", ["email:a@x.pl", "crmId:C-2"]); // true
 * ```
 */
export function reviewIdFor(reason: ReviewReason, keys: readonly [string, string]): string {
  return stableId("rev", reason, ...[...keys].sort(compareStrings));
}
