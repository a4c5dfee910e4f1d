import {
  type CustomerContext,
  createCustomerContext,
  type Explanation,
  type IdentifyResult,
  type IngestItem,
  type OfferCheck,
  type TypedIdentifier,
} from "customer-context";
import { describe, expectTypeOf, it } from "vitest";

/**
 * Type tests: checked by `tsc -p tsconfig.json` (npm run typecheck), where every `@ts-expect-error`
 * must meet an error, so a typo that compiles again fails the typecheck. The calls sit in functions
 * that never run; the `it` blocks only check the types they name.
 */
type Bank = { identifierTypes: "email" | "phone" | "crmId"; channels: "web" | "phone" | "branch" };

function typedCalls(cc: CustomerContext<Bank>) {
  void cc.identify({ identifiers: [{ type: "crmId", value: "C-1" }], channel: "web" });
  // @ts-expect-error "emial" is not a declared identifier type
  void cc.identify({ identifiers: [{ type: "emial", value: "jan@x.pl" }] });
  // @ts-expect-error "webb" is not a declared channel
  void cc.identify({ identifiers: [{ type: "email", value: "jan@x.pl" }], channel: "webb" });
  void cc.record({
    channel: "branch",
    direction: "inbound",
    at: "2026-04-02T10:00:00Z",
    customer: [{ type: "phone", value: "1" }],
  });
  // @ts-expect-error "sms" is not a declared channel
  void cc.record({ channel: "sms", direction: "inbound", at: "2026-04-02T10:00:00Z", customer: { profileId: "p" } });
  // @ts-expect-error "fax" is not a declared identifier type
  void cc.context({ identifier: { type: "fax", value: "1" } });
  void cc.offers.check({
    customer: { profileId: "p" },
    offerId: "o",
    // @ts-expect-error a typo in the channel of a check
    channel: "hotline",
    at: "2026-04-02T10:00:00Z",
    terms: {},
  });
  void cc.offers.define({ id: "o", name: "O", category: "service", terms: {}, channels: ["web", "branch"] });
  // @ts-expect-error a typo in an offer's channels
  void cc.offers.define({ id: "o", name: "O", category: "service", terms: {}, channels: ["wbe"] });
  // @ts-expect-error a typo in an unmerge's identifier type
  void cc.profiles.unmerge("p", { type: "crmid", value: "1" }, { reason: "r" });
  void cc.observe({ identifier: { type: "email", value: "a@b.pl" } }, () => undefined);
}

function untypedCalls(cc: CustomerContext) {
  // Without declared types, any string is an identifier type or a channel.
  void cc.identify({ identifiers: [{ type: "loyaltyCard", value: "L-1" }], channel: "kiosk" });
  // @ts-expect-error a value is still required
  void cc.identify({ identifiers: [{ type: "email" }] });
}

/** `as const` data and readonly arrays are accepted wherever the inputs hold arrays. */
function readonlyCalls(cc: CustomerContext<Bank>) {
  const ids = [{ type: "email", value: "jan@x.pl" }] as const;
  const tags: readonly string[] = ["complaint"];
  void cc.identify({ identifiers: ids, traits: { name: "Jan" } });
  void cc.record({ channel: "web", direction: "inbound", at: "2026-04-02T10:00:00Z", customer: ids, tags });
  void cc.offers.define({
    id: "o",
    name: "Loan",
    category: "marketing",
    terms: { apr: 9.9 },
    channels: ["web", "branch"] as const,
  });
  const readonlyIds: ReadonlyArray<TypedIdentifier<Bank>> = ids;
  // @ts-expect-error a readonly array still checks its identifier types
  void cc.identify({ identifiers: [{ type: "emial", value: "x" }] as const });
  void cc.identify({ identifiers: readonlyIds });
  const items: IngestItem[] = [
    { kind: "identify", identifiers: ids },
    { kind: "record", channel: "web", direction: "inbound", at: "2026-04-02T10:00:00Z", customer: ids, tags },
  ];
  void cc.ingest(items);
  void createCustomerContext({
    identity: { blocked: ["n/a"] as const, fuzzy: { fields: { name: "name" }, blocking: [["name"]] as const } },
    conversations: { subjectPrefixes: ["Re:", "AW:"] as const },
  });
}

describe("the declared CustomerContext type", () => {
  it("is what createCustomerContext returns, with the declared types carried through", () => {
    expectTypeOf(createCustomerContext).returns.toEqualTypeOf<CustomerContext>();
    expectTypeOf(createCustomerContext<Bank>).returns.toEqualTypeOf<CustomerContext<Bank>>();
    expectTypeOf<TypedIdentifier<Bank>["type"]>().toEqualTypeOf<"email" | "phone" | "crmId">();
    expectTypeOf<TypedIdentifier["type"]>().toEqualTypeOf<string>();
    expectTypeOf(typedCalls).toBeFunction();
    expectTypeOf(untypedCalls).toBeFunction();
    expectTypeOf(readonlyCalls).toBeFunction();
  });

  it("names its results", () => {
    expectTypeOf<CustomerContext["identify"]>().returns.resolves.toEqualTypeOf<IdentifyResult>();
    expectTypeOf<CustomerContext["profiles"]["explain"]>().returns.resolves.toEqualTypeOf<Explanation>();
    expectTypeOf<CustomerContext["offers"]["check"]>().returns.resolves.toEqualTypeOf<OfferCheck>();
    expectTypeOf<Explanation["edges"][number]["kind"]>().toEqualTypeOf<"observation" | "operator">();
  });

  it("makes a typed context usable where an untyped one is expected", () => {
    expectTypeOf<CustomerContext<Bank>>().toMatchTypeOf<Pick<CustomerContext, "storage" | "close" | "subscribe">>();
  });
});
