import type { StorageTransaction } from "../../storage/port.js";

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
