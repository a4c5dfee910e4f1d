/**
 * Message-ID syntax shared by `normalizeMessageId`, `parseMessageIds`, `referencedIds` and
 * `threadEmails`. Kept private so the public functions stay thin and the threading hot path calls
 * these directly.
 */

const LT = 60; // <
const GT = 62; // >
const QUOTE = 34; // "
const BACKSLASH = 92; // \
const AT = 64; // @

/** True for the characters that may not appear in an unquoted id: whitespace, controls, `<`, `>`, `"`. */
function isForbidden(code: number): boolean {
  return code <= 32 || code === 127 || code === LT || code === GT || code === QUOTE;
}

/**
 * Normalises one Message-ID: surrounding whitespace and angle brackets are removed, a quoted local
 * part is unquoted (`"a.b"@x` -> `a.b@x`, backslash escapes resolved). Case is kept. Returns null
 * when there is no `@`, when the local or domain part is empty, or when the unquoted text holds
 * whitespace, quotes or angle brackets (several ids, or junk).
 */
export function normalizeId(raw: string): string | null {
  let start = 0;
  let end = raw.length;
  while (start < end && raw.charCodeAt(start) <= 32) start++;
  while (end > start && raw.charCodeAt(end - 1) <= 32) end--;
  if (start < end && raw.charCodeAt(start) === LT) start++;
  if (end > start && raw.charCodeAt(end - 1) === GT) end--;
  while (start < end && raw.charCodeAt(start) <= 32) start++;
  while (end > start && raw.charCodeAt(end - 1) <= 32) end--;
  if (start >= end) return null;

  if (raw.charCodeAt(start) === QUOTE) return normalizeQuoted(raw, start, end);

  let at = -1;
  for (let i = start; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (isForbidden(code)) return null;
    if (code === AT && at < 0) at = i;
  }
  // Local part before the first `@`, domain after the last one; both must be non-empty.
  if (at <= start || raw.charCodeAt(end - 1) === AT) return null;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/** `"local"@domain` between `start` and `end`: unquote the local part, validate the domain. */
function normalizeQuoted(raw: string, start: number, end: number): string | null {
  let local = "";
  let i = start + 1;
  for (; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === QUOTE) break;
    if (code === BACKSLASH && i + 1 < end) {
      i++;
      local += raw[i];
      continue;
    }
    if (code < 32 || code === 127) return null;
    local += raw[i];
  }
  // Closing quote must be followed directly by `@` and a non-empty domain.
  if (i >= end || raw.charCodeAt(i + 1) !== AT || local.length === 0) return null;
  const domainStart = i + 2;
  if (domainStart >= end) return null;
  for (let j = domainStart; j < end; j++) {
    if (isForbidden(raw.charCodeAt(j))) return null;
  }
  return `${local}@${raw.slice(domainStart, end)}`;
}

const BRACKETED = /<([^<>]*)>/g;
const SEPARATORS = /[\s,]+/;

/**
 * All valid ids in a header value, in order (duplicates kept). When the value holds angle
 * brackets only bracketed ids count (text outside them, such as comments, is ignored); otherwise
 * the value is split on whitespace and commas.
 */
export function parseIds(header: string): string[] {
  const out: string[] = [];
  if (header.includes("<")) {
    for (const match of header.matchAll(BRACKETED)) {
      const id = normalizeId(match[1] as string);
      if (id !== null) out.push(id);
    }
    return out;
  }
  for (const token of header.split(SEPARATORS)) {
    if (token.length === 0) continue;
    const id = normalizeId(token);
    if (id !== null) out.push(id);
  }
  return out;
}

/** The first valid id in a header value (a single id, or a value with several or with comments). */
export function firstId(raw: string): string | null {
  const single = normalizeId(raw);
  if (single !== null) return single;
  const all = parseIds(raw);
  return all.length > 0 ? (all[0] as string) : null;
}

/** Header fields a message refers to others with. */
export interface ReferenceHeaders {
  /** The Message-ID header; its first valid id is the message's own id. `null` means absent. */
  messageId?: string | null | undefined;
  /** The In-Reply-To header; its first valid id is used when References has none. `null` means absent. */
  inReplyTo?: string | null | undefined;
  /** References entries: single ids or whole header values, oldest first. `null` means absent. */
  references?: readonly string[] | null | undefined;
}

/**
 * The chain of ids a message refers to, oldest ancestor first and closest parent last, following
 * RFC 5256: the References ids when at least one is valid, otherwise the first valid In-Reply-To
 * id. The message's own id is dropped (self-references are ignored) and a repeated id counts at
 * its last position, so the last element is always the parent.
 */
export function referenceChain(headers: ReferenceHeaders, ownId: string | null): string[] {
  const ids: string[] = [];
  const references = headers.references;
  if (references !== undefined && references !== null) {
    for (const entry of references) {
      const single = normalizeId(entry);
      if (single !== null) {
        if (single !== ownId) ids.push(single);
        continue;
      }
      for (const id of parseIds(entry)) if (id !== ownId) ids.push(id);
    }
  }
  if (ids.length === 0) {
    if (typeof headers.inReplyTo !== "string") return ids;
    const parent = firstId(headers.inReplyTo);
    if (parent !== null && parent !== ownId) ids.push(parent);
    return ids;
  }
  return ids.length === 1 ? ids : dedupeKeepLast(ids);
}

/** Removes earlier occurrences of repeated ids, keeping each id at its last position. */
function dedupeKeepLast(ids: string[]): string[] {
  if (!hasDuplicates(ids)) return ids;
  const seen = new Set<string>();
  const reversed: string[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    reversed.push(id);
  }
  return reversed.reverse();
}

/** Whether a list holds a repeated id; allocation-free for the short lists real headers have. */
function hasDuplicates(ids: readonly string[]): boolean {
  if (ids.length > 16) return new Set(ids).size !== ids.length;
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i] as string;
    for (let j = 0; j < i; j++) if (ids[j] === id) return true;
  }
  return false;
}
