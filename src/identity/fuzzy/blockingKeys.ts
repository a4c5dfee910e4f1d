import { keysOf } from "./_lib/keys.js";
import { prepareRecord } from "./_lib/prepare.js";
import { checkRecord, resolveOptions } from "./_lib/resolve.js";
import type { FuzzyMatchOptions, FuzzyRecord } from "./types.js";

/**
 * The blocking keys of a record: two records are compared only when they share a key, so the cost
 * grows with the block sizes, not with n². Index records by these keys in storage and score a new
 * record (with `matchPair`) only against the records that share one of its keys.
 *
 * Without `options.blocking`, the rules are derived from `options.fields`: for every two name
 * fields their Double Metaphone keys; for every date field the full date, and each name's
 * Double Metaphone key with the year, and each name's initial with the month and day; every text or
 * exact field on its own, and with each name's Double Metaphone key. A key is
 * `rule-index:part|part`; a rule with a missing part gives no key.
 *
 * @param record - The record.
 * @param options - {@link FuzzyMatchOptions}: `fields` and `blocking`.
 * @returns The record's keys, in rule order.
 *
 * @example
 * ```ts
 * blockingKeys(
 *   { id: "1", traits: { first: "Robert", last: "Allen", dob: "1971-06-24" } },
 *   { fields: { first: "name", last: "name", dob: "date" } },
 * );
 * // ["0:RPRT|ALN", "1:19710624", "2:RPRT|1971", "3:ALN|1971", "4:r|0624", "5:a|0624"]
 * ```
 */
export function blockingKeys(record: FuzzyRecord, options?: FuzzyMatchOptions): string[] {
  checkRecord("blockingKeys input", record, "record");
  const resolved = resolveOptions(options, "blockingKeys options");
  return keysOf(prepareRecord(record, Object.fromEntries(resolved.fields)), resolved.rules);
}
