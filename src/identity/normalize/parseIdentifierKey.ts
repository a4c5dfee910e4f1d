import type { Identifier } from "../../schema/primitives.js";

/**
 * Splits a key made by `identifierKey` back into the identifier: the type is everything before the
 * first `:`, the value everything after it.
 *
 * @param key - A key such as `"email:jan@example.com"`.
 * @returns The identifier `{ type, value }`.
 * @throws {TypeError} If the key has no `:`, or an empty type or value.
 *
 * @example
 * ```ts
 * parseIdentifierKey("email:jan@example.com"); // { type: "email", value: "jan@example.com" }
 * parseIdentifierKey("url:https://x.pl");      // { type: "url", value: "https://x.pl" }
 * ```
 */
export function parseIdentifierKey(key: string): Identifier {
  const colon = key.indexOf(":");
  if (colon <= 0 || colon === key.length - 1) {
    throw new TypeError(`not an identifier key (expected "type:value"): ${JSON.stringify(key.slice(0, 80))}`);
  }
  return { type: key.slice(0, colon), value: key.slice(colon + 1) };
}
