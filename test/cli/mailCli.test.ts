/**
 * Issue 13, item 7: `customer-context ingest --mbox FILE` and `--eml DIR`, end to end in a child
 * process: positions of rejected messages, the rejects file (an mbox) or folder, usage errors that
 * write nothing, and a second run that changes nothing.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "./_runCli.js";

const FIXTURE = join(import.meta.dirname, "fixtures/support.mbox");
const dir = mkdtempSync(join(tmpdir(), "customer-context-mail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliRunner(dir);

describe("customer-context ingest --mbox / --eml", () => {
  it("--mbox keeps the good messages, reports the bad one by number and line, writes it to an mbox of rejects, and a re-run changes nothing", async () => {
    copyFileSync(FIXTURE, join(dir, "support.mbox"));
    const run = await cli(
      "--db",
      "mail.sqlite",
      "ingest",
      "--mbox",
      "support.mbox",
      "--own-domain",
      "shop.pl",
      "--rejects",
      "bad.mbox",
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("message 5 (line 58): no sender: the From header has no address");
    expect(run.stdout).toMatch(/Read 6 messages/);
    expect(run.stdout).toMatch(/kept\s+5\s+record 5/);
    const mbox = readFileSync(FIXTURE, "utf8");
    const start = mbox.indexOf("From nobody");
    expect(readFileSync(join(dir, "bad.mbox"), "utf8")).toBe(mbox.slice(start, mbox.indexOf("From piotr@", start)));

    const context = await cli("--db", "mail.sqlite", "context", "email:anna@klient.pl", "--json");
    const view = JSON.parse(context.stdout) as { conversations: Array<{ interactionIds: string[] }> };
    expect(view.conversations.map((c) => c.interactionIds.length)).toEqual([3]);
    expect((await cli("--db", "mail.sqlite", "context", "email:support@shop.pl")).status).toBe(1);

    const again = await cli(
      "--db",
      "mail.sqlite",
      "ingest",
      "--mbox",
      "support.mbox",
      "--own-domain",
      "shop.pl",
      "--json",
    );
    expect(JSON.parse(again.stdout)).toMatchObject({
      read: 6,
      kept: 5,
      duplicates: 5,
      merges: 0,
      rejects: [{ line: 58, message: 5, error: { code: "parse" } }],
    });
    expect((await cli("--db", "mail.sqlite", "context", "email:anna@klient.pl", "--json")).stdout).toBe(context.stdout);
  }, 120_000);

  it("--eml reads a directory's .eml files in name order, copies a rejected file to the rejects folder, and names it", async () => {
    const mail = join(dir, "mail");
    mkdirSync(mail);
    const messages = readFileSync(FIXTURE, "utf8").split(/\n(?=From \S+ \w{3} \w{3} )/);
    messages.forEach((m, i) => {
      writeFileSync(join(mail, `${String(i + 1).padStart(2, "0")}.eml`), m.slice(m.indexOf("\n") + 1));
    });
    writeFileSync(join(mail, "notes.txt"), "not mail");
    const run = await cli(
      "--db",
      "eml.sqlite",
      "ingest",
      "--eml",
      "mail",
      "--mailbox",
      "support@shop.pl",
      "--rejects",
      "bad-mail",
      "--json",
    );
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.stdout) as { read: number; kept: number; rejects: Array<{ file: string }> };
    expect(summary).toMatchObject({
      read: 6,
      kept: 5,
      rejects: [{ message: 5, file: "05.eml", error: { code: "parse" } }],
    });
    expect(readdirSync(join(dir, "bad-mail"))).toEqual(["05.eml"]);
    const anna = JSON.parse((await cli("--db", "eml.sqlite", "context", "email:anna@klient.pl", "--json")).stdout) as {
      timeline: Array<{ direction: string }>;
    };
    expect(anna.timeline.map((i) => i.direction)).toEqual(["inbound", "outbound", "inbound"]);
  }, 120_000);

  it("usage errors exit 2 and write nothing: two inputs, no input, a bad --mailbox, a file that is not an mbox", async () => {
    writeFileSync(join(dir, "x.ndjson"), "");
    const runs = await Promise.all([
      cli("--db", "u1.sqlite", "ingest", "x.ndjson", "--mbox", "support.mbox"),
      cli("--db", "u2.sqlite", "ingest"),
      cli("--db", "u3.sqlite", "ingest", "--mbox", "support.mbox", "--mailbox", "support"),
      cli("--db", "u4.sqlite", "ingest", "--eml", "no-such-dir"),
    ]);
    expect(runs.map((r) => r.status)).toEqual([2, 2, 2, 2]);
    expect(runs[0]?.stderr).toMatch(/exactly one input/);
    expect(runs[2]?.stderr).toMatch(/--mailbox "support" is not an address/);
    for (const db of ["u1", "u2", "u3", "u4"]) expect(existsSync(join(dir, `${db}.sqlite`))).toBe(false);
    // --rejects naming the input would truncate the mailbox being read: refused, the mailbox intact.
    const self = await cli("--db", "u6.sqlite", "ingest", "--mbox", "support.mbox", "--rejects", "support.mbox");
    expect(self.status).toBe(2);
    expect(self.stderr).toMatch(/--rejects must not name the input/);
    expect(readFileSync(join(dir, "support.mbox"), "utf8")).toBe(readFileSync(FIXTURE, "utf8"));
    writeFileSync(join(dir, "one.eml"), "From: a@x.pl\nDate: Sat, 4 Apr 2026 12:00:00 +0200\n\nhi\n");
    const notMbox = await cli("--db", "u5.sqlite", "ingest", "--mbox", "one.eml");
    expect(notMbox.status).toBe(2);
    expect(notMbox.stderr).toMatch(/not an mbox/);
  }, 120_000);
});
