import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";

/** Lower-case Crockford base32 digits. */
const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A short, deterministic id: `prefix` + the first 20 characters of the base32 SHA-256 of the parts.
 * Used for ids that must not depend on arrival order (profiles, links, interactions).
 * Runs anywhere (browsers, edge workers, Node): the parts are UTF-8 encoded (a lone surrogate
 * becomes U+FFFD, as in every runtime's TextEncoder) and hashed with @noble/hashes.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const digest = sha256(utf8ToBytes(parts.join("\u0000")));
  // The first 100 bits of the digest, most significant first, 5 bits per character: the first
  // 20 characters of its unpadded base32 (bytes 0..12 hold 104 bits).
  let id = `${prefix}_`;
  let acc = 0;
  let bits = 0;
  for (let i = 0, n = 0; n < 20; i++) {
    acc = ((acc << 8) | (digest[i] as number)) & 0xfff;
    bits += 8;
    while (bits >= 5 && n < 20) {
      bits -= 5;
      id += BASE32[(acc >>> bits) & 31];
      n++;
    }
  }
  return id;
}

/** Compares two strings by code unit; a total order that every adapter reproduces. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
