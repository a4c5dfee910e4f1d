import { sha256 } from "@noble/hashes/sha2";
import { utf8ToBytes } from "@noble/hashes/utils";

/** What this module uses of `node:crypto` (Node >= 20.12 has `hash`, older ones `createHash`). */
interface NodeCrypto {
  hash?: (algorithm: string, data: string, outputEncoding: "buffer") => Uint8Array;
  createHash(algorithm: string): { update(data: string, encoding: "utf8"): { digest(): Uint8Array } };
}

/** `node:crypto` where the runtime hands it out synchronously (Node >= 20.16, Bun, Deno 2), else undefined. */
function nodeCrypto(): NodeCrypto | undefined {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    return typeof get === "function" ? (get("node:crypto") as NodeCrypto | undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a string's UTF-8 bytes (a lone surrogate encodes as U+FFFD) with @noble/hashes: runs anywhere. */
export function portableSha256(text: string): Uint8Array {
  return sha256(utf8ToBytes(text));
}

/**
 * SHA-256 of a string's UTF-8 bytes: the runtime's native hash where there is one (about 4x
 * faster than {@link portableSha256} for ids, which every interaction and observation computes),
 * else the portable one. Both give the same bytes (tested). No static import of `node:crypto`,
 * so bundles for browsers and edge workers need no shim.
 */
export const sha256Utf8: (text: string) => Uint8Array = (() => {
  const native = nodeCrypto();
  if (typeof native?.hash === "function") {
    const hash = native.hash;
    return (text: string) => hash("sha256", text, "buffer");
  }
  if (typeof native?.createHash === "function") {
    const createHash = native.createHash;
    return (text: string) => createHash("sha256").update(text, "utf8").digest();
  }
  return portableSha256;
})();

/** Lower-case Crockford base32 digits. */
const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A short, deterministic id: `prefix` + the first 20 characters of the base32 SHA-256 of the parts.
 * Used for ids that must not depend on arrival order (profiles, links, interactions).
 * Runs anywhere (browsers, edge workers, Node): the parts are UTF-8 encoded (a lone surrogate
 * becomes U+FFFD, as in every runtime's TextEncoder) and hashed with {@link sha256Utf8}.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const digest = sha256Utf8(parts.join("\u0000"));
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
