import { describe, expect, it } from "vitest";
import { createCustomerContext, RESERVED_DOMAIN_BLOCKED_VALUES, RefusedError } from "../../src/index.js";

describe("blocked values by default (docs/identity.md, Blocked values)", () => {
  it("accepts an address at a reserved test domain by default", async () => {
    const cc = createCustomerContext();
    const result = await cc.identify({ identifiers: [{ type: "email", value: "jan@example.com" }] });
    expect(result.created).toBe(true);
    expect(result.refused).toEqual([]);
    await cc.close();
  });

  it("blocks reserved domains with the opt-in preset: all blocked throws, one good one refuses the rest", async () => {
    const cc = createCustomerContext({ identity: { blocked: [...RESERVED_DOMAIN_BLOCKED_VALUES] } });
    await expect(cc.identify({ identifiers: [{ type: "email", value: "jan@example.com" }] })).rejects.toBeInstanceOf(
      RefusedError,
    );
    const mixed = await cc.identify({
      identifiers: [
        { type: "email", value: "jan@shop.test" },
        { type: "phone", value: "+48601234567" },
      ],
    });
    expect(mixed.refused.map((r) => [r.identifier.value, r.reason])).toEqual([["jan@shop.test", "blocked"]]);
    await cc.close();
  });

  it("still blocks placeholders by default", async () => {
    const cc = createCustomerContext();
    for (const value of ["test@test.com", "noreply@shop.pl", "null"]) {
      await expect(cc.identify({ identifiers: [{ type: "email", value }] })).rejects.toMatchObject({ code: "refused" });
    }
    await expect(cc.identify({ identifiers: [{ type: "phone", value: "+48555555555" }] })).rejects.toMatchObject({
      code: "refused",
    });
    await cc.close();
  });
});
