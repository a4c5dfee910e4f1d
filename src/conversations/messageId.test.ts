import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMessageId, parseMessageIds, referencedIds } from "./messageId.js";

describe("normalizeMessageId", () => {
  it.each([
    ["<abc@example.com>", "abc@example.com"],
    ["  <abc@example.com>\r\n", "abc@example.com"],
    ["abc@example.com", "abc@example.com"],
    ["< abc@example.com >", "abc@example.com"],
    ['<"a.b"@x>', "a.b@x"],
    ['"a b"@x', "a b@x"],
    ['<"a\\"b"@x>', 'a"b@x'],
    ["<Abc@X>", "Abc@X"],
    ["<a@[127.0.0.1]>", "a@[127.0.0.1]"],
    ["<abc@example.com", "abc@example.com"],
  ])("normalises %j to %j", (raw, expected) => {
    expect(normalizeMessageId(raw)).toBe(expected);
  });

  it.each([
    "",
    "   ",
    "<>",
    "<no-at-sign>",
    "<@example.com>",
    "<abc@>",
    "<a b@x>",
    "<a@x> <b@x>",
    '<""@x>',
    '<"a"x@y>',
    '<"a"@>',
    '<"unterminated@x>',
  ])("rejects %j", (raw) => {
    expect(normalizeMessageId(raw)).toBeNull();
  });

  it("keeps case: ids differing only in case are different", () => {
    expect(normalizeMessageId("<A@x>")).not.toBe(normalizeMessageId("<a@x>"));
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normalizeMessageId(raw);
        if (once !== null && !/\s/.test(once)) expect(normalizeMessageId(once)).toBe(once);
      }),
    );
  });

  it("accepts any bracketed simple id and returns it unchanged inside", () => {
    const part = fc.stringMatching(/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,20}$/);
    fc.assert(
      fc.property(part, part, (local, domain) => {
        expect(normalizeMessageId(` <${local}@${domain}> `)).toBe(`${local}@${domain}`);
      }),
    );
  });
});

describe("parseMessageIds", () => {
  it("reads several bracketed ids separated by folding whitespace and commas", () => {
    expect(parseMessageIds("<a@x>\r\n <b@x>,<c@x>")).toEqual(["a@x", "b@x", "c@x"]);
  });

  it("ignores comments and invalid entries", () => {
    expect(parseMessageIds("<a@x> (Jan's message of Monday) <bogus> <b@x>")).toEqual(["a@x", "b@x"]);
  });

  it("splits unbracketed ids on whitespace and commas", () => {
    expect(parseMessageIds(" a@x, b@x\tc@x junk ")).toEqual(["a@x", "b@x", "c@x"]);
  });

  it("keeps repeated ids and order", () => {
    expect(parseMessageIds("<b@x> <a@x> <b@x>")).toEqual(["b@x", "a@x", "b@x"]);
  });

  it("returns an empty list for an empty or junk header", () => {
    expect(parseMessageIds("")).toEqual([]);
    expect(parseMessageIds("<> <nothing>")).toEqual([]);
  });
});

describe("referencedIds", () => {
  it("returns References closest parent first", () => {
    expect(referencedIds({ messageId: "<d@x>", references: ["<a@x>", "<b@x>", "<c@x>"] })).toEqual([
      "c@x",
      "b@x",
      "a@x",
    ]);
  });

  it("prefers References over In-Reply-To", () => {
    expect(referencedIds({ inReplyTo: "<z@x>", references: ["<a@x>"] })).toEqual(["a@x"]);
  });

  it("uses In-Reply-To only when References holds no valid id", () => {
    expect(referencedIds({ inReplyTo: "<z@x> <y@x>", references: ["junk", "<>"] })).toEqual(["z@x"]);
    expect(referencedIds({ inReplyTo: "<z@x>" })).toEqual(["z@x"]);
  });

  it("reads References entries that hold a whole header value", () => {
    expect(referencedIds({ references: ["<a@x> <b@x>", "<c@x>"] })).toEqual(["c@x", "b@x", "a@x"]);
  });

  it("ignores self-references and lists each id once, at its closest position", () => {
    expect(referencedIds({ messageId: "<m@x>", references: ["<a@x>", "<m@x>", "<b@x>", "<a@x>"] })).toEqual([
      "a@x",
      "b@x",
    ]);
    expect(referencedIds({ messageId: "<m@x>", inReplyTo: "<m@x>" })).toEqual([]);
  });

  it("falls back to In-Reply-To when References only refers to the message itself", () => {
    expect(referencedIds({ messageId: "<m@x>", references: ["<m@x>"], inReplyTo: "<p@x>" })).toEqual(["p@x"]);
  });

  it("returns nothing for a message without headers", () => {
    expect(referencedIds({})).toEqual([]);
  });
});
