/**
 * `cc.offers.audit({ customer })` (issue 13, item 7: `context` shows the customer's violations):
 * the violations of one customer are those of the whole audit that are theirs, found without
 * reading anyone else's presentations; an unknown customer has none; a bad reference is
 * `invalid_input` naming the field under `customer`.
 */
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext, type StorageAdapter } from "../../src/index.js";

const loan = { id: "loan", name: "Personal loan", category: "marketing" as const, terms: { apr: 5.9, fee: 0 } };
const at = (d: number) => `2026-04-${String(d).padStart(2, "0")}T09:00:00Z`;
const email = (value: string) => ({ type: "email", value });

/** A memory adapter that remembers which collections were scanned whole. */
function scanCounting(): { storage: StorageAdapter; scanned: string[] } {
  const inner = memoryAdapter();
  const scanned: string[] = [];
  const storage: StorageAdapter = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (fn: (tx: unknown) => Promise<unknown>, ...rest: unknown[]) =>
        (target.transaction as (...a: unknown[]) => Promise<unknown>)(
          (tx: Record<string, unknown>) =>
            fn(
              new Proxy(tx, {
                get(t, p, r) {
                  const value = Reflect.get(t, p, r);
                  if (p === "scan" && typeof value === "function") {
                    return (collection: string, ...args: unknown[]) => {
                      scanned.push(collection);
                      return value.call(t, collection, ...args);
                    };
                  }
                  return typeof value === "function" ? value.bind(t) : value;
                },
              }),
            ),
          ...rest,
        );
    },
  });
  return { storage, scanned };
}

async function seeded() {
  const { storage, scanned } = scanCounting();
  const cc = createCustomerContext({ storage, clock: () => new Date("2026-05-01T00:00:00Z") });
  await cc.offers.define(loan);
  for (const [who, d] of [
    ["jan@poczta.pl", 2],
    ["ewa@poczta.pl", 3],
  ] as const) {
    await cc.offers.present({ customer: [email(who)], offerId: "loan", channel: "web", at: at(d), terms: loan.terms });
    // A worse APR on another channel: a parity violation for this customer.
    await cc.offers.present({
      customer: [email(who)],
      offerId: "loan",
      channel: "email",
      at: at(d + 1),
      terms: { apr: 9.9, fee: 0 },
    });
  }
  return { cc, scanned };
}

describe("offers.audit for one customer", () => {
  it("returns that customer's violations of the whole audit, without scanning every presentation", async () => {
    const { cc, scanned } = await seeded();
    const all = await cc.offers.audit();
    const jan = (await cc.profiles.get({ identifier: email("jan@poczta.pl") }))?.id as string;
    expect(all.some((v) => v.profileId !== jan)).toBe(true);
    scanned.length = 0;
    const hers = await cc.offers.audit({ customer: { identifier: email("jan@poczta.pl") } });
    expect(hers.length).toBeGreaterThan(0);
    expect(hers).toEqual(all.filter((v) => v.profileId === jan));
    // The catalogue is read whole; presentations only through the owner index.
    expect(scanned).not.toContain("presentations");
    expect(await cc.offers.audit({ customer: { profileId: jan } })).toEqual(hers);
    expect(await cc.offers.audit({ customer: { profileId: jan }, from: at(10) })).toEqual([]);
  });

  it("an unknown customer has no violations; a bad reference is invalid_input naming customer", async () => {
    const { cc } = await seeded();
    expect(await cc.offers.audit({ customer: { identifier: email("nobody@poczta.pl") } })).toEqual([]);
    expect(await cc.offers.audit({ customer: { profileId: "prof_unknown" } })).toEqual([]);
    const error = await cc.offers.audit({ customer: { identifier: { type: "email" } } } as never).catch((e) => e);
    expect(error).toMatchObject({ code: "invalid_input" });
    expect((error.details as Array<{ path: unknown[] }>)[0]?.path).toEqual(["customer", "identifier", "value"]);
  });
});
