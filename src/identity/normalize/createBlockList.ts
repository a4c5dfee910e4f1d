import { DEFAULT_BLOCKED_VALUES } from "./DEFAULT_BLOCKED_VALUES.js";

/** A compiled set of blocked values; build it with {@link createBlockList}, query it with `isBlocked`. */
export interface BlockList {
  /** Lower-cased string entries: matched against a value or a `type:value` key. */
  readonly values: ReadonlySet<string>;
  /** Patterns, copied without the `g`/`y` flags so that `test` keeps no `lastIndex` state. */
  readonly patterns: readonly RegExp[];
}

/** Options of {@link createBlockList}. */
export interface CreateBlockListOptions {
  /** Include {@link DEFAULT_BLOCKED_VALUES} (default `true`). */
  defaults?: boolean;
}

/**
 * Compiles blocked values into a {@link BlockList}. A string entry blocks any identifier whose
 * normalised value equals it case-insensitively (any type), or whose `type:value` key equals it
 * (`"phone:+48601234567"` blocks that phone only). A RegExp blocks every normalised value it
 * matches; `g`/`y` flags are dropped so repeated tests are stateless.
 *
 * @param blocked - Extra blocked values and patterns (your own call-centre number, `/@acme\.test$/`).
 * @param options - {@link CreateBlockListOptions}: `defaults: false` drops the built-in values.
 * @returns The compiled block list.
 *
 * @example
 * ```ts
 * const list = createBlockList(["phone:+48221234567", /@internal\.acme\.com$/]);
 * isBlocked(list, { type: "email", value: "unknown" });                // true (a default)
 * isBlocked(list, { type: "phone", value: "+48221234567" });           // true
 * isBlocked(list, { type: "email", value: "bob@internal.acme.com" });  // true
 * isBlocked(createBlockList([], { defaults: false }), { type: "userId", value: "unknown" }); // false
 * ```
 */
export function createBlockList(
  blocked: readonly (string | RegExp)[] = [],
  options?: CreateBlockListOptions,
): BlockList {
  const entries = options?.defaults === false ? blocked : [...DEFAULT_BLOCKED_VALUES, ...blocked];
  const values = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") values.add(entry.trim().toLowerCase());
    else patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, "")));
  }
  return { values, patterns };
}
