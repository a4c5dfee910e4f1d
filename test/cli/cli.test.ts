import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner, type Run } from "./_runCli.js";

const dir = mkdtempSync(join(tmpdir(), "customer-context-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliRunner(dir);

const json = (run: Run) => JSON.parse(run.stdout) as unknown;

const rows = [
  { kind: "offer", id: "loan", name: "Personal loan", category: "transactional", terms: { apr: 5.9 } },
  {
    kind: "identify",
    identifiers: [{ type: "email", value: "jan@kowalski.pl" }],
    traits: { name: "Jan Kowalski" },
    at: "2026-04-01T09:00:00Z",
  },
  {
    kind: "record",
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:05:00Z",
    customer: [{ type: "email", value: "jan@kowalski.pl" }],
    externalId: "form-1",
    subject: "Loan application LN-1001",
  },
  "",
  // Line 5: a time without an offset. Line 6: the phone's own profile, merged by the identify on line 7.
  {
    kind: "record",
    channel: "phone",
    direction: "inbound",
    at: "2026-04-02 10:00",
    customer: [{ type: "phone", value: "+48601234567" }],
  },
  {
    kind: "record",
    channel: "phone",
    direction: "inbound",
    at: "2026-04-02T10:00:00Z",
    customer: [{ type: "phone", value: "+48601234567" }],
    externalId: "call-1",
    caseRef: "LN-1001",
  },
  {
    kind: "identify",
    identifiers: [
      { type: "phone", value: "+48 601 234 567" },
      { type: "email", value: "jan@kowalski.pl" },
    ],
    at: "2026-04-02T10:01:00Z",
  },
  // Line 8: broken JSON.
  '{"kind": "record", "channel": ',
  {
    kind: "present",
    customer: [{ type: "email", value: "jan@kowalski.pl" }],
    offerId: "loan",
    channel: "web",
    at: "2026-04-01T09:04:00Z",
    terms: { apr: 5.9 },
  },
  {
    kind: "present",
    customer: [{ type: "phone", value: "+48601234567" }],
    offerId: "loan",
    channel: "phone",
    at: "2026-04-02T10:03:00Z",
    terms: { apr: 6.9 },
  },
  // Line 11: an unknown kind; line 12: a duplicate delivery of line 7; line 13: no identifier.
  { kind: "purchase", amount: 10 },
  {
    kind: "record",
    channel: "phone",
    direction: "inbound",
    at: "2026-04-02T10:00:00Z",
    customer: [{ type: "phone", value: "+48601234567" }],
    externalId: "call-1",
    caseRef: "LN-1001",
  },
  { kind: "identify", identifiers: [] },
  {
    kind: "record",
    channel: "email",
    direction: "outbound",
    at: "2026-04-02T12:00:00Z",
    customer: [{ type: "email", value: "jan@kowalski.pl" }],
    subject: "Your loan LN-1001",
    email: { messageId: "<reply-1@bank.pl>" },
  },
];
const ndjson = `${rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n")}\n`;

describe("customer-context CLI", () => {
  let ingestRun: Run;
  let profileId: string;

  beforeAll(async () => {
    writeFileSync(join(dir, "events.ndjson"), ndjson);
    ingestRun = await cli("ingest", "events.ndjson", "--rejects", "rejected.ndjson");
  });

  it("ingest keeps the good rows, reports each bad one by line with the field, and exits 1", async () => {
    expect(ingestRun.status).toBe(1);
    const reported = ingestRun.stderr.trim().split("\n");
    expect(reported).toEqual([
      expect.stringMatching(/^line 5: Invalid interaction: at: /),
      expect.stringMatching(/^line 8: not valid JSON/),
      expect.stringMatching(/^line 11: Invalid ingest item: kind: must be one of/),
      expect.stringMatching(/^line 13: Invalid observation: identifiers: must name at least one identifier/),
    ]);
    expect(ingestRun.stdout).toMatch(/Read 13 rows/);
    expect(ingestRun.stdout).toMatch(/kept\s+9\b/);
    expect(ingestRun.stdout).toMatch(/rejected\s+4\b/);
    const lines = ndjson.split("\n");
    expect(readFileSync(join(dir, "rejected.ndjson"), "utf8")).toBe(
      `${[lines[4], lines[7], lines[10], lines[12]].join("\n")}\n`,
    );
    // No progress bar when stderr is not a terminal.
    expect(ingestRun.stderr).not.toMatch(/█|░|ETA/);
  });

  it("ingest --json gives the summary and every reject with its line and error details", async () => {
    writeFileSync(join(dir, "again.ndjson"), ndjson);
    const run = await cli("--db", "again.sqlite", "ingest", "again.ndjson", "--json");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
    const summary = json(run) as {
      read: number;
      kept: number;
      rejected: number;
      duplicates: number;
      profiles: number;
      merges: number;
      conversations: number;
      rejects: Array<{ line: number; error: { code: string; details?: Array<{ path: string[] }> } }>;
    };
    expect(summary).toMatchObject({ read: 13, kept: 9, rejected: 4, duplicates: 1, profiles: 1, merges: 1 });
    // The duplicate delivery on line 12 is kept (idempotent) and counted as a duplicate.
    expect(summary.conversations).toBe(1);
    expect(summary.rejects.map((r) => [r.line, r.error.code])).toEqual([
      [5, "invalid_input"],
      [8, "parse"],
      [11, "invalid_input"],
      [13, "invalid_input"],
    ]);
    expect(summary.rejects[0]?.error.details?.[0]?.path).toEqual(["at"]);
  });

  it("ingest exits 0 when every row is kept", async () => {
    writeFileSync(join(dir, "clean.ndjson"), `${JSON.stringify(rows[1])}\n`);
    const run = await cli("--db", "clean.sqlite", "ingest", "clean.ndjson", "--json");
    expect(run.status).toBe(0);
    expect(json(run)).toMatchObject({ read: 1, kept: 1, rejected: 0, profiles: 1, rejects: [] });
  });

  it("ingesting the same file twice changes nothing: every row is a duplicate, no identifier count grows (I9)", async () => {
    const good = rows.filter((r) => typeof r === "object" && r !== null && !("broken" in r));
    writeFileSync(join(dir, "twice.ndjson"), `${good.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const first = await cli("--db", "twice.sqlite", "ingest", "twice.ndjson", "--json");
    const before = await cli("--db", "twice.sqlite", "context", "email:jan@kowalski.pl", "--json");
    const second = await cli("--db", "twice.sqlite", "ingest", "twice.ndjson", "--json");
    const after = await cli("--db", "twice.sqlite", "context", "email:jan@kowalski.pl", "--json");
    const a = json(first) as { kept: number };
    expect(json(second)).toMatchObject({ kept: a.kept, duplicates: a.kept, merges: 0 });
    expect(json(after)).toEqual(json(before));
  }, 120_000);

  it("context --json shows one conversation across web, phone and email, the duplicate counted once", async () => {
    const run = await cli("context", "phone:+48 601 234 567", "--json");
    expect(run.status).toBe(0);
    const view = json(run) as {
      profile: { id: string; traits: Record<string, unknown> };
      conversations: Array<{ channels: string[]; interactionIds: string[] }>;
      identifiers: Array<{ type: string }>;
    };
    profileId = view.profile.id;
    expect(view.profile.traits.name).toBe("Jan Kowalski");
    expect(view.conversations).toHaveLength(1);
    expect(view.conversations[0]?.channels).toEqual(["web", "phone", "email"]);
    expect(view.conversations[0]?.interactionIds).toHaveLength(3);
    expect(view.identifiers.map((i) => i.type).sort()).toEqual(["email", "phone"]);

    const text = await cli("context", profileId, "--svg", "timeline.svg");
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Customer: Jan Kowalski/);
    expect(text.stdout).toMatch(/web → phone → email/);
    expect(XMLValidator.validate(readFileSync(join(dir, "timeline.svg"), "utf8"))).toBe(true);
  });

  it("context of an unknown customer prints null and exits 1", async () => {
    const run = await cli("context", "email:nobody@nowhere.pl", "--json");
    expect(run.status).toBe(1);
    expect(json(run)).toBeNull();
    expect(run.stderr).toMatch(/no customer email:nobody@nowhere.pl/);
  });

  it("explain --json names the observation that linked the phone to the email", async () => {
    profileId = (json(await cli("context", "email:jan@kowalski.pl", "--json")) as { profile: { id: string } }).profile
      .id;
    const run = await cli("explain", "email:jan@kowalski.pl", "--json");
    expect(run.status).toBe(0);
    const explanation = json(run) as {
      profileId: string;
      edges: Array<{ kind: string; from: { type: string }; to: { type: string }; at: string }>;
    };
    expect(explanation.profileId).toBe(profileId);
    expect(explanation.edges).toEqual([
      expect.objectContaining({
        kind: "observation",
        from: { type: "email", value: "jan@kowalski.pl" },
        to: { type: "phone", value: "+48601234567" },
        at: "2026-04-02T10:01:00.000Z",
      }),
    ]);
    const text = await cli("explain", profileId);
    expect(text.stdout).toMatch(/email jan@kowalski\.pl ─ phone \+48601234567/);
  });

  it("audit and context text name the customer and the time of each violation, in a time zone", async () => {
    const text = await cli("audit", "--time-zone", "Europe/Warsaw");
    expect(text.stdout).toMatch(/✖ honour \(error\) · \S+ on phone/);
    expect(text.stdout).toMatch(/· \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Warsaw · Jan Kowalski \(/);
    const context = await cli("context", "email:jan@kowalski.pl", "--time-zone", "Europe/Warsaw");
    expect(context.stdout).toMatch(/Offer violations \(\d+\)/);
    expect(context.stdout).toContain("APR 6.9 on phone differs from 5.9 shown on web on 1 Apr");
    expect((await cli("audit", "--time-zone", "Mars/Base")).status).toBe(2);
  });

  it("audit --json finds the honour violation, within the range only", async () => {
    const all = json(await cli("audit", "--json")) as Array<{ rule: string; message: string }>;
    expect(all.map((v) => v.rule)).toEqual(["parity", "honour"]);
    expect(all.find((v) => v.rule === "honour")?.message).toBe(
      "APR 6.9 on phone differs from 5.9 shown on web on 1 Apr",
    );
    const before = await cli("audit", "--json", "--from", "2026-03-01T00:00:00Z", "--to", "2026-04-02T00:00:00Z");
    expect(json(before)).toEqual([]);
    const bad = await cli("audit", "--json", "--from", "April");
    expect(bad.status).toBe(2);
    expect(json(bad)).toMatchObject({ error: { code: "invalid_input", details: [{ path: ["from"] }] } });
  });

  it("journeys --json measures the conversation and --svg writes a picture", async () => {
    const run = await cli("journeys", "--json", "--svg", "journeys.svg");
    expect(run.status).toBe(0);
    const metrics = json(run) as { conversations: number; transitions: unknown[]; multiChannel: { share: number } };
    expect(metrics.conversations).toBe(1);
    expect(metrics.multiChannel.share).toBe(1);
    expect(metrics.transitions).toEqual([
      { from: "phone", to: "email", count: 1 },
      { from: "web", to: "phone", count: 1 },
    ]);
    expect(XMLValidator.validate(readFileSync(join(dir, "journeys.svg"), "utf8"))).toBe(true);
  });

  it("ingests a CSV with a column mapping; a row without identifiers and a bad date are rejected by line", async () => {
    writeFileSync(
      join(dir, "crm.csv"),
      [
        "ID;E-mail;Phone;Full name;Updated",
        'C-1;ada@lovelace.pl;+48 602 000 111;"Lovelace; Ada";2026-03-01T10:00:00Z',
        ";;;Nobody;2026-03-01T10:00:00Z",
        'C-3;"bob@builder.pl";;"Bob ""the builder""\nBuilder";2026-03-02T10:00:00Z',
        "C-4;cy@x.pl;;Cy;yesterday",
        "",
      ].join("\r\n"),
    );
    const run = await cli(
      "--db",
      "crm.sqlite",
      "ingest",
      "crm.csv",
      "--delimiter",
      ";",
      "--map",
      "crmId=ID",
      "--map",
      "email=E-mail",
      "--map",
      "phone=Phone",
      "--map",
      "trait:name=Full name",
      "--map",
      "at=Updated",
      "--source",
      "crm-export",
      "--rejects",
      "crm-rejects.csv",
      "--json",
    );
    expect(run.status).toBe(1);
    const summary = json(run) as {
      read: number;
      kept: number;
      rejects: Array<{ line: number; error: { code: string } }>;
    };
    expect(summary).toMatchObject({ read: 4, kept: 2 });
    expect(summary.rejects.map((r) => [r.line, r.error.code])).toEqual([
      [3, "mapping"],
      [6, "invalid_input"],
    ]);
    expect(readFileSync(join(dir, "crm-rejects.csv"), "utf8")).toBe(
      "ID;E-mail;Phone;Full name;Updated\n;;;Nobody;2026-03-01T10:00:00Z\nC-4;cy@x.pl;;Cy;yesterday\n",
    );
    const bob = json(await cli("--db", "crm.sqlite", "context", "crmId:C-3", "--json")) as {
      profile: { traits: Record<string, unknown> };
    };
    expect(bob.profile.traits.name).toBe('Bob "the builder"\nBuilder');
  });

  it("a CSV without a mapping is a usage error", async () => {
    writeFileSync(join(dir, "plain.csv"), "a,b\n1,2\n");
    const run = await cli("--db", "plain.sqlite", "ingest", "plain.csv");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--map/);
  });

  it("has --help on every command", async () => {
    const commands = [[], ["ingest"], ["context"], ["explain"], ["audit"], ["journeys"]];
    const runs = await Promise.all(commands.map((command) => cli(...command, "--help")));
    for (const [index, run] of runs.entries()) {
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: customer-context ${commands[index]?.[0] ?? ""}`));
      expect(run.stdout).toMatch(/--help/);
    }
    expect(runs[0]?.stdout).toMatch(/--db <path\.sqlite \| postgres:\/\/…>/);
    expect(runs[1]?.stdout).toMatch(/--rejects <file>/);
    expect(runs[1]?.stdout).toMatch(/--map <target=column>/);
  }, 120_000);

  it("read commands refuse a database that does not exist", async () => {
    const run = await cli("--db", "missing.sqlite", "audit");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/No database at .*missing\.sqlite/);
  });
});
