/**
 * The `customer-context` command line: commander definitions and the command handlers.
 *
 * @module
 */
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  type WriteStream,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import cliProgress from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { CountryCode } from "libphonenumber-js";
import packageJson from "../../package.json" with { type: "json" };
import { type CustomerContext, createCustomerContext } from "../context.js";
import { isCustomerContextError } from "../errors.js";
import { renderJourneySvg } from "../journeys/renderJourneySvg.js";
import { renderTimelineSvg } from "../journeys/renderTimelineSvg.js";
import { formatContext, formatExplanation, formatJourneyMetrics, formatViolations } from "./format.js";
import {
  type IngestSummary,
  ingest,
  ingestEml,
  ingestMbox,
  NDJSON_KINDS,
  parseCsvMappings,
  type RejectedRow,
  ROW_BATCH,
} from "./ingest.js";
import { DEFAULT_DB, openStorage } from "./storage.js";

/** Where the CLI writes; the process's streams by default. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

interface GlobalOptions {
  db: string;
  json?: boolean;
  region?: string;
}

/** Exit statuses: 0 ok, 1 some rows rejected or the customer is unknown, 2 usage or fatal error. */
export const EXIT = { ok: 0, rejected: 1, notFound: 1, error: 2 } as const;

/**
 * Runs the CLI with `argv` (as in `process.argv`: node, script, then arguments) and returns the exit
 * status instead of exiting, so it can be called from tests and scripts.
 *
 * @param argv - the full argument vector
 * @param io - output streams (default: the process's)
 * @returns the exit status
 *
 * @example
 * ```ts
 * const status = await runCli(["node", "customer-context", "audit", "--json"]);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = process): Promise<number> {
  let status: number = EXIT.ok;
  const program = createProgram(io, (code) => {
    status = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.error;
    const json = argv.includes("--json");
    if (json && isCustomerContextError(error)) {
      io.stdout.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
    } else {
      io.stderr.write(`customer-context: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return EXIT.error;
  }
  return status;
}

/**
 * Builds the commander program. Command handlers report their exit status through `setStatus`.
 *
 * @param io - output streams
 * @param setStatus - receives the exit status of the command that ran
 * @returns the program, ready for `parseAsync`
 *
 * @example
 * ```ts
 * const program = createProgram(process, (code) => { process.exitCode = code; });
 * await program.parseAsync(process.argv);
 * ```
 */
export function createProgram(io: CliIo, setStatus: (code: number) => void): Command {
  const program = new Command("customer-context")
    .description("One view of a customer across every channel: ingest, look up, explain, audit, measure journeys.")
    .version(packageJson.version, "-V, --version", "print the version of customer-context")
    .addOption(
      new Option("--db <path.sqlite | postgres://…>", "storage: a SQLite file or a PostgreSQL URL")
        .env("CUSTOMER_CONTEXT_DB")
        .default(DEFAULT_DB),
    )
    .option("--json", "machine-readable JSON on stdout")
    .option("--region <code>", "default region for phone numbers without a country code, e.g. PL")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      "after",
      `
Examples:
  $ customer-context ingest events.ndjson --rejects bad.ndjson
  $ customer-context ingest crm.csv --map email=E-mail --map phone=Phone --map trait:name=Name
  $ customer-context context phone:+48601234567
  $ customer-context --db postgres://app@db/crm audit --from 2026-04-01T00:00:00Z --json`,
    );

  const open = async (command: Command, mustExist: boolean): Promise<{ cc: CustomerContext; g: GlobalOptions }> => {
    const g = command.optsWithGlobals<GlobalOptions>();
    const storage = await openStorage(g.db, { mustExist });
    const cc = createCustomerContext({
      storage,
      ...(g.region !== undefined ? { identity: { defaultRegion: g.region as CountryCode } } : {}),
    });
    return { cc, g };
  };
  const print = (text: string) => io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  const printJson = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  program
    .command("ingest")
    .description("ingest an NDJSON file of rows, a CSV of contacts with a column mapping, or mail (mbox, .eml)")
    .argument("[file]", "the NDJSON or CSV file to read; - for standard input")
    .option("--mbox <file>", "read mail from an mbox file: every message becomes an email interaction")
    .option("--eml <dir>", "read mail from the .eml files of a directory, in name order")
    .option(
      "--mailbox <address>",
      "mail: one of the company's own addresses, e.g. support@shop.pl (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--own-domain <domain>",
      "mail: a domain whose every address is the company's own, e.g. shop.pl (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option("--format <format>", "input format (default: csv for *.csv, otherwise ndjson)").choices([
        "ndjson",
        "csv",
      ]),
    )
    .option(
      "--map <target=column>",
      "CSV: map a column to an identifier type, trait:<name> or at (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--delimiter <char>", "CSV: field separator", ",")
    .option("--source <name>", "CSV: source of the observations, e.g. crm-export")
    .option("--channel <name>", "CSV: channel of the observations")
    .option("--rejects <file>", "write the rejected rows to this file (CSV: with the header)")
    .option(
      "--batch-size <n>",
      `rows (messages) per transaction (default: ${ROW_BATCH} rows, 200 messages)`,
      parseBatchSize,
    )
    .option("--no-progress", "never show the progress bar")
    .addHelpText(
      "after",
      `
NDJSON rows are {"kind": ${NDJSON_KINDS.map((k) => `"${k}"`).join(" | ")}, ...input}, one per line,
with the input of cc.identify, cc.record, cc.consent, cc.offers.define, cc.offers.present, or an
operator decision. A resolve row may name its conversation by the interaction that started it:
{"kind":"resolve","interaction":{"channel":"email","externalId":"T-1"},"at":"…"} (or {"messageId":"<…>"}).
A CSV row becomes one cc.identify: empty cells are skipped.
A mail message becomes one email cc.record: a sender who is not --mailbox/--own-domain is the
customer (inbound); a message from an own address is outbound, to the customer in To (or Cc).

Every bad row (message) is reported with its line number (message number, file) and the error;
good rows are kept.
Exit status: 0 when every row was kept, 1 when some were rejected, 2 on a usage error.

Examples:
  $ customer-context ingest events.ndjson --rejects rejected.ndjson
  $ customer-context ingest crm.csv --map crmId=ID --map email=E-mail --map phone=Phone \\
      --map trait:name="Full name" --map at=Updated --source crm-export --region PL
  $ customer-context ingest --mbox support.mbox --own-domain shop.pl --rejects bad.mbox
  $ customer-context ingest --eml exported/ --mailbox help@shop.pl --rejects bad-mail/`,
    )
    .action(async (file: string | undefined, options: IngestCommandOptions, command: Command) => {
      const sources = [file, options.mbox, options.eml].filter((s) => s !== undefined);
      if (sources.length !== 1) {
        throw new Error("ingest needs exactly one input: a <file>, --mbox <file> or --eml <dir>");
      }
      if (file === undefined) setStatus(await runMailIngest(options, command));
      else setStatus(await runIngest(file, options, command));
    });

  async function runMailIngest(options: IngestCommandOptions, command: Command): Promise<number> {
    const own = { mailboxes: options.mailbox, domains: options.ownDomain };
    for (const address of options.mailbox) {
      if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new Error(`--mailbox ${JSON.stringify(address)} is not an address`);
    }
    for (const domain of options.ownDomain) {
      if (!/^@?[^\s@]+\.[^\s@]+$/.test(domain))
        throw new Error(`--own-domain ${JSON.stringify(domain)} is not a domain`);
    }
    const mbox = options.mbox !== undefined ? resolve(options.mbox) : undefined;
    const dir = options.eml !== undefined ? resolve(options.eml) : undefined;
    // Read the input's listing before anything is written, so a wrong path writes nothing.
    const names =
      dir === undefined
        ? []
        : readdirSync(dir, { withFileTypes: true })
            .filter((entry) => entry.isFile() && /\.eml$/i.test(entry.name))
            .map((entry) => entry.name)
            .sort();
    const size =
      mbox !== undefined
        ? statSync(mbox).size
        : names.reduce((n, name) => n + statSync(join(dir as string, name)).size, 0);
    const rejectsPath = options.rejects !== undefined ? resolve(options.rejects) : undefined;
    if (rejectsPath !== undefined && (rejectsPath === mbox || rejectsPath === dir)) {
      throw new Error("--rejects must not name the input itself");
    }
    const { cc, g } = await open(command, false);
    if (rejectsPath !== undefined && dir !== undefined) mkdirSync(rejectsPath, { recursive: true });
    const rejectsFd = rejectsPath !== undefined && mbox !== undefined ? openSync(rejectsPath, "w") : undefined;
    const mboxFd = rejectsFd !== undefined && mbox !== undefined ? openSync(mbox, "r") : undefined;
    const rejected: RejectedRow[] = [];
    let bytes = 0;
    const { bar, bars, report } = progressBar(options, size);
    if (!g.json && own.mailboxes.length === 0 && own.domains.length === 0) {
      report("note: no --mailbox or --own-domain: every message counts as inbound from its sender");
    }
    const mailOptions = {
      ...own,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      onProgress: ({ rows }: { rows: number }) => bar?.update(bytes, { rows, rejected: rejected.length }),
      onReject: (row: RejectedRow) => {
        rejected.push(row);
        if (mboxFd !== undefined && rejectsFd !== undefined && row.bytes !== undefined) {
          // The message exactly as the mbox holds it, separator and quoting included.
          const copy = Buffer.alloc(row.bytes.length);
          readSync(mboxFd, copy, 0, copy.length, row.bytes.offset);
          writeSync(rejectsFd, copy);
          if (copy.length > 0 && copy[copy.length - 1] !== 10) writeSync(rejectsFd, "\n");
          if (copy.length < 2 || copy[copy.length - 2] !== 10) writeSync(rejectsFd, "\n");
        }
        if (dir !== undefined && rejectsPath !== undefined && row.file !== undefined) {
          copyFileSync(join(dir, row.file), join(rejectsPath, row.file));
        }
        if (!g.json) report(`${mailPosition(row)}: ${row.error.message}`);
      },
    };
    let summary: IngestSummary;
    try {
      if (mbox !== undefined) {
        const stream = createReadStream(mbox);
        const counted = (async function* () {
          for await (const chunk of stream as AsyncIterable<Uint8Array>) {
            bytes += chunk.length;
            yield chunk;
          }
        })();
        summary = await ingestMbox(counted, cc, mailOptions);
      } else {
        const files = names.map((name) => ({
          name,
          size: statSync(join(dir as string, name)).size,
          read: () => {
            const content = readFileSync(join(dir as string, name));
            bytes += content.length;
            return content;
          },
        }));
        summary = await ingestEml(files, cc, mailOptions);
      }
      bar?.update(size, { rows: summary.read, rejected: rejected.length });
    } finally {
      bars?.stop();
      if (mboxFd !== undefined) closeSync(mboxFd);
      if (rejectsFd !== undefined) closeSync(rejectsFd);
      await cc.close();
    }
    if (g.json) {
      printJson({
        ...summary,
        ...(rejectsPath !== undefined ? { rejectsFile: rejectsPath } : {}),
        rejects: rejected.map(({ raw: _raw, ...rest }) => rest),
      });
    } else {
      print(formatSummary(summary, rejectsPath, "messages"));
    }
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  }

  function progressBar(options: IngestCommandOptions, size: number | undefined) {
    const showBar = options.progress !== false && io.stderr.isTTY === true && size !== undefined && size > 0;
    const bars = showBar
      ? new cliProgress.MultiBar(
          {
            stream: io.stderr as NodeJS.WritableStream,
            format: " {bar} {percentage}% | {rows} rows | {rejected} rejected | ETA {eta_formatted}",
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    const bar = bars?.create(size ?? 0, 0, { rows: 0, rejected: 0 });
    const report = (line: string) => (bars ? bars.log(`${line}\n`) : io.stderr.write(`${line}\n`));
    return { bars, bar, report };
  }

  async function runIngest(file: string, options: IngestCommandOptions, command: Command): Promise<number> {
    const format = options.format ?? (/\.csv$/i.test(file) ? "csv" : "ndjson");
    const map = parseCsvMappings(options.map);
    if (format === "csv" && map.length === 0) {
      throw new Error("A CSV needs a column mapping: --map <type>=<column>, e.g. --map email=E-mail");
    }
    const path = file === "-" ? undefined : resolve(file);
    const size = path === undefined ? undefined : statSync(path).size;
    const { cc, g } = await open(command, false);
    const rejects: WriteStream | undefined =
      options.rejects !== undefined ? createWriteStream(resolve(options.rejects)) : undefined;
    const rejected: RejectedRow[] = [];
    let bytes = 0;
    const { bar, bars, report } = progressBar(options, size);
    let summary: IngestSummary;
    try {
      const stream = path === undefined ? process.stdin : createReadStream(path);
      const counted = (async function* () {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          yield chunk;
        }
      })();
      summary = await ingest(counted, cc, {
        format,
        // A row's idempotency key is the file's name plus the row's content: re-running changes nothing.
        sourceName: path === undefined ? "stdin" : basename(path),
        map,
        delimiter: options.delimiter,
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.channel !== undefined ? { channel: options.channel } : {}),
        onHeader: (raw) => rejects?.write(`${raw}\n`),
        onProgress: ({ rows }) => bar?.update(bytes, { rows, rejected: rejected.length }),
        onReject: (row) => {
          rejected.push(row);
          rejects?.write(`${row.raw}\n`);
          if (!g.json) report(`line ${row.line}: ${row.error.message}`);
        },
      });
      bar?.update(size ?? bytes, { rows: summary.read, rejected: rejected.length });
    } finally {
      bars?.stop();
      await new Promise<void>((done) => (rejects ? rejects.end(done) : done()));
      await cc.close();
    }
    if (g.json) {
      printJson({
        ...summary,
        ...(options.rejects !== undefined ? { rejectsFile: resolve(options.rejects) } : {}),
        rejects: rejected.map(({ line, error }) => ({ line, error })),
      });
    } else {
      print(formatSummary(summary, options.rejects !== undefined ? resolve(options.rejects) : undefined));
    }
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  }

  program
    .command("context")
    .description("what an agent sees: profile, identifiers, conversations, timeline, offers, alerts")
    .argument("<customer>", "type:value of an identifier (email:jan@x.pl, phone:+48601234567) or a profile id")
    .option("--svg <file>", "also write the customer's timeline as an SVG picture")
    .option("--width <columns>", "text width", "80")
    .option("--time-zone <zone>", "IANA time zone for times and days (Europe/Warsaw)", "UTC")
    .action(async (customer: string, options: { svg?: string; width: string; timeZone: string }, command: Command) => {
      const { cc, g } = await open(command, true);
      try {
        const view = await cc.context(parseCustomer(customer));
        if (view === null) {
          if (g.json) printJson(null);
          io.stderr.write(`customer-context: no customer ${customer}\n`);
          setStatus(EXIT.notFound);
          return;
        }
        // The customer's violations, as the demo shows them: their presentations re-checked (only
        // theirs, so the cost is that of this customer, not of every offer ever shown).
        const shown = new Set(view.offers.map((p) => p.id));
        const violations =
          shown.size === 0
            ? []
            : (await cc.offers.audit({ customer: { profileId: view.profile.id } })).filter(
                (v) => v.presentationId !== undefined && shown.has(v.presentationId),
              );
        const display = { timeZone: options.timeZone, violations };
        if (options.svg !== undefined) writeFileSync(resolve(options.svg), renderTimelineSvg(view, display));
        if (g.json) printJson(view);
        else {
          print(formatContext(view, { width: Number(options.width) || 80, ...display }));
          if (options.svg !== undefined) print(`\nTimeline picture: ${resolve(options.svg)}`);
        }
      } finally {
        await cc.close();
      }
    });

  program
    .command("explain")
    .description("how a profile's identifiers are linked: the evidence behind every merge, and refusals")
    .argument("<profile>", "a profile id, or type:value of one of its identifiers")
    .action(async (profile: string, _options: unknown, command: Command) => {
      const { cc, g } = await open(command, true);
      try {
        const ref = parseCustomer(profile);
        const found = await cc.profiles.get(ref);
        if (found === null) {
          if (g.json) printJson(null);
          io.stderr.write(`customer-context: no profile ${profile}\n`);
          setStatus(EXIT.notFound);
          return;
        }
        const explanation = await cc.profiles.explain(found.id);
        if (g.json) printJson(explanation);
        else print(formatExplanation(explanation));
      } finally {
        await cc.close();
      }
    });

  program
    .command("audit")
    .description("re-evaluate every recorded offer presentation and list the violations")
    .option("--from <time>", "first presentation time, ISO 8601 with offset (2026-04-01T00:00:00Z)")
    .option("--to <time>", "last presentation time, ISO 8601 with offset")
    .option("--time-zone <zone>", "IANA time zone for the times shown (Europe/Warsaw)", "UTC")
    .action(async (options: { from?: string; to?: string; timeZone: string }, command: Command) => {
      const { cc, g } = await open(command, true);
      try {
        const violations = await cc.offers.audit({
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
        });
        if (g.json) printJson(violations);
        else {
          // Name each customer and time each violation from the customer's own view.
          const customers = new Map<string, string>();
          const times = new Map<string, string>();
          for (const profileId of new Set(violations.map((v) => v.profileId).filter((id) => id !== undefined))) {
            const view = await cc.context({ profileId });
            if (view === null) continue;
            const name = view.profile.traits.name;
            customers.set(profileId, typeof name === "string" && name !== "" ? `${name} (${profileId})` : profileId);
            for (const p of view.offers) times.set(p.id, p.at);
          }
          print(formatViolations(violations, { timeZone: options.timeZone, customers, times }));
          if (violations.length > 0) print(`\n${violations.length} violation${violations.length === 1 ? "" : "s"}.`);
        }
      } finally {
        await cc.close();
      }
    });

  program
    .command("journeys")
    .description("journey metrics from the data: channel transitions, multi-channel share, response times")
    .option("--from <time>", "conversations started at or after this time (ISO 8601 with offset)")
    .option("--to <time>", "conversations started before this time")
    .option("--svg <file>", "also write the journeys as an SVG picture")
    .option("--time-zone <zone>", "IANA time zone for the dates shown (Europe/Warsaw)", "UTC")
    .action(async (options: { from?: string; to?: string; svg?: string; timeZone: string }, command: Command) => {
      const { cc, g } = await open(command, true);
      try {
        const metrics = await cc.journeys.metrics({
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
        });
        const display = { timeZone: options.timeZone };
        if (options.svg !== undefined) writeFileSync(resolve(options.svg), renderJourneySvg(metrics, display));
        if (g.json) printJson(metrics);
        else {
          print(formatJourneyMetrics(metrics, display));
          if (options.svg !== undefined) print(`\nJourney picture: ${resolve(options.svg)}`);
        }
      } finally {
        await cc.close();
      }
    });

  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}

interface IngestCommandOptions {
  format?: "ndjson" | "csv";
  mbox?: string;
  eml?: string;
  mailbox: string[];
  ownDomain: string[];
  map: string[];
  delimiter: string;
  source?: string;
  channel?: string;
  rejects?: string;
  progress?: boolean;
  batchSize?: number;
}

/** `--batch-size`: a whole number of at least 1. */
function parseBatchSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a whole number of rows, at least 1");
  }
  return n;
}

/**
 * Parses a customer argument: `type:value` is an identifier (split at the first colon), anything
 * else a profile id.
 *
 * @param text - e.g. `phone:+48601234567`, `email:jan@x.pl` or `prof_rh3m95whgr2zqbrax766`
 * @returns a customer reference for `cc.context` and `cc.profiles.get`
 *
 * @example
 * ```ts
 * parseCustomer("email:jan@x.pl"); // { identifier: { type: "email", value: "jan@x.pl" } }
 * parseCustomer("prof_123");       // { profileId: "prof_123" }
 * ```
 */
export function parseCustomer(text: string): { identifier: { type: string; value: string } } | { profileId: string } {
  const colon = text.indexOf(":");
  if (colon > 0) return { identifier: { type: text.slice(0, colon), value: text.slice(colon + 1) } };
  return { profileId: text };
}

/** Where a rejected message is: `message 3 (line 40)` in an mbox, `message 3 (reply.eml)` in a directory. */
function mailPosition(row: RejectedRow): string {
  return `message ${row.message ?? "?"} (${row.file ?? `line ${row.line}`})`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Formats an ingestion summary for a terminal.
 *
 * @param summary - the result of `ingest`
 * @param rejectsFile - where rejected rows were written, if anywhere
 * @returns the text
 *
 * @example
 * ```ts
 * print(formatSummary(await ingest(stream, cc)));
 * // Read 100,000 rows in 41.2 s (2,427 rows/s)
 * ```
 */
export function formatSummary(summary: IngestSummary, rejectsFile?: string, unit = "rows"): string {
  const seconds = summary.ms / 1000;
  const rate = seconds > 0 ? Math.round(summary.read / seconds) : summary.read;
  const kinds = Object.entries(summary.byKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${count(n)}`)
    .join(", ");
  const rows: Array<[string, number, string]> = [
    ["kept", summary.kept, kinds],
    [
      "rejected",
      summary.rejected,
      rejectsFile !== undefined && summary.rejected > 0 ? `written to ${rejectsFile}` : "",
    ],
    ["duplicates", summary.duplicates, "already recorded, kept once"],
    ["profiles", summary.profiles, "touched by this file, after merges"],
    ["merges", summary.merges, "profiles absorbed"],
    ["conversations", summary.conversations, "of those profiles"],
  ];
  const lines = [`Read ${count(summary.read)} ${unit} in ${seconds.toFixed(1)} s (${count(rate)} ${unit}/s)`];
  for (const [label, n, note] of rows) {
    lines.push(`  ${label.padEnd(14)}${count(n).padStart(10)}${note ? `  ${note}` : ""}`);
  }
  return lines.join("\n");
}
