/**
 * Issue 13, item 7: real mail into email interactions. The mbox splitter streams and unquotes,
 * postal-mime decodes, the sender is the customer unless it is one of the company's own
 * addresses, a malformed message is a rejected row with its position, and a re-import changes
 * nothing.
 */
import { createReadStream, readFileSync } from "node:fs";
import { join } from "node:path";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { ingestEml, ingestMbox, type RejectedRow } from "../../src/cli/ingest.js";
import { mailToRecord, ownAddressTest, readMail } from "../../src/cli/mail.js";
import { type MboxMessage, NotMboxError, readMbox } from "../../src/cli/readers/readMbox.js";
import { createCustomerContext } from "../../src/index.js";

const FIXTURE = join(import.meta.dirname, "fixtures/support.mbox");
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* chunks(...parts: (string | Uint8Array)[]) {
  yield* parts;
}

const bodies = (messages: MboxMessage[]) => messages.map((m) => ("bytes" in m ? text(m.bytes) : m.error.code));

describe("readMbox", () => {
  const mbox =
    "From a@x.pl Wed Apr  1 07:00:00 2026\nSubject: one\n\nbody\n\nFrom the start, a body line.\n>From quoted\n>>From twice\n\n" +
    "From b@x.pl Thu Apr  2 07:00:00 2026\r\nSubject: two\r\n\r\nsecond\r\n";

  it("cuts at separator lines only, unquotes >From (mboxrd), drops the separator's blank line, and numbers messages and lines", async () => {
    const messages = await collect(readMbox(chunks(mbox)));
    expect(bodies(messages)).toEqual([
      "Subject: one\n\nbody\n\nFrom the start, a body line.\nFrom quoted\n>From twice\n",
      "Subject: two\r\n\r\nsecond\r\n",
    ]);
    expect(messages.map((m) => [m.message, m.line, m.offset])).toEqual([
      [1, 1, 0],
      [2, 10, mbox.indexOf("From b@x.pl")],
    ]);
    // The place of each message in the file covers it whole: separator, body, the blank line after it.
    const first = messages[0] as MboxMessage;
    expect(mbox.slice(first.offset, first.offset + first.length)).toBe(mbox.slice(0, mbox.indexOf("From b@x.pl")));
  });

  it("gives the same messages however the bytes are cut", async () => {
    const bytes = utf8(mbox);
    const whole = await collect(readMbox(chunks(bytes)));
    for (let i = 1; i < bytes.length; i++) {
      expect(await collect(readMbox(chunks(bytes.subarray(0, i), bytes.subarray(i))))).toEqual(whole);
    }
    const single = (async function* () {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    })();
    expect(await collect(readMbox(single))).toEqual(whole);
  });

  it("streams: the first messages arrive before the input ends, so a huge mbox is never held whole", async () => {
    let pulled = 0;
    const endless = (async function* () {
      for (;;) {
        pulled++;
        yield utf8(`From a@x.pl Wed Apr  1 07:00:00 2026\nSubject: n${pulled}\n\n${"x".repeat(1000)}\n\n`);
      }
    })();
    const seen: string[] = [];
    for await (const m of readMbox(endless)) {
      seen.push("bytes" in m ? (text(m.bytes).split("\n")[0] ?? "") : "error");
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["Subject: n1", "Subject: n2", "Subject: n3"]);
    expect(pulled).toBeLessThan(6);
  });

  it("reports a message over the size bound as too_long, holding none of it, and reads on", async () => {
    const big = `From a@x.pl Wed Apr  1 07:00:00 2026\nSubject: big\n\n${"y".repeat(5000)}\n\nFrom b@x.pl Wed Apr  1 08:00:00 2026\nSubject: small\n\nok\n`;
    const messages = await collect(readMbox(chunks(big), { maxMessageBytes: 1000 }));
    expect(bodies(messages)).toEqual(["too_long", "Subject: small\n\nok\n"]);
    const endlessLine = `From a@x.pl Wed Apr  1 07:00:00 2026\n${"z".repeat(10_000)}`;
    expect(bodies(await collect(readMbox(chunks(endlessLine, "z".repeat(5000)), { maxMessageBytes: 1000 })))).toEqual([
      "too_long",
    ]);
  });

  it("refuses a file that does not start with a From line, and reads an empty one as no messages", async () => {
    await expect(collect(readMbox(chunks("Subject: an .eml, not an mbox\n\nhi\n")))).rejects.toThrow(NotMboxError);
    expect(await collect(readMbox(chunks("")))).toEqual([]);
    expect(await collect(readMbox(chunks("\n\n")))).toEqual([]);
  });
});

describe("mailToRecord", () => {
  const own = { domains: ["shop.pl"], mailboxes: ["help@bank.pl"] };
  const parse = (raw: string) => PostalMime.parse(raw);

  it("tells the company's own addresses from the customers'", () => {
    const isOwn = ownAddressTest(own);
    expect(["support@shop.pl", "X@EU.SHOP.PL", "help@bank.pl"].map(isOwn)).toEqual([true, true, true]);
    expect(["anna@klient.pl", "anna@notshop.pl", "other@bank.pl"].map(isOwn)).toEqual([false, false, false]);
  });

  it("an inbound message: the sender is the customer, threading headers and the encoded subject decoded", async () => {
    const email = await parse(
      "From: =?UTF-8?B?WsOzZmlh?= <Zofia@Poczta.PL>\r\nTo: support@shop.pl\r\nCc: marek@poczta.pl\r\n" +
        "Subject: =?UTF-8?Q?Zam=C3=B3wienie_nr_7?=\r\nDate: Fri, 3 Apr 2026 14:00:00 +0200\r\n" +
        "Message-ID: <z2@poczta.pl>\r\nIn-Reply-To: <s9@shop.pl> (your reply)\r\nReferences: <z1@poczta.pl>\r\n <s9@shop.pl>\r\n\r\nDzi\u0119kuj\u0119\r\n",
    );
    expect(mailToRecord(email, "ab", own)).toEqual({
      item: {
        kind: "record",
        channel: "email",
        direction: "inbound",
        at: "2026-04-03T12:00:00.000Z",
        customer: [{ type: "email", value: "Zofia@Poczta.PL" }],
        email: {
          messageId: "<z2@poczta.pl>",
          inReplyTo: "<s9@shop.pl>",
          references: ["<z1@poczta.pl>", "<s9@shop.pl>"],
        },
        subject: "Zamówienie nr 7",
        text: "Dziękuję\n",
      },
    });
  });

  it("an outbound message: the customer is the recipient in To who is not own, else in Cc; own addresses are never identifiers", async () => {
    const reply = await parse(
      "From: support@shop.pl\r\nTo: sales@shop.pl, Anna <anna@klient.pl>\r\nCc: boss@klient.pl\r\nDate: Wed, 1 Apr 2026 10:30:00 +0200\r\nMessage-ID: <s1@shop.pl>\r\n\r\nok\r\n",
    );
    const r = mailToRecord(reply, "ab", own);
    expect(r).toMatchObject({
      item: { direction: "outbound", customer: [{ type: "email", value: "anna@klient.pl" }] },
    });
    const forwarded = await parse(
      "From: support@shop.pl\r\nTo: sales@shop.pl\r\nCc: anna@klient.pl\r\nDate: Wed, 1 Apr 2026 10:30:00 +0200\r\n\r\nfyi\r\n",
    );
    expect(mailToRecord(forwarded, "ab", own)).toMatchObject({
      item: { direction: "outbound", customer: [{ type: "email", value: "anna@klient.pl" }] },
    });
    const internal = await parse(
      "From: support@shop.pl\r\nTo: sales@eu.shop.pl\r\nDate: Wed, 1 Apr 2026 10:30:00 +0200\r\n\r\nx\r\n",
    );
    expect(mailToRecord(internal, "ab", own)).toEqual({
      error: { code: "mapping", message: expect.stringMatching(/no customer/) },
    });
  });

  it("a message without a Message-ID is keyed by its content hash", async () => {
    const email = await parse(
      "From: p@firma.pl\r\nDate: Sat, 4 Apr 2026 12:00:00 +0200\r\nMessage-ID: <no at sign>\r\n\r\nx\r\n",
    );
    expect(mailToRecord(email, "0123456789abcdef0123456789abcdef0123", {})).toMatchObject({
      item: { email: { messageId: "<sha256-0123456789abcdef0123456789abcdef@message-id.invalid>" } },
    });
  });

  it("rejects a message without a sender or a date, naming what is missing", async () => {
    expect(mailToRecord(await parse("To: a@x.pl\r\nDate: Sat, 4 Apr 2026 12:00:00 +0200\r\n\r\nx"), "ab", {})).toEqual({
      error: { code: "parse", message: "no sender: the From header has no address" },
    });
    expect(mailToRecord(await parse("From: a@x.pl\r\n\r\nx"), "ab", {})).toEqual({
      error: { code: "parse", message: "no Date header" },
    });
    expect(mailToRecord(await parse("From: a@x.pl\r\nDate: yesterday\r\n\r\nx"), "ab", {})).toEqual({
      error: { code: "parse", message: 'the Date header "yesterday" is not a date' },
    });
    expect(await readMail(utf8("just some text without headers"), {})).toMatchObject({ error: { code: "parse" } });
  });

  it("lists attachments, cuts an over-long text to the limit without splitting a character, and keeps no NUL", async () => {
    const long = `${"a".repeat(65_535)}😀tail`;
    const raw =
      'From: a@x.pl\r\nDate: Sat, 4 Apr 2026 12:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n' +
      `--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${long}\u0000\r\n--B\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="p.png"\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--B--\r\n`;
    const r = mailToRecord(await parse(raw), "ab", {}) as { item: { text: string; metadata: unknown } };
    expect(r.item.text).toHaveLength(65_535);
    expect(r.item.metadata).toEqual({
      attachments: [{ filename: "p.png", mimeType: "image/png", size: 5 }],
      truncated: true,
    });
  });
});

describe("ingestMbox and ingestEml", () => {
  const own = { domains: ["shop.pl"] };

  it("keeps every good message, rejects the malformed one with its number and line, and a re-import changes nothing", async () => {
    const cc = createCustomerContext();
    const rejects: RejectedRow[] = [];
    const first = await ingestMbox(createReadStream(FIXTURE), cc, { ...own, onReject: (r) => rejects.push(r) });
    expect(first).toMatchObject({ read: 6, kept: 5, rejected: 1, duplicates: 0, byKind: { record: 5 } });
    expect(rejects).toEqual([
      expect.objectContaining({
        line: 58,
        message: 5,
        error: { code: "parse", message: "no sender: the From header has no address" },
      }),
    ]);
    const anna = await cc.context({ identifier: { type: "email", value: "anna@klient.pl" } });
    // The reply without References joins by its base subject; the support reply is outbound in the same conversation.
    expect(anna?.conversations).toHaveLength(1);
    expect(anna?.timeline.map((i) => [i.direction, i.subject])).toEqual([
      ["inbound", "Order 5 not delivered"],
      ["outbound", "Re: Order 5 not delivered"],
      ["inbound", "RE: Order 5 not delivered"],
    ]);
    expect(anna?.timeline[0]?.text).toContain("From the tracking page it looks stuck.\nFrom the warehouse");
    expect(anna?.identifiers.map((i) => i.value)).toEqual(["anna@klient.pl"]);
    // The support address is nobody's identifier: it glued no customers together.
    expect(await cc.context({ identifier: { type: "email", value: "support@shop.pl" } })).toBeNull();
    const zofia = await cc.context({ identifier: { type: "email", value: "zofia@poczta.pl" } });
    expect(zofia?.identifiers.map((i) => i.value)).toEqual(["zofia@poczta.pl"]);
    expect(zofia?.timeline[0]).toMatchObject({
      subject: "Zamówienie nr 7 – faktura",
      text: "Proszę o korektę faktury.\n",
      metadata: { attachments: [{ filename: "faktura-7.pdf", mimeType: "application/pdf" }] },
    });
    expect(await cc.context({ identifier: { type: "email", value: "marek@poczta.pl" } })).toBeNull();

    const before = await cc.context({ identifier: { type: "email", value: "piotr@firma.pl" } });
    const second = await ingestMbox(createReadStream(FIXTURE), cc, own);
    expect(second).toMatchObject({ read: 6, kept: 5, rejected: 1, duplicates: 5, merges: 0 });
    expect(await cc.context({ identifier: { type: "email", value: "piotr@firma.pl" } })).toEqual(before);
    expect(await cc.context({ identifier: { type: "email", value: "anna@klient.pl" } })).toEqual(anna);
  });

  it("without own addresses every message is inbound from its sender, and customers still stay apart", async () => {
    const cc = createCustomerContext();
    await ingestMbox(createReadStream(FIXTURE), cc);
    const support = await cc.context({ identifier: { type: "email", value: "support@shop.pl" } });
    expect(support?.identifiers.map((i) => i.value)).toEqual(["support@shop.pl"]);
    const anna = await cc.context({ identifier: { type: "email", value: "anna@klient.pl" } });
    expect(anna?.identifiers.map((i) => i.value)).toEqual(["anna@klient.pl"]);
  });

  it("reads .eml files in the order given, rejecting a bad one by file name", async () => {
    const mbox = readFileSync(FIXTURE, "utf8");
    const messages = await collect(readMbox(chunks(mbox)));
    const files = messages.map((m, i) => {
      const bytes = "bytes" in m ? m.bytes : new Uint8Array();
      return { name: `${String(i + 1).padStart(2, "0")}.eml`, size: bytes.length, read: () => bytes };
    });
    const cc = createCustomerContext();
    const rejects: RejectedRow[] = [];
    const summary = await ingestEml(files, cc, { ...own, onReject: (r) => rejects.push(r) });
    expect(summary).toMatchObject({ read: 6, kept: 5, rejected: 1 });
    expect(rejects.map((r) => [r.message, r.file, r.error.code])).toEqual([[5, "05.eml", "parse"]]);
    const tooBig = await ingestEml([{ name: "big.eml", size: 100, read: () => new Uint8Array(100) }], cc, {
      maxMessageBytes: 10,
      onReject: (r) => rejects.push(r),
    });
    expect(tooBig).toMatchObject({ read: 1, kept: 0, rejected: 1 });
    expect(rejects[1]).toMatchObject({ file: "big.eml", error: { code: "too_long" } });
  });
});

describe("readMbox without blank lines between messages", () => {
  it("cuts at an exact asctime separator even without a blank line, but never at a body line that merely looks like one", async () => {
    const mbox =
      "From a@x.pl Wed Apr  1 07:00:00 2026\nSubject: one\n\nOpen From 9:00 to 17:00.\nFrom 9:00 to 17:00 we answer.\n" +
      "From 1634@xxx Sat Apr 04 10:00:00 +0000 2026\nSubject: two\n\nsecond\n";
    const messages = await collect(readMbox(chunks(mbox)));
    expect(bodies(messages)).toEqual([
      "Subject: one\n\nOpen From 9:00 to 17:00.\nFrom 9:00 to 17:00 we answer.\n",
      "Subject: two\n\nsecond\n",
    ]);
  });
});
