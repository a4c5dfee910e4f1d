/** Content digests for idempotency keys: the same content gives the same digest, whatever its key order. */
import { stableId } from "../_lib/hash.js";

/** JSON with object keys sorted at every level (`undefined` members left out, as JSON does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/** The digest of an input's content, stored with its idempotency key. */
export function contentDigest(kind: string, content: unknown): string {
  return stableId("dig", kind, canonicalJson(content));
}
