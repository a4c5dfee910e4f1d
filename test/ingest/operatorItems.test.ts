/**
 * Operator items of `cc.ingest` as an import carries them (issue 13, item 7): `resolve` names any
 * interaction of its conversation (`{ channel, externalId }` or `{ messageId }`), `merge` and
 * `unmerge` name profiles by identifier as well as by id, and `forget` takes `suppress`. Bad
 * items are `invalid_input` naming the field, unknown ones `not_found`, and neither writes.
 */
import { describe, expect, it } from "vitest";
import { createCustomerContext, type Identifier } from "../../src/index.js";

const ann: Identifier = { type: "email", value: "ann@klient.pl" };
const annPhone: Identifier = { type: "phone", value: "+48601234567" };
const bob: Identifier = { type: "email", value: "bob@klient.pl" };
const clock = () => new Date("2026-05-01T00:00:00Z");

const record = (at: string, customer: Identifier, more: object) => ({
  kind: "record" as const,
  channel: "email",
  direction: "inbound" as const,
  at,
  customer: [customer],
  ...more,
});

/** A context with Ann's ticket (two emails by externalId), Bob's thread (by Message-ID) and Ann's phone apart. */
async function seeded() {
  const cc = createCustomerContext({ clock });
  const summary = await cc.ingest([
    record("2026-04-01T09:00:00Z", ann, { externalId: "T1-1", subject: "Card blocked" }),
    record("2026-04-01T10:00:00Z", ann, { externalId: "T1-2", subject: "Re: Card blocked" }),
    record("2026-04-02T09:00:00Z", bob, { email: { messageId: "<b1@klient.pl>" }, subject: "Fees" }),
    record("2026-04-02T10:00:00Z", bob, {
      email: { messageId: "<b2@klient.pl>", inReplyTo: "<b1@klient.pl>" },
      subject: "Re: Fees",
    }),
    { kind: "identify", identifiers: [annPhone], at: "2026-04-03T09:00:00Z" },
  ]);
  expect(summary.rejected).toEqual([]);
  return cc;
}

const rejection = (summary: { rejected: Array<{ index: number; error: { code: string; details: unknown } }> }) =>
  summary.rejected.map((r) => [
    r.index,
    r.error.code,
    r.error.code === "invalid_input" ? (r.error.details as Array<{ path: unknown[] }>)[0]?.path : null,
  ]);

describe("resolve by any interaction", () => {
  it("closes the conversation of a later interaction (externalId) or of a reply (Message-ID)", async () => {
    const cc = await seeded();
    const summary = await cc.ingest([
      { kind: "resolve", interaction: { channel: "email", externalId: "T1-2" }, at: "2026-04-01T16:00:00Z" },
      { kind: "resolve", interaction: { messageId: "b2@klient.pl" }, at: "2026-04-02T12:00:00Z" },
    ]);
    expect(summary).toMatchObject({ kept: 2, rejected: [] });
    for (const who of [ann, bob]) {
      const [conversation] = await cc.conversations.list({ identifier: who });
      expect(conversation?.status, who.value).toBe("resolved");
    }
  });

  it("rejects a malformed or unknown reference by field, and writes nothing", async () => {
    const cc = await seeded();
    const before = await cc.context({ identifier: ann });
    const summary = await cc.ingest([
      { kind: "resolve", interaction: { externalId: "T1-1" } },
      { kind: "resolve", interaction: { channel: "email" } },
      { kind: "resolve", interaction: { messageId: "no-at-sign" } },
      { kind: "resolve", interaction: { messageId: "<a@b>", channel: "email", externalId: "T1-1" } },
      { kind: "resolve", interaction: "T1-1" },
      { kind: "resolve", conversationId: "conv_x", interaction: { channel: "email", externalId: "T1-1" } },
      { kind: "resolve" },
      { kind: "resolve", interaction: { channel: "email", externalId: "T9-9" } },
    ]);
    expect(rejection(summary)).toEqual([
      [0, "invalid_input", ["interaction", "channel"]],
      [1, "invalid_input", ["interaction", "externalId"]],
      [2, "invalid_input", ["interaction", "messageId"]],
      [3, "invalid_input", ["interaction"]],
      [4, "invalid_input", ["interaction"]],
      [5, "invalid_input", ["interaction"]],
      [6, "invalid_input", ["conversationId"]],
      [7, "not_found", null],
    ]);
    expect(await cc.context({ identifier: ann })).toEqual(before);
  });
});

describe("conversations.resolve by interaction", () => {
  it("resolves the conversation of the interaction named, and rejects a bad one by field", async () => {
    const cc = await seeded();
    const resolved = await cc.conversations.resolve(
      { interaction: { messageId: "<b2@klient.pl>" } },
      { at: "2026-04-02T12:00:00Z" },
    );
    expect(resolved.status).toBe("resolved");
    expect((await cc.conversations.list({ identifier: bob }))[0]?.id).toBe(resolved.id);
    const bad = await cc.conversations.resolve({ interaction: { channel: "email" } } as never).catch((e) => e);
    expect(bad).toMatchObject({ code: "invalid_input" });
    expect((bad.details as Array<{ path: unknown[] }>)[0]?.path).toEqual(["interaction", "externalId"]);
    const unknown = await cc.conversations
      .resolve({ interaction: { channel: "email", externalId: "T9-9" } })
      .catch((e) => e);
    expect(unknown).toMatchObject({ code: "not_found" });
    expect((await cc.conversations.list({ identifier: ann }))[0]?.status).toBe("open");
  });
});

describe("merge and unmerge by identifier", () => {
  it("merge takes { identifier } or { profileId } as well as a profile id; unmerge finds the profile", async () => {
    const cc = await seeded();
    const phoneProfile = (await cc.profiles.get({ identifier: annPhone }))?.id as string;
    const summary = await cc.ingest([
      { kind: "merge", a: { identifier: ann }, b: { profileId: phoneProfile }, reason: "verified by phone" },
    ]);
    expect(summary).toMatchObject({ kept: 1, rejected: [], merges: 1 });
    const merged = await cc.profiles.get({ identifier: ann });
    expect(merged?.identifiers.map((i) => i.type).sort()).toEqual(["email", "phone"]);

    const split = await cc.ingest([{ kind: "unmerge", identifier: annPhone, reason: "wrong caller" }]);
    expect(split).toMatchObject({ kept: 1, rejected: [] });
    expect((await cc.profiles.get({ identifier: ann }))?.identifiers.map((i) => i.type)).toEqual(["email"]);
    expect((await cc.profiles.get({ identifier: annPhone }))?.id).not.toBe(merged?.id);
  });

  it("rejects bad or unknown targets by field, and writes nothing", async () => {
    const cc = await seeded();
    const before = await cc.context({ identifier: ann });
    const stranger: Identifier = { type: "email", value: "nobody@klient.pl" };
    const summary = await cc.ingest([
      { kind: "merge", a: { identifier: { type: "email" } }, b: { identifier: bob }, reason: "x" },
      { kind: "merge", a: { identifier: ann }, b: 42, reason: "x" },
      { kind: "merge", a: { identifier: ann }, b: { identifier: stranger }, reason: "x" },
      { kind: "unmerge", identifier: stranger, reason: "x" },
      { kind: "unmerge", profileId: "", identifier: ann, reason: "x" },
    ]);
    expect(rejection(summary)).toEqual([
      [0, "invalid_input", ["a"]],
      [1, "invalid_input", ["b"]],
      [2, "not_found", null],
      [3, "not_found", null],
      [4, "invalid_input", ["profileId"]],
    ]);
    expect(await cc.context({ identifier: ann })).toEqual(before);
  });
});

describe("forget with suppress", () => {
  it("erases the customer and refuses their identifiers later", async () => {
    const cc = await seeded();
    const summary = await cc.ingest([{ kind: "forget", identifier: bob, suppress: true }]);
    expect(summary).toMatchObject({ kept: 1, rejected: [] });
    expect(await cc.profiles.get({ identifier: bob })).toBeNull();
    const again = await cc.ingest([{ kind: "identify", identifiers: [bob] }]);
    expect(again.rejected.map((r) => [r.error.code, (r.error.details as { reason?: string }).reason])).toEqual([
      ["refused", "suppressed"],
    ]);
    // Without suppress, a forgotten customer may come back as a new one.
    await cc.ingest([{ kind: "forget", identifier: ann, suppress: false }]);
    expect((await cc.ingest([{ kind: "identify", identifiers: [ann] }])).rejected).toEqual([]);
  });

  it("rejects a non-boolean suppress, and writes nothing", async () => {
    const cc = await seeded();
    const summary = await cc.ingest([{ kind: "forget", identifier: bob, suppress: "yes" }]);
    expect(rejection(summary)).toEqual([[0, "invalid_input", ["suppress"]]]);
    const neither = await cc.ingest([{ kind: "forget", suppress: true }]);
    expect(rejection(neither)).toEqual([[0, "invalid_input", []]]);
    expect(await cc.profiles.get({ identifier: bob })).not.toBeNull();
  });
});
