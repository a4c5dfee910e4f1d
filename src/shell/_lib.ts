/** Small helpers shared by the shell's parts. */
import { compareStrings } from "../_lib/hash.js";
import type { StorageTransaction } from "../storage/port.js";

/**
 * The document an id names, following redirects (`{ target }` documents in `aliases`) left by
 * merges; `null` when the id is unknown. Merges collapse aliases onto the survivor, so this is
 * one hop for ids absorbed since; older chains of any length still resolve, and a corrupt alias
 * cycle ends the walk instead of hanging it.
 */
export async function followAliases<T>(
  tx: StorageTransaction,
  collection: string,
  aliases: string,
  id: string,
): Promise<{ id: string; doc: T } | null> {
  let current = id;
  const seen = new Set<string>();
  while (!seen.has(current)) {
    seen.add(current);
    const doc = await tx.get<T>(collection, current);
    if (doc) return { id: current, doc };
    const alias = await tx.get<{ target: string }>(aliases, current);
    if (!alias) return null;
    current = alias.target;
  }
  return null;
}

/** The later of two ISO times (or any strings, by code unit). */
export function maxString(a: string, b: string): string {
  return compareStrings(a, b) >= 0 ? a : b;
}

/** The earlier of two ISO times (or any strings, by code unit). */
export function minString(a: string, b: string): string {
  return compareStrings(a, b) <= 0 ? a : b;
}

/** The distinct items, in first-seen order. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
