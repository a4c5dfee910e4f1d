/**
 * Real mail into email interactions for the CLI: a message (RFC 5322 bytes, from an mbox or an
 * `.eml` file) is parsed by postal-mime and becomes one `record` item of `cc.ingest`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import PostalMime, { type Address, type Email } from "postal-mime";
import { normalizeMessageId, parseMessageIds } from "../conversations/messageId.js";
import { LIMITS } from "../schema/primitives.js";

/** Which addresses are the company's own (its support and sales mailboxes), so that they are never a customer. */
export interface OwnAddresses {
  /** Exact own addresses, e.g. `support@shop.pl` (case-insensitive). */
  mailboxes?: readonly string[];
  /** Own domains, e.g. `shop.pl`: every address at the domain or a subdomain of it (`eu.shop.pl`). */
  domains?: readonly string[];
}

/** Why a message cannot be an interaction: `parse` (no sender, no date, unreadable MIME) or `mapping` (no customer address). */
export interface MailProblem {
  code: "parse" | "mapping";
  message: string;
}

/**
 * A test for "is this one of our own addresses", from `--mailbox` and `--own-domain`.
 *
 * @param own - the own mailboxes and domains
 * @returns a predicate over addresses (case-insensitive)
 *
 * @example
 * ```ts
 * const isOwn = ownAddressTest({ mailboxes: ["help@bank.pl"], domains: ["shop.pl"] });
 * isOwn("Help@Bank.pl"); // true
 * isOwn("anna@eu.shop.pl"); // true
 * isOwn("anna@klient.pl"); // false
 * ```
 */
export function ownAddressTest(own: OwnAddresses): (address: string) => boolean {
  const mailboxes = new Set((own.mailboxes ?? []).map((m) => m.trim().toLowerCase()));
  const domains = (own.domains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, ""));
  return (address) => {
    const a = address.trim().toLowerCase();
    if (mailboxes.has(a)) return true;
    const domain = a.slice(a.lastIndexOf("@") + 1);
    return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
  };
}

/** The mailboxes of address headers, groups unwrapped, without entries that are not addresses. */
function addressesOf(list: Address | readonly Address[] | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (a: Address) => {
    if (a.group) {
      for (const member of a.group) visit(member);
      return;
    }
    const address = a.address.trim();
    // postal-mime keeps unparseable entries as "addresses": only user@domain counts.
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address)) return;
    const key = address.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(address);
  };
  if (list === undefined) return out;
  for (const a of Array.isArray(list) ? list : [list as Address]) visit(a);
  return out;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/** Cuts `text` to `max` UTF-16 code units without splitting a surrogate pair; NUL becomes U+FFFD. */
function bounded(text: string, max: number): string {
  let out = text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
  if (out.length > max) {
    out = out.slice(0, max);
    const last = out.charCodeAt(out.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  }
  return out;
}

/**
 * Turns a parsed message into the `record` item of an email interaction:
 *
 * - `email.messageId`, `inReplyTo` (the first id of In-Reply-To) and `references` (at most 128:
 *   the first, which names the thread's root, and the last 127) for threading. A message without
 *   a readable Message-ID gets `<sha256-…@message-id.invalid>` from its content hash, so that a
 *   re-import finds it again;
 * - `subject` (encoded words decoded), `at` from the Date header, `text` from the plain-text part;
 * - the customer: when the sender is not one of `own`, the message is `inbound` and the sender's
 *   addresses are the customer; when it is, the message is `outbound` and the customer is the
 *   recipients in To who are not own (or, when there are none, those in Cc). Own addresses are
 *   never identifiers, so a support mailbox does not join its customers into one profile, and
 *   other people on Cc are not linked to the customer;
 * - `metadata.attachments`: name, type and size of each attachment (at most 100).
 *
 * Subjects and texts longer than the library's limits are cut to them (`metadata.truncated`).
 *
 * @param email - the message as postal-mime parsed it
 * @param digest - a hex content hash of the raw message (the stand-in for a missing Message-ID)
 * @param own - the company's own mailboxes and domains
 * @returns the `record` item, or the problem that makes the message unusable
 *
 * @example
 * ```ts
 * const email = await PostalMime.parse("From: anna@klient.pl\r\nTo: help@shop.pl\r\nDate: Thu, 2 Apr 2026 10:00:00 +0200\r\nMessage-ID: <1@klient.pl>\r\nSubject: Hi\r\n\r\nHello\r\n");
 * mailToRecord(email, "00", { domains: ["shop.pl"] });
 * // { item: { kind: "record", channel: "email", direction: "inbound", at: "2026-04-02T08:00:00.000Z",
 * //   customer: [{ type: "email", value: "anna@klient.pl" }], email: { messageId: "<1@klient.pl>" }, subject: "Hi", text: "Hello\n" } }
 * ```
 */
export function mailToRecord(
  email: Email,
  digest: string,
  own: OwnAddresses,
): { item: Record<string, unknown> } | { error: MailProblem } {
  const isOwn = ownAddressTest(own);
  const from = addressesOf(email.from);
  if (from.length === 0) return { error: { code: "parse", message: "no sender: the From header has no address" } };
  const date = email.date?.trim() ?? "";
  if (!ISO.test(date)) {
    return {
      error: {
        code: "parse",
        message: date === "" ? "no Date header" : `the Date header ${JSON.stringify(date.slice(0, 80))} is not a date`,
      },
    };
  }
  const outbound = from.some(isOwn);
  let customer: string[];
  if (outbound) {
    customer = addressesOf(email.to).filter((a) => !isOwn(a));
    if (customer.length === 0) customer = addressesOf(email.cc).filter((a) => !isOwn(a));
    if (customer.length === 0) {
      return {
        error: {
          code: "mapping",
          message: `no customer: the sender ${from[0]} and every recipient are the company's own addresses`,
        },
      };
    }
  } else {
    customer = from.filter((a) => !isOwn(a));
  }
  customer = customer.slice(0, LIMITS.identifiers);

  const messageId = email.messageId !== undefined ? normalizeMessageId(email.messageId) : null;
  const inReplyTo = email.inReplyTo !== undefined ? parseMessageIds(email.inReplyTo)[0] : undefined;
  let references = email.references !== undefined ? parseMessageIds(email.references) : [];
  if (references.length > LIMITS.references) {
    references = [references[0] as string, ...references.slice(references.length - (LIMITS.references - 1))];
  }
  const headers: Record<string, unknown> = {
    messageId: messageId !== null ? `<${messageId}>` : `<sha256-${digest.slice(0, 32)}@message-id.invalid>`,
  };
  if (inReplyTo !== undefined) headers.inReplyTo = `<${inReplyTo}>`;
  if (references.length > 0) headers.references = references.map((id) => `<${id}>`);

  const item: Record<string, unknown> = {
    kind: "record",
    channel: "email",
    direction: outbound ? "outbound" : "inbound",
    at: date,
    customer: customer.map((value) => ({ type: "email", value })),
    email: headers,
  };
  let truncated = false;
  const subject = email.subject?.trim() ?? "";
  if (subject !== "") {
    item.subject = bounded(subject, LIMITS.short);
    truncated ||= subject.length > LIMITS.short;
  }
  if (email.text !== undefined && email.text !== "") {
    item.text = bounded(email.text, LIMITS.text);
    truncated ||= email.text.length > LIMITS.text;
  }
  const metadata: Record<string, unknown> = {};
  if (email.attachments.length > 0) {
    metadata.attachments = email.attachments.slice(0, 100).map((a) => ({
      filename: a.filename === null ? null : bounded(a.filename, 200),
      mimeType: bounded(a.mimeType, 200),
      size: typeof a.content === "string" ? a.content.length : a.content.byteLength,
    }));
  }
  if (truncated) metadata.truncated = true;
  if (Object.keys(metadata).length > 0) item.metadata = metadata;
  return { item };
}

/**
 * Parses one raw message (RFC 5322 bytes) with postal-mime and turns it into a `record` item
 * with {@link mailToRecord}.
 *
 * @param bytes - the message
 * @param own - the company's own mailboxes and domains
 * @returns the item, or why the message cannot be one
 *
 * @example
 * ```ts
 * const result = await readMail(readFileSync("reply.eml"), { domains: ["shop.pl"] });
 * if ("error" in result) console.error(result.error.message);
 * ```
 */
export async function readMail(
  bytes: Uint8Array,
  own: OwnAddresses,
): Promise<{ item: Record<string, unknown> } | { error: MailProblem }> {
  let email: Email;
  try {
    email = await PostalMime.parse(bytes, { attachmentEncoding: "arraybuffer" });
  } catch (error) {
    return {
      error: { code: "parse", message: `unreadable MIME: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
  return mailToRecord(email, createHash("sha256").update(bytes).digest("hex"), own);
}
