import type { Identifier } from "../../schema/primitives.js";
import type { BlockList } from "./createBlockList.js";

/**
 * Tells whether a normalised identifier is blocked, i.e. must never link anything: its value equals
 * a string entry (case-insensitively), its `type:value` key equals a string entry, or a pattern
 * matches its value.
 *
 * @param list - A block list from `createBlockList`.
 * @param identifier - A normalised identifier (see `normalizeIdentifier`).
 * @returns `true` if the identifier is blocked.
 *
 * @example
 * ```ts
 * const list = createBlockList();
 * isBlocked(list, { type: "email", value: "noreply@shop.pl" }); // true
 * isBlocked(list, { type: "phone", value: "+48601234567" });    // false
 * ```
 */
export function isBlocked(list: BlockList, identifier: Identifier): boolean {
  const value = identifier.value.toLowerCase();
  if (list.values.has(value) || list.values.has(`${identifier.type.toLowerCase()}:${value}`)) return true;
  for (const pattern of list.patterns) if (pattern.test(identifier.value)) return true;
  return false;
}
