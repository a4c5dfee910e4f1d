import type { Identifier } from "../../schema/primitives.js";

/**
 * Builds the string key of an identifier, `type:value`, used to index identifiers in maps and
 * storage. Call it on a normalised identifier (see `normalizeIdentifier`), so that spellings of the
 * same value share one key. Type names are assumed not to contain `:`, so the key splits
 * unambiguously at its first `:` (see `parseIdentifierKey`); values may contain `:`.
 *
 * @param identifier - A (normalised) identifier.
 * @returns `${type}:${value}`.
 *
 * @example
 * ```ts
 * identifierKey({ type: "email", value: "jan@example.com" }); // "email:jan@example.com"
 * identifierKey({ type: "url", value: "https://x.pl" });      // "url:https://x.pl"
 * ```
 */
export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}:${identifier.value}`;
}
