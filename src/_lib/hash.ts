import { createHash } from "node:crypto";

/**
 * A short, deterministic id: `prefix` + the first 20 characters of the base32 SHA-256 of the parts.
 * Used for ids that must not depend on arrival order (profiles, links, interactions).
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return `${prefix}_${base32(digest).slice(0, 20)}`;
}

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** Compares two strings by code unit; a total order that every adapter reproduces. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
