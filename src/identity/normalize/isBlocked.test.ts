import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBlockList, RESERVED_DOMAIN_BLOCKED_VALUES } from "./createBlockList.js";
import { isBlocked } from "./isBlocked.js";
import { normalizeIdentifier } from "./normalizeIdentifier.js";

const id = (type: string, value: string) => ({ type, value });

describe("createBlockList / isBlocked", () => {
  const defaults = createBlockList();

  it.each([
    ["userId", "null"],
    ["userId", "undefined"],
    ["cookie", "Unknown"],
    ["crmId", "ANONYMOUS"],
    ["crmId", "n/a"],
    ["email", "test@test.com"],
    ["email", "noreply@shop.pl"],
    ["email", "no-reply@shop.pl"],
    ["email", "do-not-reply@shop.pl"],
    ["email", "donotreply@shop.pl"],
    ["email", "mailer-daemon@shop.pl"],
    ["email", "noemail@shop.pl"],
    ["phone", "+0000000"],
    ["phone", "+1111111111"],
    ["phone", "+48000000000"],
    ["phone", "+48555555555"],
    ["phone", "+1234567890"],
    ["userId", "asdf"],
  ])("blocks the default junk %s %j", (type, value) => {
    expect(isBlocked(defaults, id(type, value))).toBe(true);
  });

  it.each([
    ["email", "jan@gmail.com"],
    ["email", "test@gmail.com"],
    ["email", "reply@shop.pl"],
    ["email", "nora@example.pl"],
    ["email", "jan@example.com"],
    ["email", "test@example.com"],
    ["email", "jan@shop.test"],
    ["email", "anna.none@shop.pl"],
    ["phone", "+48601234567"],
    ["phone", "+12125550123"],
    ["phone", "+442079460958"],
    ["userId", "u-0"],
    ["userId", "10"],
    ["userId", "testing"],
    ["userId", "nullable-user"],
  ])("does not block the real value %s %j", (type, value) => {
    expect(isBlocked(defaults, id(type, value))).toBe(false);
  });

  it.each([
    ["jan@example.com", true],
    ["jan@example.org", true],
    ["jan@mail.example.net", true],
    ["jan@shop.test", true],
    ["jan@shop.example", true],
    ["jan@shop.invalid", true],
    ["jan@localhost", true],
    ["jan@example.pl", false],
    ["jan@examples.com", false],
    ["jan@test.com", false],
  ])("blocks reserved domains only with the opt-in preset: %j -> %s", (value, blocked) => {
    expect(isBlocked(createBlockList(RESERVED_DOMAIN_BLOCKED_VALUES), id("email", value))).toBe(blocked);
    expect(isBlocked(createBlockList(), id("email", value))).toBe(false);
  });

  it("matches string entries case-insensitively against the value or the type:value key", () => {
    const list = createBlockList(["Shared@Family.PL", "phone:+48221234567"], { defaults: false });
    expect(isBlocked(list, id("email", "shared@family.pl"))).toBe(true);
    expect(isBlocked(list, id("phone", "+48221234567"))).toBe(true);
    expect(isBlocked(list, id("fax", "+48221234567"))).toBe(false);
    expect(isBlocked(list, id("userId", "unknown"))).toBe(false);
  });

  it("tests patterns against the value, without lastIndex state from g or y flags", () => {
    const list = createBlockList([/@acme\.test$/g, /^x/y], { defaults: false });
    for (let i = 0; i < 3; i++) {
      expect(isBlocked(list, id("email", "bob@acme.test"))).toBe(true);
      expect(isBlocked(list, id("userId", "x1"))).toBe(true);
    }
    expect(isBlocked(list, id("userId", "ax"))).toBe(false);
  });

  it("does not mutate the caller's RegExp", () => {
    const pattern = /a/g;
    const list = createBlockList([pattern], { defaults: false });
    isBlocked(list, id("t", "aaa"));
    expect(pattern.lastIndex).toBe(0);
  });

  it("blocks a normalised identifier whatever its raw spelling", () => {
    fc.assert(
      fc.property(fc.constantFrom(" TEST@test.com", "Test@Test.Com ", "NoReply@Shop.PL"), (raw) => {
        const r = normalizeIdentifier(id("email", raw));
        expect(r.ok && isBlocked(defaults, r.identifier)).toBe(true);
      }),
    );
  });
});
