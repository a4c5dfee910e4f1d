import { type CustomerContextEvent, createCustomerContext, isCustomerContextError } from "customer-context";
import { describe, expect, it } from "vitest";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
const paths = (error: unknown) => (error as { details: { path: (string | number)[] }[] }).details.map((d) => d.path);

describe("identity.strictTypes", () => {
  const strict = () => {
    const events: CustomerContextEvent[] = [];
    const cc = createCustomerContext({
      identity: { strictTypes: true, types: { crmId: {}, email: {}, phone: {} }, defaultRegion: "PL" },
    });
    cc.subscribe((event) => events.push(event));
    return { cc, events };
  };

  it("rejects an identifier of an unlisted type in identify, record and look-ups, writing nothing", async () => {
    const { cc, events } = strict();
    const typo = await rejected(
      cc.identify({
        identifiers: [
          { type: "email", value: "jan@poczta.pl" },
          { type: "emial", value: "jan@poczta.pl" },
        ],
      }),
    );
    expect(isCustomerContextError(typo, "invalid_input")).toBe(true);
    expect(paths(typo)).toEqual([["type"]]);
    expect(String((typo as Error).message)).toContain('"emial"');
    const record = await rejected(
      cc.record({
        channel: "web",
        direction: "inbound",
        at: "2026-04-02T10:00:00Z",
        customer: [{ type: "mail", value: "x" }],
      }),
    );
    expect(isCustomerContextError(record, "invalid_input")).toBe(true);
    const lookup = await rejected(cc.context({ identifier: { type: "Email", value: "jan@poczta.pl" } }));
    expect(isCustomerContextError(lookup, "invalid_input")).toBe(true);
    expect(events).toEqual([]);
    expect(await cc.profiles.find({ type: "email", value: "jan@poczta.pl" })).toBeNull();

    const ok = await cc.identify({
      identifiers: [
        { type: "crmId", value: "C-1" },
        { type: "phone", value: "601 234 567" },
      ],
    });
    expect(ok.created).toBe(true);
    await cc.close();
  });

  it("is off by default: an unlisted type is a custom type", async () => {
    const cc = createCustomerContext();
    const result = await cc.identify({ identifiers: [{ type: "emial", value: "jan@poczta.pl" }] });
    expect(result.created).toBe(true);
    await cc.close();
  });

  it("is validated at construction", () => {
    const noTypes = thrown(() => createCustomerContext({ identity: { strictTypes: true } }));
    expect(isCustomerContextError(noTypes, "invalid_input")).toBe(true);
    expect(paths(noTypes)).toEqual([["identity", "types"]]);
    const notBoolean = thrown(() => createCustomerContext({ identity: { strictTypes: "yes" } } as never));
    expect(paths(notBoolean)).toEqual([["identity", "strictTypes"]]);
  });
});

describe("identity.defaultRegion", () => {
  it.each(["XX", "pl", "POL", "", "ZZ", 48])("rejects %j at construction, naming identity.defaultRegion", (region) => {
    const error = thrown(() => createCustomerContext({ identity: { defaultRegion: region } } as never));
    expect(isCustomerContextError(error, "invalid_input")).toBe(true);
    expect(paths(error)).toEqual([["identity", "defaultRegion"]]);
  });

  it("accepts a region libphonenumber supports and uses it for national numbers", async () => {
    const cc = createCustomerContext({ identity: { defaultRegion: "DE" } });
    const { profileId } = await cc.identify({ identifiers: [{ type: "phone", value: "030 1234567" }] });
    const profile = await cc.profiles.get({ identifier: { type: "phone", value: "+49301234567" } });
    expect(profile?.id).toBe(profileId);
    await cc.close();
  });
});
