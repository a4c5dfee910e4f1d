/**
 * Key encoding shared by the SQL adapters so that SQL order equals the in-memory adapter's order.
 *
 * The memory adapter orders keys by UTF-16 code unit (JavaScript `<`). SQLite's BINARY collation
 * and PostgreSQL's `COLLATE "C"` on UTF-8 order by byte, which is code point order. The two
 * orders differ only when a character outside the BMP (stored as a surrogate pair, units
 * U+D800..U+DFFF) meets a character in U+E000..U+FFFF at the same position: by code unit the
 * astral character sorts first, by code point it sorts last.
 *
 * The fix is a per-code-unit mapping applied to keys (and index values) before they reach SQL:
 * units below U+D800 stay as they are, every unit from U+D800 up becomes one code point of the
 * supplementary private use plane 15 (U+F0000 + (unit - 0xD800)). The mapping is injective and
 * monotonic per unit, so code point order of encoded strings equals code unit order of the
 * originals, prefixes stay prefixes, and lone surrogates (which a driver would otherwise turn
 * into U+FFFD) survive. Keys without such characters are stored unchanged, so tables stay
 * readable for ASCII, Latin, Cyrillic, CJK and other BMP text below U+D800.
 *
 * @module
 */

import type { IndexEntries, JsonValue, StoredEvent } from "../../storage/port.js";

const PLANE_15 = 0xf0000;
const SURROGATE_START = 0xd800;
const LAST_ENCODED = PLANE_15 + (0xffff - SURROGATE_START);
/** Any code unit from U+D800 up (a non-`u` regex matches single code units). */
const NEEDS_ENCODING = /[\uD800-\uFFFF]/;
/** High surrogates of U+F0000..U+F27FF. */
const ENCODED = /[\uDB80-\uDB89]/;

/** Maps a key to the string stored in SQL. Identity for keys without units >= U+D800. */
export function encodeKey(key: string): string {
  if (!NEEDS_ENCODING.test(key)) return key;
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    out += unit >= SURROGATE_START ? String.fromCodePoint(PLANE_15 + unit - SURROGATE_START) : key[i];
  }
  return out;
}

/** Inverse of {@link encodeKey}. */
export function decodeKey(stored: string): string {
  if (!ENCODED.test(stored)) return stored;
  let out = "";
  for (const ch of stored) {
    const cp = ch.codePointAt(0) as number;
    out += cp >= PLANE_15 && cp <= LAST_ENCODED ? String.fromCharCode(cp - PLANE_15 + SURROGATE_START) : ch;
  }
  return out;
}

/**
 * The smallest encoded string greater than every encoded string that starts with `encodedPrefix`
 * (an exclusive upper bound for a prefix range), or `null` for the empty prefix.
 */
export function prefixUpperBound(encodedPrefix: string): string | null {
  if (encodedPrefix === "") return null;
  const last = encodedPrefix.codePointAt(encodedPrefix.length - 1) as number;
  // A low surrogate at the end is the second half of a pair: read the whole code point.
  const isPair = last >= 0xdc00 && last <= 0xdfff;
  const cp = isPair ? (encodedPrefix.codePointAt(encodedPrefix.length - 2) as number) : last;
  const head = encodedPrefix.slice(0, encodedPrefix.length - (isPair ? 2 : 1));
  // Encoded strings hold no surrogates and nothing in U+E000..U+FFFF, so U+E000 bounds U+D7FF.
  return head + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
}

/** `Number.POSITIVE_INFINITY`, `undefined` and non-integers normalised to what SQL `LIMIT` takes. */
export function sqlLimit(limit: number | undefined): number | null {
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return null;
  return Math.max(0, Math.ceil(limit));
}

/** JSON text of a value; `undefined` (and functions, symbols) cannot be stored. */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("cannot store undefined");
  return json;
}

/** Distinct (index name, encoded value) pairs of a document's index entries. */
export function indexPairs(entries: IndexEntries): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(entries)) {
    const list = typeof values === "string" ? [values] : values;
    for (const v of new Set(list)) pairs.push([name, encodeKey(v)]);
  }
  return pairs;
}

/** An events row as both SQL adapters select it (`seq` may come back as a string from pg's bigint). */
export interface EventRow {
  seq: number | string;
  type: string;
  at: string;
  payload: string;
}

/** An events row in the port's shape. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return { seq: Number(row.seq), type: row.type, at: row.at, payload: JSON.parse(row.payload) as JsonValue };
}
