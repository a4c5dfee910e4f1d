import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";
import { utils } from "@scure/base";

/** Lower-case Crockford base32, most significant bit first, no padding (5 bits per character). */
const base32 = utils.chain(utils.radix2(5), utils.alphabet("0123456789abcdefghjkmnpqrstvwxyz"), utils.join(""));

/**
 * A short, deterministic id: `prefix` + the first 20 characters of the base32 SHA-256 of the parts.
 * Used for ids that must not depend on arrival order (profiles, links, interactions).
 * Runs anywhere (browsers, edge workers, Node): the parts are UTF-8 encoded (a lone surrogate
 * becomes U+FFFD, as in every runtime's TextEncoder) and hashed with @noble/hashes.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const digest = sha256(utf8ToBytes(parts.join("\u0000")));
  return `${prefix}_${base32.encode(digest).slice(0, 20)}`;
}

/** Compares two strings by code unit; a total order that every adapter reproduces. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
