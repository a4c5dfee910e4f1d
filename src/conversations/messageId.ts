import { type InputIssue, InvalidInputError } from "../errors.js";
import { checkOptionalString, checkOptionalStrings, isObject, throwIfIssues, wrongType } from "./_lib/check.js";
import { firstId, normalizeId, parseIds, type ReferenceHeaders, referenceChain } from "./_lib/messageIdSyntax.js";

/**
 * The header fields of an email that take part in threading. Every field is the raw header value
 * (with or without angle brackets); absent fields may be left out, `undefined` or `null`.
 */
export type MessageHeaders = ReferenceHeaders;

/**
 * Normalises one Message-ID for comparison: surrounding whitespace and angle brackets are removed
 * and quotes around the local part are dropped (`<"a.b"@x>` becomes `a.b@x`). Ids stay
 * case-sensitive. An id without `@`, with an empty local or domain part, or with whitespace or
 * angle brackets inside (several ids in one string) is invalid.
 *
 * @param raw - A Message-ID as found in a `Message-ID`, `In-Reply-To` or `References` header.
 * @returns The normalised id, or `null` when `raw` is not a valid id.
 * @throws {InvalidInputError} when `raw` is not a string.
 *
 * @example
 * ```ts
 * normalizeMessageId(' <"a.b"@example.com> '); // "a.b@example.com"
 * normalizeMessageId("<Abc@X>");              // "Abc@X" (case is kept)
 * normalizeMessageId("<no-at-sign>");         // null
 * ```
 */
export function normalizeMessageId(raw: string): string | null {
  if (typeof raw !== "string") stringExpected("normalizeMessageId input", "raw", raw);
  return normalizeId(raw);
}

/**
 * Reads every valid Message-ID in a header value such as `References`, in header order, each
 * normalised with {@link normalizeMessageId}. When the value contains angle brackets only the
 * bracketed ids count, so comments (`<a@x> (Jan's message)`) are ignored; a value without brackets
 * is split on whitespace and commas. Invalid entries are skipped, repeated ids are kept.
 *
 * @param header - The raw header value.
 * @returns The valid ids, oldest first as they appear in the header.
 * @throws {InvalidInputError} when `header` is not a string.
 *
 * @example
 * ```ts
 * parseMessageIds("<a@x>\r\n <b@x>, <bogus> <c@x>"); // ["a@x", "b@x", "c@x"]
 * parseMessageIds("a@x b@x");                        // ["a@x", "b@x"]
 * ```
 */
export function parseMessageIds(header: string): string[] {
  if (typeof header !== "string") stringExpected("parseMessageIds input", "header", header);
  return parseIds(header);
}

/**
 * The normalised ids a message refers to, most specific first (its direct parent, then the
 * grandparent, and so on). Follows the same rule as `threadEmails`: the References ids when
 * at least one of them is valid, otherwise the first valid In-Reply-To id. The message's own id is
 * never returned (self-references are ignored) and each id appears once. Use it to attach one new
 * message to an already-known thread: the first returned id that you know is its closest known
 * ancestor.
 *
 * @param message - The message's `messageId`, `inReplyTo` and `references` headers.
 * @returns Normalised ids, closest parent first; empty when the message refers to nothing.
 * @throws {InvalidInputError} naming the field when a header is neither a string nor absent.
 *
 * @example
 * ```ts
 * referencedIds({ messageId: "<c@x>", inReplyTo: "<b@x>", references: ["<a@x>", "<b@x>"] });
 * // ["b@x", "a@x"]
 * referencedIds({ messageId: "<c@x>", inReplyTo: "<b@x>", references: ["junk"] });
 * // ["b@x"]  (no valid References id, so In-Reply-To is used)
 * ```
 */
export function referencedIds(message: MessageHeaders): string[] {
  const issues: InputIssue[] = [];
  if (!isObject(message)) wrongType(issues, ["message"], "an object", message);
  else {
    checkOptionalString(issues, ["message", "messageId"], message.messageId);
    checkOptionalString(issues, ["message", "inReplyTo"], message.inReplyTo);
    checkOptionalStrings(issues, ["message", "references"], message.references, true);
  }
  throwIfIssues("referencedIds input", issues);
  const own = typeof message.messageId === "string" ? firstId(message.messageId) : null;
  return referenceChain(message, own).reverse();
}

/** Throws the typed error for a non-string argument. */
function stringExpected(what: string, field: string, value: unknown): never {
  const issues: InputIssue[] = [];
  wrongType(issues, [field], "a string", value);
  throw new InvalidInputError(what, issues);
}
