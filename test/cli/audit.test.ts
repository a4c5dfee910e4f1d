/**
 * Issue 13, item 7: `audit` text names the customer and the time of each violation and groups
 * repeats under one heading; `context` shows that customer's violations and no one else's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "./_runCli.js";

const dir = mkdtempSync(join(tmpdir(), "customer-context-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliRunner(dir, { prefix: ["--db", "audit.sqlite"] });

const names = ["Ada", "Bea", "Cyd", "Dan", "Eva", "Fil", "Gus"];
const rows = [
  { kind: "offer", id: "loan", name: "Personal loan", category: "transactional", terms: { apr: 5.9 } },
  ...names.flatMap((name, i) => [
    {
      kind: "identify",
      identifiers: [{ type: "email", value: `${name.toLowerCase()}@klient.pl` }],
      traits: { name },
      at: "2026-04-01T08:00:00Z",
    },
    {
      kind: "present",
      customer: [{ type: "email", value: `${name.toLowerCase()}@klient.pl` }],
      offerId: "loan",
      channel: "phone",
      at: `2026-04-0${i + 1}T10:00:00Z`,
      terms: { apr: 6.9 },
    },
  ]),
];

describe("audit and context through the CLI", () => {
  beforeAll(async () => {
    writeFileSync(join(dir, "offers.ndjson"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const run = await cli("ingest", "offers.ndjson");
    expect(run.status).toBe(0);
  }, 120_000);

  it("audit groups the seven repeats under one heading, each occurrence with its time and customer, and counts the rest", async () => {
    const run = await cli("audit", "--time-zone", "Europe/Warsaw");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    const headings = lines.filter((line) => /^✖ parity/.test(line));
    expect(headings).toEqual(["✖ parity (error) · loan on phone — 7 times, 7 customers"]);
    const occurrences = lines.filter((line) => /^ {2}· /.test(line));
    expect(occurrences).toHaveLength(5);
    // Shown in the requested zone: 10:00 UTC on 1 April is 12:00 in Warsaw.
    expect(occurrences[0]).toMatch(/^ {2}· 2026-04-01 12:00 Europe\/Warsaw · Ada \(prof_\w+\)/);
    expect(run.stdout).toMatch(/… and 2 more/);
    expect(run.stdout).toMatch(/\n7 violations\.\n?$/);
  }, 120_000);

  it("context shows the customer's own violation only", async () => {
    const run = await cli("context", "email:cyd@klient.pl");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Offer violations \(1\)/);
    expect(run.stdout).toMatch(/2026-04-03 10:00 UTC/);
    expect(run.stdout).not.toMatch(/2026-04-01 10:00 UTC/);
  }, 120_000);
});
