/**
 * Issue 10: `ingest --batch-size <n>` sets the rows per transaction; the result does not depend
 * on it, and a value that is not a whole number of at least 1 is a usage error that writes nothing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ingest as ingestRows, type RejectedRow } from "../../src/cli/ingest.js";
import { runCli } from "../../src/cli/program.js";
import { createCustomerContext } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "customer-context-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = Array.from({ length: 7 }, (_, i) => [
  { kind: "identify", identifiers: [{ type: "email", value: `c${i % 3}@klient.pl` }], at: "2026-04-01T09:00:00Z" },
  {
    kind: "record",
    channel: "email",
    direction: "inbound",
    at: `2026-04-01T1${i}:00:00Z`,
    customer: [{ type: "email", value: `c${i % 3}@klient.pl` }],
    externalId: `m${i}`,
  },
]).flat();
writeFileSync(join(dir, "rows.ndjson"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);

async function ingest(db: string, ...extra: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } };
  const args = ["--db", join(dir, db), "ingest", join(dir, "rows.ndjson"), "--no-progress", "--json", ...extra];
  const status = await runCli(["node", "customer-context", ...args], io as never);
  return { status, out: out.join(""), err: err.join("") };
}

describe("ingest --batch-size", () => {
  it("gives the same summary with batches of 3 rows as with the default", async () => {
    const small = await ingest("small.sqlite", "--batch-size", "3");
    const whole = await ingest("whole.sqlite");
    expect(small.status).toBe(0);
    expect(whole.status).toBe(0);
    const { ms: _a, ...a } = JSON.parse(small.out) as Record<string, unknown>;
    const { ms: _b, ...b } = JSON.parse(whole.out) as Record<string, unknown>;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ read: 14, kept: 14, rejected: 0, profiles: 3, conversations: 3 });
  });

  it.each(["0", "-1", "2.5", "many"])("refuses --batch-size %s and writes nothing", async (value) => {
    const run = await ingest(`bad-${value}.sqlite`, "--batch-size", value);
    expect(run.status).toBe(2);
    expect(run.err).toMatch(/--batch-size/);
    expect(existsSync(join(dir, `bad-${value}.sqlite`))).toBe(false);
  });

  it("reports rejects in line order whatever the batch size, unreadable and refused rows alike", async () => {
    const lines = rows.map((r) => JSON.stringify(r));
    lines.splice(3, 0, "{not json");
    lines.splice(8, 0, JSON.stringify({ kind: "record", channel: "email" }));
    lines.splice(11, 0, "[1]");
    const text = `${lines.join("\n")}\n`;
    for (const batchSize of [1, 2, 3, 5000]) {
      const cc = createCustomerContext();
      const rejected: RejectedRow[] = [];
      const summary = await ingestRows(
        (async function* () {
          yield text;
        })(),
        cc,
        { batchSize, onReject: (r) => rejected.push(r) },
      );
      expect(rejected.map((r) => r.line)).toEqual([4, 9, 12]);
      expect(summary).toMatchObject({ read: 17, kept: 14, rejected: 3 });
      await cc.close();
    }
  });
});
