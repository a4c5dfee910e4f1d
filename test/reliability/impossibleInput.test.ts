/**
 * Issue 11, item 5: impossible input is rejected with a typed error naming the field and nothing
 * written, or handled correctly; never reinterpreted.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCustomerContextError } from "../../src/errors.js";
import { createCustomerContext, memoryAdapter, normalizeIdentifier } from "../../src/index.js";
import { parseInput } from "../../src/schema/parse.js";
import { Duration, JsonObject, Traits, When } from "../../src/schema/primitives.js";
import { faultyAdapter } from "../../src/testing/index.js";

function issuesOf(fn: () => unknown): { path: (string | number)[]; code: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(isCustomerContextError(error, "invalid_input"), String(error)).toBe(true);
    return (error as { details: { path: (string | number)[]; code: string; message: string }[] }).details;
  }
  throw new Error("expected invalid_input, nothing was thrown");
}

async function rejected(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCustomerContextError(error, "invalid_input"), String(error)).toBe(true);
  return (error as { details: { path: (string | number)[]; code: string; message: string }[] }).details;
}

function setup(options: Parameters<typeof createCustomerContext>[0] = {}) {
  const storage = faultyAdapter(memoryAdapter());
  return { storage, cc: createCustomerContext({ ...options, storage }) };
}

const email = (value: string) => ({ type: "email", value });

describe("dates", () => {
  it.each([
    "2026-02-30T00:00:00Z",
    "2026-02-31T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-04-02T24:00:00Z",
    "2026-04-02T23:60:00Z",
    "2026-04-02T23:59:60Z",
    "2026-04-02T10:00:00+2359",
    "2026-04-02T10:00:00+15:00",
    "2026-04-02T10:00:00-12:30",
    "2026-04-02T10:00:00+05:60",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "+010000-01-01T00:00:00Z",
    "-271821-04-20T00:00:00Z",
    "2026-04-02",
    "2026-04-02T10:00:00",
  ])("%s is rejected, naming the field, and nothing is written", async (at) => {
    const { cc, storage } = setup();
    const details = await rejected(
      cc.record({ channel: "web", direction: "inbound", at, customer: [email("jan@shop.pl")] }),
    );
    expect(details[0]?.path).toEqual(["at"]);
    expect((await storage.dump()).collections).toEqual({});
  });

  it.each([
    "2024-02-29T00:00:00Z",
    "2000-02-29T12:00:00Z",
    "2026-04-02T10:00:00+14:00",
    "2026-04-02T10:00:00-12:00",
    "2026-04-02T10:00+0200",
    "2026-04-02T10:00:00.123456789-0330",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
  ])("%s is accepted", (at) => {
    expect(parseInput(When, at, "time")).toBe(at);
  });

  it("rejects Dates outside the years 0001-9999 and invalid Dates", () => {
    for (const d of [new Date(Number.NaN), new Date("+010000-01-01T00:00:00Z"), new Date(-62198755200001)]) {
      expect(issuesOf(() => parseInput(When, d, "time"))).toHaveLength(1);
    }
  });

  it("every accepted date string is the day and time it says, in UTC order that sorts as text", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-02T00:00:00Z"), max: new Date("9999-12-30T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (date, offset) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
          const sign = offset < 0 ? "-" : "+";
          const abs = Math.abs(offset);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
          expect(parseInput(When, text, "time")).toBe(text);
          expect(new Date(text).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});

describe("keys named like Object.prototype members", () => {
  const withProto = JSON.parse('{"__proto__":"p","constructor":"c","toString":"t","valueOf":1,"hasOwnProperty":true}');

  it("keeps them as traits", async () => {
    const { cc } = setup();
    await cc.identify({ identifiers: [email("jan@shop.pl")], traits: withProto });
    const view = await cc.context({ identifier: email("jan@shop.pl") });
    expect(Object.entries(view?.profile.traits ?? {}).sort()).toEqual(Object.entries(withProto).sort());
  });

  it("keeps them in metadata", async () => {
    const { cc } = setup();
    await cc.record({
      channel: "web",
      direction: "inbound",
      at: "2026-04-02T10:00:00Z",
      customer: [email("jan@shop.pl")],
      metadata: JSON.parse('{"__proto__":{"constructor":1},"toString":"x"}'),
    });
    const view = await cc.context({ identifier: email("jan@shop.pl") });
    const metadata = view?.timeline[0]?.metadata as Record<string, unknown>;
    expect(Object.keys(metadata).sort()).toEqual(["__proto__", "toString"]);
    expect(Object.keys(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value as object)).toEqual([
      "constructor",
    ]);
  });

  it("an eligibility condition on trait `constructor` fails for a profile without it and passes with it", async () => {
    const { cc } = setup();
    await cc.identify({ identifiers: [email("jan@shop.pl")] });
    await cc.identify({ identifiers: [email("ola@shop.pl")], traits: { constructor: "yes" } });
    await cc.offers.define({
      id: "club",
      name: "Club",
      category: "service",
      terms: { fee: 0 },
      eligibility: { trait: "constructor", op: "exists" },
    });
    const check = (who: string) =>
      cc.offers.check({ customer: [email(who)], offerId: "club", channel: "web", at: new Date(), terms: { fee: 0 } });
    expect((await check("jan@shop.pl")).violations.map((v) => v.rule)).toEqual(["eligibility"]);
    expect((await check("ola@shop.pl")).violations).toEqual([]);
  });

  it("a term named `constructor` is compared like any other term", async () => {
    const { cc } = setup();
    await cc.offers.define({
      id: "loan",
      name: "Loan",
      category: "service",
      terms: JSON.parse('{"constructor":1,"__proto__":2,"apr":5.9}'),
    });
    const same = await cc.offers.check({
      customer: [email("jan@shop.pl")],
      offerId: "loan",
      channel: "web",
      at: new Date(),
      terms: JSON.parse('{"constructor":1,"__proto__":2,"apr":5.9}'),
    });
    expect(same.violations).toEqual([]);
    const other = await cc.offers.check({
      customer: [email("jan@shop.pl")],
      offerId: "loan",
      channel: "web",
      at: new Date(),
      terms: JSON.parse('{"constructor":3,"__proto__":2,"apr":5.9}'),
    });
    expect(other.violations.map((v) => v.rule)).toEqual(["parity"]);
    expect(other.violations[0]?.message).toMatch(/constructor/);
    expect(other.violations[0]?.message).not.toMatch(/function/);
  });

  it("a term missing from the presentation is found even when named toString", async () => {
    const { cc } = setup({ offers: { rules: { parity: { requireAll: true } } } });
    await cc.offers.define({ id: "loan", name: "Loan", category: "service", terms: { toString: "x", apr: 1 } });
    const result = await cc.offers.check({
      customer: [email("jan@shop.pl")],
      offerId: "loan",
      channel: "web",
      at: new Date(),
      terms: { apr: 1 },
    });
    expect(result.violations.map((v) => v.rule)).toEqual(["parity"]);
  });
});

describe("identifier characters", () => {
  it.each([
    ["zero-width space", "jan\u200b@shop.pl"],
    ["zero-width joiner", "jan\u200d@shop.pl"],
    ["word joiner", "jan\u2060@shop.pl"],
    ["byte-order mark", "\ufeffjan@shop.pl"],
    ["right-to-left override", "jan\u202e@shop.pl"],
    ["left-to-right mark", "jan\u200e@shop.pl"],
    ["bidi isolate", "\u2066jan@shop.pl"],
    ["soft hyphen", "jan\u00ad@shop.pl"],
    ["lone high surrogate", "jan\ud800@shop.pl"],
    ["lone low surrogate", "jan\udc00@shop.pl"],
    ["NUL", "jan\u0000@shop.pl"],
    ["escape", "jan\u001b@shop.pl"],
  ])("%s is invalid_input, never stripped, and nothing is written", async (_, value) => {
    const { cc, storage } = setup();
    const details = await rejected(cc.identify({ identifiers: [{ type: "email", value }] }));
    expect(details[0]?.path).toEqual(["identifiers", 0, "value"]);
    expect((await storage.dump()).collections).toEqual({});
    // The pure normaliser refuses it as well.
    expect(normalizeIdentifier({ type: "email", value }).ok).toBe(false);
  });

  it("accepts letters outside the BMP (well-formed surrogate pairs) and ordinary Unicode", async () => {
    const { cc } = setup();
    const result = await cc.identify({ identifiers: [{ type: "social", value: "@jan😀łódź" }] });
    expect(result.refused).toEqual([]);
  });

  it("refuses a custom normaliser's oversized or invisible output instead of storing it", async () => {
    const { cc, storage } = setup({
      identity: { types: { crmId: { normalize: (v) => (v === "big" ? "x".repeat(10_000_000) : `${v}\u200b`) } } },
    });
    const big = await cc.identify({ identifiers: [{ type: "crmId", value: "big" }, email("jan@shop.pl")] });
    expect(big.refused).toMatchObject([{ identifier: { type: "crmId" }, reason: "invalid" }]);
    expect(big.refused[0]?.message).toMatch(/more than 1024/);
    const invisible = await cc.identify({ identifiers: [{ type: "crmId", value: "c1" }, email("jan@shop.pl")] });
    expect(invisible.refused[0]?.message).toMatch(/U\+200B/);
    expect(JSON.stringify((await storage.dump()).collections)).not.toMatch(/xxxxxxxx|\u200b/);
  });

  it("NUL is refused at validation in texts that become keys", async () => {
    const { cc } = setup();
    const details = await rejected(
      cc.record({
        channel: "sms",
        direction: "inbound",
        at: "2026-04-02T10:00:00Z",
        customer: [email("jan@shop.pl")],
        externalId: "a\u0000b",
      }),
    );
    expect(details[0]?.path).toEqual(["externalId"]);
  });
});

describe("NUL everywhere", () => {
  const base = {
    channel: "web",
    direction: "inbound",
    at: "2026-04-02T10:00:00Z",
    customer: [email("jan@shop.pl")],
  } as const;
  it.each([
    [{ ...base, text: "a\u0000b" }, ["text"]],
    [{ ...base, subject: "a\u0000b" }, ["subject"]],
    [{ ...base, metadata: { note: "a\u0000b" } }, ["metadata", "note"]],
    [{ ...base, metadata: { "a\u0000b": 1 } }, ["metadata", "a\u0000b"]],
    [{ ...base, email: { messageId: "<a\u0000b@x>" } }, ["email", "messageId"]],
  ])("record with %j is invalid_input at the field, nothing written", async (input, path) => {
    const { cc, storage } = setup();
    const details = await rejected(cc.record(input as never));
    expect(details[0]?.path).toEqual(path);
    expect((await storage.dump()).collections).toEqual({});
  });

  it("in traits, terms and operator reasons", async () => {
    const { cc } = setup();
    expect(
      (await rejected(cc.identify({ identifiers: [email("jan@shop.pl")], traits: { name: "a\u0000" } })))[0]?.path,
    ).toEqual(["traits", "name"]);
    const { profileId: a } = await cc.identify({ identifiers: [email("jan@shop.pl")] });
    const { profileId: b } = await cc.identify({ identifiers: [email("ola@shop.pl")] });
    expect((await rejected(cc.profiles.merge(a, b, { reason: "x\u0000" })))[0]?.path).toEqual(["reason"]);
  });
});

describe("sizes and nesting", () => {
  const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown) => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = wrap(v);
    return v;
  };

  it("deeply nested metadata is invalid_input, not a RangeError", async () => {
    const { cc, storage } = setup();
    const details = await rejected(
      cc.record({
        channel: "web",
        direction: "inbound",
        at: "2026-04-02T10:00:00Z",
        customer: [email("jan@shop.pl")],
        metadata: { deep: nested(10_000, 1, (inner) => ({ a: inner })) as never },
      }),
    );
    expect(details[0]?.path[0]).toBe("metadata");
    expect(details[0]?.message).toMatch(/nested at most 32/);
    expect((await storage.dump()).collections).toEqual({});
  });

  it("deeply nested arrays in metadata, too", () => {
    const details = issuesOf(() => parseInput(JsonObject, { a: nested(10_000, 1, (inner) => [inner]) }, "metadata"));
    expect(details[0]?.message).toMatch(/nested/);
  });

  it("metadata 32 levels deep is fine", () => {
    const value = { a: nested(30, 1, (inner) => ({ a: inner })) };
    expect(parseInput(JsonObject, value, "metadata")).toEqual(value);
  });

  it("deeply nested eligibility is invalid_input, not a RangeError", async () => {
    const { cc } = setup();
    const details = await rejected(
      cc.offers.define({
        id: "o",
        name: "O",
        category: "service",
        terms: {},
        eligibility: nested(10_000, { tag: "vip" }, (inner) => ({ not: inner })) as never,
      }),
    );
    expect(details[0]?.path).toEqual(["eligibility"]);
  });

  it("a million trait keys fail at the key limit, before the values are read", () => {
    let reads = 0;
    let described = 0;
    const keys = Array.from({ length: 1_000_000 }, (_, i) => `k${i}`);
    const huge = new Proxy(
      {},
      {
        ownKeys: () => keys,
        getOwnPropertyDescriptor: () => {
          described++;
          return { value: 1, enumerable: true, configurable: true, writable: true };
        },
        get: () => {
          reads++;
          return 1;
        },
      },
    );
    const details = issuesOf(() => parseInput(Traits, huge, "traits"));
    expect(details[0]?.message).toMatch(/at most 128 keys/);
    expect(reads).toBe(0);
    expect(described).toBeLessThan(1_000);
  });

  it("huge durations are rejected at construction", () => {
    for (const window of [
      { years: 1e6 },
      { days: 1e9 },
      { seconds: Number.MAX_SAFE_INTEGER },
      { years: 99, months: 24 },
    ]) {
      const details = issuesOf(() => createCustomerContext({ conversations: { window } }));
      expect(details[0]?.path.slice(0, 2)).toEqual(["conversations", "window"]);
    }
    expect(parseInput(Duration, { years: 100 }, "duration")).toEqual({ years: 100 });
  });
});

describe("clock and listener errors", () => {
  it.each([
    ["an invalid Date", () => new Date(Number.NaN)],
    ["not a Date", () => "2026-04-02T10:00:00Z" as unknown as Date],
    ["a Date after 9999", () => new Date("+010000-01-01T00:00:00Z")],
    [
      "a throwing clock",
      () => {
        throw new Error("no time");
      },
    ],
  ])("a clock returning %s gets a typed error and nothing is written", async (_, clock) => {
    const { cc, storage } = setup({ clock });
    const details = await rejected(cc.identify({ identifiers: [email("jan@shop.pl")] }));
    expect(details[0]?.path).toEqual(["clock"]);
    expect((await storage.dump()).collections).toEqual({});
  });

  it("an onListenerError that throws does not make a committed operation reject", async () => {
    const { cc } = setup({
      onListenerError: () => {
        throw new Error("the error reporter is broken too");
      },
    });
    const seen: string[] = [];
    cc.subscribe((event) => {
      seen.push(event.type);
      throw new Error("listener bug");
    });
    const result = await cc.identify({ identifiers: [email("jan@shop.pl")] });
    expect(result.created).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(await cc.profiles.get({ profileId: result.profileId })).not.toBeNull();
  });
});
