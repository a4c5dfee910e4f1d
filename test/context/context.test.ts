import { describe, expect, it, vi } from "vitest";
import { createCustomerContext, isCustomerContextError, memoryAdapter, type StorageAdapter } from "../../src/index.js";

const email = (value: string) => ({ type: "email", value });

describe("createCustomerContext options", () => {
  it("rejects invalid options with invalid_input naming each field", () => {
    const error = (() => {
      try {
        createCustomerContext({
          identity: { defaultRegion: "Poland", types: { crmId: { limit: 0 } } },
          conversations: { window: { days: -1 } },
          clok: () => new Date(),
        } as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isCustomerContextError(error, "invalid_input")).toBe(true);
    const paths = (error as { details: Array<{ path: string[] }> }).details.map((d) => d.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining([
        "identity.defaultRegion",
        "identity.types.crmId.limit",
        "conversations.window.days",
        "clok",
      ]),
    );
  });

  it("checks the adapter once and lists every missing member in one adapter_invalid error", () => {
    const broken = { name: "half", capabilities: { transactions: true } } as unknown as StorageAdapter;
    const error = (() => {
      try {
        createCustomerContext({ storage: broken });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as { code: string; details: { missing: string[] } };
    expect(error.code).toBe("adapter_invalid");
    expect(error.details.missing).toEqual(["transaction", "close"]);
  });

  it("reports transaction methods an adapter lacks on first use, and writes nothing", async () => {
    const inner = memoryAdapter();
    const adapter: StorageAdapter = {
      ...inner,
      name: "no-scan",
      capabilities: inner.capabilities,
      close: () => inner.close(),
      transaction: (fn, options) =>
        inner.transaction((tx) => fn({ ...tx, scan: undefined, get: tx.get.bind(tx) } as never), options),
    };
    const cc = createCustomerContext({ storage: adapter });
    await expect(cc.identify({ identifiers: [email("a@x.pl")] })).rejects.toMatchObject({
      code: "adapter_invalid",
      details: {
        missing: [
          "transaction.getMany",
          "transaction.put",
          "transaction.delete",
          "transaction.find",
          "transaction.scan",
          "transaction.lock",
        ],
      },
    });
  });

  it("wraps adapter failures as storage_failure and leaves no partial state", async () => {
    const inner = memoryAdapter();
    let failPuts = false;
    let puts = 0;
    const adapter: StorageAdapter = {
      name: "flaky",
      capabilities: inner.capabilities,
      close: () => inner.close(),
      transaction: (fn, options) =>
        inner.transaction(
          (tx) =>
            fn(
              new Proxy(tx, {
                get(target, prop) {
                  const value = Reflect.get(target, prop) as unknown;
                  if ((prop === "put" || prop === "putMany") && failPuts) {
                    return async (...args: unknown[]) => {
                      if (++puts > 2) throw new Error("disk full");
                      return (value as (...a: unknown[]) => unknown).apply(target, args);
                    };
                  }
                  return typeof value === "function" ? value.bind(target) : value;
                },
              }),
            ),
          options,
        ),
    };
    const cc = createCustomerContext({ storage: adapter });
    failPuts = true;
    const error = await cc
      .identify({ identifiers: [email("a@x.pl"), { type: "phone", value: "+48601234567" }] })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "storage_failure", details: { adapter: "flaky" } });
    expect(error.cause).toBeInstanceOf(Error);
    failPuts = false;
    expect(await cc.profiles.find(email("a@x.pl"))).toBeNull();
  });
});

describe("events", () => {
  it("isolates a throwing listener and keeps delivering to the others", async () => {
    const onListenerError = vi.fn();
    const cc = createCustomerContext({ onListenerError });
    const seen: string[] = [];
    cc.subscribe(() => {
      throw new Error("listener bug");
    });
    const stop = cc.subscribe((e) => seen.push(e.type));
    await cc.identify({ identifiers: [email("a@x.pl")] });
    expect(seen).toEqual(["profile.created"]);
    expect(onListenerError).toHaveBeenCalledWith(
      expect.any(Error),
      expect.objectContaining({ type: "profile.created" }),
    );
    stop();
    await cc.identify({ identifiers: [email("b@x.pl")] });
    expect(seen).toEqual(["profile.created"]);
  });

  it("keeps identifier values out of the stored event log", async () => {
    const storage = memoryAdapter();
    const cc = createCustomerContext({ storage });
    await cc.identify({
      identifiers: [{ type: "crmId", value: "1" }, email("secret@x.pl")],
      at: "2026-04-01T09:00:00Z",
    });
    // Explicit times: with equal times the canonical order (by link id) decides which link wins.
    const refused = await cc.identify({
      identifiers: [{ type: "crmId", value: "2" }, email("secret@x.pl")],
      at: "2026-04-02T09:00:00Z",
    });
    expect(refused.refused).toHaveLength(1);
    const log = (await storage.readEvents?.(0, 100)) ?? [];
    expect(log.map((e) => e.type)).toContain("identify.refused");
    expect(JSON.stringify(log)).not.toContain("secret@x.pl");
  });
});

describe("observe", () => {
  it("emits the customer's snapshot, batches changes, and does not re-emit an unchanged snapshot", async () => {
    const cc = createCustomerContext({ clock: () => new Date("2026-04-10T00:00:00Z") });
    const snapshots: Array<number | null> = [];
    const stop = cc.observe({ identifier: email("a@x.pl") }, (view) => snapshots.push(view?.timeline.length ?? null));
    await new Promise((r) => setTimeout(r, 5));
    expect(snapshots).toEqual([null]);
    const customer = [email("a@x.pl")];
    await Promise.all([
      cc.record({ channel: "chat", direction: "inbound", at: "2026-04-01T09:00:00Z", customer, externalId: "1" }),
      cc.record({ channel: "chat", direction: "inbound", at: "2026-04-01T09:01:00Z", customer, externalId: "2" }),
    ]);
    await new Promise((r) => setTimeout(r, 5));
    expect(snapshots).toEqual([null, 2]);
    await cc.identify({ identifiers: [email("someone-else@x.pl")] });
    await new Promise((r) => setTimeout(r, 5));
    expect(snapshots).toEqual([null, 2]);
    stop();
    await cc.record({ channel: "chat", direction: "inbound", at: "2026-04-01T09:02:00Z", customer, externalId: "3" });
    await new Promise((r) => setTimeout(r, 5));
    expect(snapshots).toEqual([null, 2]);
  });
});

describe("close", () => {
  it("refuses further calls with a closed error", async () => {
    const cc = createCustomerContext();
    await cc.close();
    await expect(cc.identify({ identifiers: [email("a@x.pl")] })).rejects.toMatchObject({ code: "closed" });
  });
});

describe("errors", () => {
  it("are recognised across copies by their brand and serialise to JSON", async () => {
    const cc = createCustomerContext();
    const error = await cc.profiles.explain("prof_missing").catch((e: unknown) => e);
    expect(isCustomerContextError(error, "not_found")).toBe(true);
    const foreign = Object.assign(Object.create(null), { code: "not_found" });
    foreign[Symbol.for("customer-context.error")] = true;
    expect(isCustomerContextError(foreign)).toBe(true);
    expect(isCustomerContextError(new Error("x"))).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: "not_found", details: { kind: "profile" } });
  });
});
