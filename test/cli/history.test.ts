/**
 * Issue 13, item 7: a helpdesk's whole history through the CLI. `resolve` rows (naming the
 * conversation by any interaction in it, as an export knows it) make repeat-contact
 * and switches-per-resolved real figures instead of "—"; `merge`, `unmerge` and `forget` rows
 * work end to end, and re-running a file changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ingest, type RejectedRow } from "../../src/cli/ingest.js";
import { createCustomerContext } from "../../src/index.js";
import { cliRunner } from "./_runCli.js";

const dir = mkdtempSync(join(tmpdir(), "customer-context-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliRunner(dir, { prefix: ["--db", "helpdesk.sqlite"] });

const ndjson = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

const ann = [{ type: "email", value: "ann@klient.pl" }];
const bob = [{ type: "email", value: "bob@klient.pl" }];
const record = (channel: string, direction: string, at: string, customer: unknown, more: object) => ({
  kind: "record",
  channel,
  direction,
  at,
  customer,
  ...more,
});
const history = [
  // Ticket 1: Ann writes, the agent answers, Ann calls; resolved. Three days later she is back on chat.
  record("email", "inbound", "2026-04-01T09:00:00Z", ann, { externalId: "T1-1", subject: "Card blocked" }),
  record("email", "outbound", "2026-04-01T10:00:00Z", ann, { externalId: "T1-2", subject: "Re: Card blocked" }),
  record("phone", "inbound", "2026-04-01T15:00:00Z", ann, { externalId: "C-9", subject: "Card blocked" }),
  { kind: "resolve", interaction: { channel: "email", externalId: "T1-1" }, at: "2026-04-01T16:00:00Z" },
  record("chat", "inbound", "2026-04-04T08:00:00Z", ann, { externalId: "K-1", subject: "Card blocked again" }),
  record("chat", "outbound", "2026-04-04T08:05:00Z", ann, { externalId: "K-2", subject: "Card blocked again" }),
  { kind: "resolve", interaction: { channel: "chat", externalId: "K-1" }, at: "2026-04-04T09:00:00Z" },
  // Ticket 3: Bob by email only (Message-IDs), resolved by naming the first message.
  record("email", "inbound", "2026-04-02T09:00:00Z", bob, { email: { messageId: "<b1@klient.pl>" }, subject: "Fees" }),
  record("email", "outbound", "2026-04-02T11:00:00Z", bob, {
    email: { messageId: "<r1@bank.pl>", inReplyTo: "<b1@klient.pl>" },
    subject: "Re: Fees",
  }),
  { kind: "resolve", interaction: { messageId: "<b1@klient.pl>" }, at: "2026-04-02T12:00:00Z" },
  // Line 11: a malformed reference; line 12: an interaction that was never recorded.
  { kind: "resolve", interaction: { channel: "email" } },
  { kind: "resolve", interaction: { channel: "email", externalId: "T9-9" } },
  // The phone profile of Bob, merged below by an operator.
  { kind: "identify", identifiers: [{ type: "phone", value: "+48601234567" }], at: "2026-04-02T13:00:00Z" },
];

describe("a helpdesk history through the CLI", () => {
  it("resolve rows close conversations, so repeat-contact and switches-per-resolved are figures, not —", async () => {
    writeFileSync(join(dir, "history.ndjson"), ndjson(history));
    const run = await cli("ingest", "history.ndjson", "--json");
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.stdout) as {
      kept: number;
      byKind: Record<string, number>;
      rejects: Array<{ line: number; error: { code: string; message: string; details?: Array<{ path: unknown[] }> } }>;
    };
    expect(summary.byKind).toEqual({ record: 7, resolve: 3, identify: 1 });
    expect(summary.rejects.map((r) => [r.line, r.error.code])).toEqual([
      [11, "invalid_input"],
      [12, "not_found"],
    ]);
    expect(summary.rejects[0]?.error.details?.[0]?.path).toEqual(["interaction", "externalId"]);
    expect(summary.rejects[1]?.error.message).toMatch(/no such interaction is recorded/);

    const view = JSON.parse((await cli("context", "email:ann@klient.pl", "--json")).stdout) as {
      conversations: Array<{ status: string; channels: string[] }>;
    };
    expect(view.conversations.map((c) => [c.status, c.channels])).toEqual([
      ["resolved", ["email", "phone"]],
      ["resolved", ["chat"]],
    ]);

    const metrics = JSON.parse((await cli("journeys", "--json")).stdout) as {
      repeatContact: { resolved: number; repeated: number; rate: number | null };
      switchesPerResolved: { mean: number | null };
    };
    expect(metrics.repeatContact).toMatchObject({ resolved: 3, rate: 1 / 3 });
    expect(metrics.switchesPerResolved.mean).toBeCloseTo(1 / 3);
    const text = (await cli("journeys")).stdout;
    expect(text).toMatch(/Repeat-contact rate\s+33(\.3)?% of 3 resolved/);
    expect(text).toMatch(/Switches per resolved conv\.\s+0\.33/);
    expect(text).not.toMatch(/(Repeat-contact rate|Switches per resolved conv\.)\s+—/);
  }, 120_000);

  it("re-running the history changes nothing", async () => {
    const before = (await cli("journeys", "--json")).stdout;
    const again = JSON.parse((await cli("ingest", "history.ndjson", "--json")).stdout) as {
      kept: number;
      duplicates: number;
      merges: number;
    };
    expect(again).toMatchObject({ kept: 11, duplicates: 11, merges: 0 });
    expect((await cli("journeys", "--json")).stdout).toBe(before);
  }, 120_000);

  it("merge, unmerge and forget rows work end to end", async () => {
    const id = async (ref: string) =>
      (JSON.parse((await cli("context", ref, "--json")).stdout) as { profile: { id: string } }).profile.id;
    const [bobId, phoneId] = [await id("email:bob@klient.pl"), await id("phone:+48601234567")];
    writeFileSync(
      join(dir, "decisions.ndjson"),
      ndjson([
        { kind: "merge", a: bobId, b: phoneId, reason: "same caller, verified", at: "2026-04-05T10:00:00Z" },
        { kind: "forget", identifier: ann[0] },
      ]),
    );
    const merged = JSON.parse((await cli("ingest", "decisions.ndjson", "--json")).stdout) as { byKind: object };
    expect(merged.byKind).toEqual({ merge: 1, forget: 1 });
    const bobView = JSON.parse((await cli("context", "phone:+48601234567", "--json")).stdout) as {
      identifiers: Array<{ type: string }>;
    };
    expect(bobView.identifiers.map((i) => i.type).sort()).toEqual(["email", "phone"]);
    expect((await cli("context", "email:ann@klient.pl")).status).toBe(1);

    writeFileSync(
      join(dir, "split.ndjson"),
      ndjson([
        {
          kind: "unmerge",
          profileId: bobId,
          identifier: { type: "phone", value: "+48601234567" },
          reason: "wrong caller",
          at: "2026-04-06T10:00:00Z",
        },
      ]),
    );
    expect((await cli("ingest", "split.ndjson")).status).toBe(0);
    const after = JSON.parse((await cli("context", "email:bob@klient.pl", "--json")).stdout) as {
      identifiers: Array<{ type: string }>;
    };
    expect(after.identifiers.map((i) => i.type)).toEqual(["email"]);
  }, 120_000);
});

describe("resolve rows that name an interaction", () => {
  it("reject a malformed reference with invalid_input naming the field, and write nothing", async () => {
    const cc = createCustomerContext();
    const first = record("email", "inbound", "2026-04-01T09:00:00Z", ann, { externalId: "T1-1", subject: "Card" });
    await ingest(
      (async function* () {
        yield ndjson([first]);
      })(),
      cc,
    );
    const before = await cc.context({ identifier: ann[0] as { type: string; value: string } });
    const bad = [
      { kind: "resolve", interaction: "T1-1" },
      { kind: "resolve", interaction: { externalId: "T1-1" } },
      { kind: "resolve", interaction: { channel: "email", externalId: "" } },
      { kind: "resolve", interaction: { messageId: "no-at-sign" } },
      { kind: "resolve", interaction: { channel: "email", externalId: "T1-1", messageId: "<a@b>" } },
      { kind: "resolve", conversationId: "conv_x", interaction: { channel: "email", externalId: "T1-1" } },
    ];
    const rejects: RejectedRow[] = [];
    const summary = await ingest(
      (async function* () {
        yield ndjson(bad);
      })(),
      cc,
      { onReject: (r) => rejects.push(r) },
    );
    expect(summary).toMatchObject({ read: 6, kept: 0, rejected: 6 });
    expect(
      rejects.map((r) => [r.line, r.error.code, (r.error.details as Array<{ path: unknown[] }>)[0]?.path]),
    ).toEqual([
      [1, "invalid_input", ["interaction"]],
      [2, "invalid_input", ["interaction", "channel"]],
      [3, "invalid_input", ["interaction", "externalId"]],
      [4, "invalid_input", ["interaction", "messageId"]],
      [5, "invalid_input", ["interaction"]],
      [6, "invalid_input", ["interaction"]],
    ]);
    expect(await cc.context({ identifier: ann[0] as { type: string; value: string } })).toEqual(before);
    expect((await cc.conversations.list({ identifier: ann[0] as { type: string; value: string } }))[0]?.status).toBe(
      "open",
    );
  });
});

describe("operator rows as an export knows them", () => {
  const rows = (items: unknown[]) =>
    (async function* () {
      yield ndjson(items);
    })();

  it("resolve by a later interaction, merge and unmerge by identifier, forget with suppress", async () => {
    const cc = createCustomerContext();
    const phone = { type: "phone", value: "+48601234567" };
    const rejects: RejectedRow[] = [];
    const summary = await ingest(
      rows([
        record("email", "inbound", "2026-04-01T09:00:00Z", ann, { externalId: "T1-1", subject: "Card" }),
        record("email", "outbound", "2026-04-01T10:00:00Z", ann, { externalId: "T1-2", subject: "Re: Card" }),
        { kind: "resolve", interaction: { channel: "email", externalId: "T1-2" }, at: "2026-04-01T16:00:00Z" },
        { kind: "identify", identifiers: [phone], at: "2026-04-02T09:00:00Z" },
        { kind: "merge", a: { identifier: ann[0] }, b: { identifier: phone }, reason: "verified" },
        { kind: "unmerge", identifier: phone, reason: "wrong caller", at: "2026-04-03T09:00:00Z" },
        { kind: "forget", identifier: bob[0], suppress: "yes" },
        { kind: "identify", identifiers: bob, at: "2026-04-02T09:00:00Z" },
        { kind: "forget", identifier: bob[0], suppress: true },
        { kind: "identify", identifiers: bob, at: "2026-04-04T09:00:00Z" },
      ]),
      cc,
      { onReject: (r) => rejects.push(r) },
    );
    expect(summary).toMatchObject({ read: 10, kept: 8 });
    expect(rejects.map((r) => [r.line, r.error.code])).toEqual([
      [7, "invalid_input"],
      [10, "refused"],
    ]);
    const ref = { identifier: ann[0] as { type: string; value: string } };
    expect((await cc.conversations.list(ref))[0]?.status).toBe("resolved");
    expect((await cc.profiles.get(ref))?.identifiers.map((i) => i.type)).toEqual(["email"]);
    expect(await cc.profiles.decisions(ref)).toHaveLength(2);
    expect(await cc.profiles.get({ identifier: bob[0] as { type: string; value: string } })).toBeNull();
  });
});
