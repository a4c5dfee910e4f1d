/**
 * Batch ingestion for the CLI: NDJSON rows of any kind, or a CSV of contacts with a column
 * mapping. A bad row is rejected with its line number and the library's error; good rows are kept.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CustomerContext } from "../context.js";
import { isCustomerContextError } from "../errors.js";
import { countProfiles } from "../shell/ingest.js";
import { readCsv } from "./csv.js";
import { type OwnAddresses, readMail } from "./mail.js";
import { readLines } from "./readers/readLines.js";
import { readMbox } from "./readers/readMbox.js";

/** The row kinds of an NDJSON file, and the method each one calls. */
export const NDJSON_KINDS = [
  "identify",
  "record",
  "consent",
  "offer",
  "present",
  "resolve",
  "merge",
  "unmerge",
  "revoke",
  "forget",
] as const;
/** One of {@link NDJSON_KINDS}. */
export type NdjsonKind = (typeof NDJSON_KINDS)[number];

/** Where one CSV column goes: an identifier of a type, a trait, or the observation time. */
export type CsvTarget = { identifier: string } | { trait: string } | { at: true };

/** One CSV column mapping: `--map email=E-mail` or `--map trait:name=Full name`. */
export interface CsvMapping {
  target: CsvTarget;
  column: string;
}

/** Options of {@link ingest}. */
export interface IngestOptions {
  /** `"ndjson"` (default) or `"csv"`. */
  format?: "ndjson" | "csv";
  /** CSV only: which column feeds which identifier type or trait. Required for CSV. */
  map?: readonly CsvMapping[];
  /** CSV only: field separator. Default `","`. */
  delimiter?: string;
  /** CSV only: `source` of every observation (e.g. `crm-export`). */
  source?: string;
  /** CSV only: `channel` of every observation. */
  channel?: string;
  /** Called with the rows read so far, every `progressEvery` rows and once at the end. */
  onProgress?: (progress: { rows: number }) => void;
  /** Rows between two `onProgress` calls. Default 500. */
  progressEvery?: number;
  /** CSV only: called with the header line as it appeared in the file. */
  onHeader?: (raw: string) => void;
  /** Called for every rejected row, once it is known to be rejected. */
  onReject?: (reject: RejectedRow) => void;
  /** Name of the source (e.g. the file name): with each row's content, it makes the row's idempotency key. */
  sourceName?: string;
  /** Rows per transaction. Default {@link ROW_BATCH} (mail: 200 messages). */
  batchSize?: number;
}

/** A row that was not kept, with why. */
export interface RejectedRow {
  /** Line number in the input (1-based; for a CSV the line the record starts on; for mail the line of the message's first line). */
  line: number;
  /** Mail: the 1-based number of the message in the mbox or the directory. */
  message?: number;
  /** Mail from a directory: the name of the `.eml` file. */
  file?: string;
  /** Mbox: where the message is in the file (byte offset and length, its `From ` line included). */
  bytes?: { offset: number; length: number };
  /** The row as it appeared in the input (for mail, the start of the message). */
  raw: string;
  error: {
    /** A library error code (`invalid_input`, `refused`, …), or `parse` / `mapping` for the file's own problems. */
    code: string;
    message: string;
    details?: unknown;
  };
}

/** What {@link ingest} did. */
export interface IngestSummary {
  /** Rows read (blank lines are not rows; for a CSV the header is not a row). */
  read: number;
  /** Rows kept (duplicates of earlier interactions included: ingestion is idempotent). */
  kept: number;
  rejected: number;
  /** Interactions that were already recorded (same channel and external id, or same Message-ID). */
  duplicates: number;
  /** Rows kept per kind. */
  byKind: Record<string, number>;
  /** Distinct profiles the kept rows belong to, after all merges. */
  profiles: number;
  /** Profiles absorbed by merges during the ingestion. */
  merges: number;
  /** Conversations of those profiles. */
  conversations: number;
  /** Wall-clock duration in milliseconds. */
  ms: number;
}

/**
 * Parses `--map` values: `<target>=<column>`, where the target is an identifier type
 * (`email`, `phone`, `crmId`, …), `trait:<name>`, or `at` (the time of the observation).
 *
 * @param values - the `--map` values
 * @returns the mappings
 * @throws {TypeError} when a value has no `=` or an empty side
 *
 * @example
 * ```ts
 * parseCsvMappings(["email=E-mail", "trait:name=Full name"]);
 * // [{ target: { identifier: "email" }, column: "E-mail" }, { target: { trait: "name" }, column: "Full name" }]
 * ```
 */
export function parseCsvMappings(values: readonly string[]): CsvMapping[] {
  return values.map((value) => {
    const eq = value.indexOf("=");
    const left = eq < 0 ? "" : value.slice(0, eq).trim();
    const column = eq < 0 ? "" : value.slice(eq + 1).trim();
    if (left === "" || column === "") {
      throw new TypeError(
        `--map ${JSON.stringify(value)}: expected <target>=<column>, e.g. email=E-mail or trait:name=Name`,
      );
    }
    if (left === "at") return { target: { at: true }, column };
    if (left.startsWith("trait:")) {
      const trait = left.slice("trait:".length);
      if (trait === "") throw new TypeError(`--map ${JSON.stringify(value)}: the trait has no name`);
      return { target: { trait }, column };
    }
    return { target: { identifier: left }, column };
  });
}

/**
 * Ingests NDJSON rows (`{ "kind": "identify" | "record" | "consent" | "offer" | "present" | "resolve"
 * | "merge" | "unmerge" | "revoke" | "forget", ...input }`, one per line; a `resolve` row may name
 * its conversation by any interaction in it, `"interaction": { channel, externalId }` or
 * `{ messageId }`) or a CSV of contacts (one `identify` per row, through `map`) into a customer
 * context. This is a thin reader over `cc.ingest`: rows are applied in batches, one transaction
 * each; a bad row is rejected with its line number and the library's error (whose details name
 * the field), and every good row is kept. Each row without a key of its own gets an idempotency
 * key from `sourceName` and its content, so ingesting the same file twice changes nothing.
 *
 * @param input - the file's text in chunks (e.g. `createReadStream(path, "utf8")`)
 * @param cc - the customer context to write to
 * @param options - format, CSV mapping, progress and reject callbacks
 * @returns the summary: rows read, kept, rejected, profiles, merges, conversations
 *
 * @example
 * ```ts
 * const summary = await ingest(createReadStream("events.ndjson", "utf8"), cc, {
 *   onReject: (r) => console.error(`line ${r.line}: ${r.error.message}`),
 * });
 * summary.rejected; // 0
 * ```
 */
export async function ingest(
  input: AsyncIterable<string | Uint8Array>,
  cc: CustomerContext,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  return ingestRows(options.format === "csv" ? csvRows(input, options) : ndjsonRows(input), cc, options);
}

/** Options of {@link ingestMbox} and {@link ingestEml}. */
export interface IngestMailOptions
  extends Pick<IngestOptions, "onProgress" | "progressEvery" | "onReject" | "batchSize">,
    OwnAddresses {
  /** Largest message accepted, in bytes; a larger one is rejected (`too_long`). Default 32 MiB. */
  maxMessageBytes?: number;
}

/**
 * Ingests an mbox file: every message becomes an email interaction (see {@link mailToRecord}),
 * read as the file streams in, one message in memory at a time. A message that cannot be an
 * interaction (no sender, no date, no customer, too large) is rejected with its number and line;
 * every other message is kept. The Message-ID (or a content hash when there is none) is the
 * interaction's key, so ingesting the same mailbox again changes nothing.
 *
 * @param input - the file's bytes (e.g. `createReadStream("support.mbox")`)
 * @param cc - the customer context to write to
 * @param options - the company's own mailboxes and domains, callbacks, bounds
 * @returns the summary, as for {@link ingest}; each message is one row
 * @throws {NotMboxError} when the input does not start with a `From ` line
 *
 * @example
 * ```ts
 * const summary = await ingestMbox(createReadStream("support.mbox"), cc, { domains: ["shop.pl"] });
 * summary.byKind.record; // the messages kept
 * ```
 */
export async function ingestMbox(
  input: AsyncIterable<string | Uint8Array>,
  cc: CustomerContext,
  options: IngestMailOptions = {},
): Promise<IngestSummary> {
  return ingestRows(mboxRows(input, options), cc, { batchSize: MAIL_BATCH, ...options });
}

/**
 * Ingests `.eml` files (one RFC 5322 message each), in the order given: as {@link ingestMbox},
 * a message that cannot be an interaction is rejected with its file name, the others are kept.
 *
 * @param files - the messages: each file's name and a way to read its bytes and size
 * @param cc - the customer context to write to
 * @param options - the company's own mailboxes and domains, callbacks, bounds
 * @returns the summary, as for {@link ingest}; each file is one row
 *
 * @example
 * ```ts
 * const names = readdirSync("mail").filter((n) => n.endsWith(".eml")).sort();
 * await ingestEml(names.map((name) => ({ name, size: statSync(join("mail", name)).size, read: () => readFileSync(join("mail", name)) })), cc, { mailboxes: ["help@shop.pl"] });
 * ```
 */
export async function ingestEml(
  files: Iterable<EmlFile> | AsyncIterable<EmlFile>,
  cc: CustomerContext,
  options: IngestMailOptions = {},
): Promise<IngestSummary> {
  return ingestRows(emlRows(files, options), cc, { batchSize: MAIL_BATCH, ...options });
}

/** One `.eml` file for {@link ingestEml}. */
export interface EmlFile {
  name: string;
  /** Its size in bytes, checked against `maxMessageBytes` before it is read. */
  size: number;
  read(): Uint8Array | Promise<Uint8Array>;
}

/**
 * Rows per transaction of an NDJSON or CSV ingestion. A commit writes every page the batch dirtied,
 * and documents are keyed by hashes, so a batch dirties pages all over the store (in SQLite a commit
 * of 1,000 rows rewrote most of a 28 MB file into the write-ahead log, and checkpointed it back):
 * the fewer the commits, the less the store is rewritten. 5,000 rows hold a few tens of MB while
 * their batch is open.
 */
export const ROW_BATCH = 5000;

/** Messages per transaction: a message may carry 64 KiB of text, so batches are smaller than for rows. */
const MAIL_BATCH = 200;
const latin1 = new TextDecoder("latin1");

/** The start of a message, for reports. */
function headOf(bytes: Uint8Array): string {
  return latin1.decode(bytes.subarray(0, 200));
}

async function* mboxRows(
  input: AsyncIterable<string | Uint8Array>,
  options: IngestMailOptions,
): AsyncGenerator<SourceRow> {
  for await (const m of readMbox(
    input,
    options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {},
  )) {
    const position = { line: m.line, message: m.message, bytes: { offset: m.offset, length: m.length } };
    if ("error" in m) {
      yield { ...position, raw: "", error: m.error };
      continue;
    }
    const result = await readMail(m.bytes, options);
    yield "error" in result
      ? { ...position, raw: headOf(m.bytes), error: result.error }
      : { ...position, raw: headOf(m.bytes), item: result.item };
  }
}

async function* emlRows(
  files: Iterable<EmlFile> | AsyncIterable<EmlFile>,
  options: IngestMailOptions,
): AsyncGenerator<SourceRow> {
  const max = options.maxMessageBytes ?? 32 * 1024 * 1024;
  let message = 0;
  for await (const file of files) {
    const position = { line: 1, message: ++message, file: file.name };
    if (file.size > max) {
      yield { ...position, raw: "", error: { code: "too_long", message: `the message is longer than ${max} bytes` } };
      continue;
    }
    const bytes = await file.read();
    const result = await readMail(bytes, options);
    yield "error" in result
      ? { ...position, raw: headOf(bytes), error: result.error }
      : { ...position, raw: headOf(bytes), item: result.item };
  }
}

/** Applies source rows through `cc.ingest`, reporting rejects in row order. */
async function ingestRows(
  rows: AsyncIterable<SourceRow>,
  cc: CustomerContext,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const summary: IngestSummary = {
    read: 0,
    kept: 0,
    rejected: 0,
    duplicates: 0,
    byKind: {},
    profiles: 0,
    merges: 0,
    conversations: 0,
    ms: 0,
  };
  const profileIds = new Set<string>();
  const every = Math.max(1, Math.floor(options.progressEvery ?? 500));
  let done = 0;
  const progress = () => {
    if (++done % every === 0) options.onProgress?.({ rows: done });
  };
  // Rejects are reported in line order: a row that cannot be read waits for the rows before it,
  // whose batch may not have committed yet.
  const waiting: Array<{ row: SourceRow; error: RejectedRow["error"] }> = [];
  const release = (all = false) => {
    // Called after every row: O(1) unless a reject waits (it used to scan every row in flight,
    // which made a batch cost grow with the square of its size). Rows enter `inFlight` in file
    // order, so their lines never decrease, and a Map iterates in insertion order: the first row
    // in flight has the smallest line.
    if (waiting.length === 0) return;
    const first = all ? Number.POSITIVE_INFINITY : (inFlight.values().next().value?.line ?? Number.POSITIVE_INFINITY);
    waiting.sort((a, b) => a.row.line - b.row.line);
    while (waiting.length > 0 && (waiting[0] as (typeof waiting)[number]).row.line < first) {
      const { row, error } = waiting.shift() as (typeof waiting)[number];
      summary.rejected++;
      const { item: _item, error: _error, ...position } = row;
      options.onReject?.({ ...position, error });
      progress();
    }
  };
  const reject = (row: SourceRow, error: RejectedRow["error"]) => {
    waiting.push({ row, error });
    release();
  };

  // Reading (rows of the file) and applying (cc.ingest, in batches) are separate steps: the rows
  // in flight are remembered by their index in the item stream until their batch committed.
  const sourceName = options.sourceName ?? "stdin";
  const inFlight = new Map<number, SourceRow>();
  let next = 0;
  async function* items(): AsyncGenerator<unknown> {
    for await (const row of rows) {
      summary.read++;
      if (row.item === undefined) {
        reject(row, row.error ?? { code: "parse", message: "unreadable row" });
        continue;
      }
      inFlight.set(next++, row);
      yield withIdempotencyKey(row.item, sourceName, row.raw);
    }
  }
  const result = await cc.ingest(items(), {
    batchSize: options.batchSize ?? ROW_BATCH,
    onResult: (index, outcome) => {
      inFlight.delete(index);
      release();
      summary.kept++;
      summary.byKind[outcome.kind] = (summary.byKind[outcome.kind] ?? 0) + 1;
      if (outcome.duplicate) summary.duplicates++;
      const r = outcome.result as { profileId?: unknown; merged?: unknown };
      if (typeof r === "object" && r !== null && typeof r.profileId === "string") profileIds.add(r.profileId);
      if (Array.isArray(r?.merged)) for (const id of r.merged) profileIds.add(String(id));
      progress();
    },
    onReject: ({ index, error }) => {
      const row = inFlight.get(index);
      inFlight.delete(index);
      if (!row) return;
      const described = describeError(error);
      if (described.code === "not_found" && row.item?.kind === "resolve" && row.item.interaction !== undefined) {
        described.message = `${described.message}: no such interaction is recorded (record it before this row)`;
      }
      reject(row, described);
    },
  });
  release(true);
  summary.merges = result.merges;
  options.onProgress?.({ rows: summary.read });

  const counted = await countProfiles(cc.storage, profileIds);
  summary.profiles = counted.profiles;
  summary.conversations = counted.conversations;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

/** One row of the file: an ingest item, or why it cannot be one. */
interface SourceRow {
  /** Line number (for a CSV, the line the record starts on). */
  line: number;
  /** Mail: message number, file name, place in the mbox. */
  message?: number;
  file?: string;
  bytes?: { offset: number; length: number };
  raw: string;
  item?: Record<string, unknown>;
  error?: RejectedRow["error"];
}

/** Kinds whose idempotency key is `id` (records and presentations have `externalId` / their content). */
const KEYED_KINDS = new Set(["identify", "consent", "resolve", "merge", "unmerge", "revoke"]);

/**
 * The row with an idempotency key derived from the source name and the row's content, unless it
 * has one: ingesting the same file again then changes nothing.
 */
function withIdempotencyKey(item: Record<string, unknown>, source: string, raw: string): Record<string, unknown> {
  if (!KEYED_KINDS.has(String(item.kind)) || item.id !== undefined) return item;
  return { ...item, id: `${source}#${createHash("sha256").update(raw).digest("hex").slice(0, 32)}` };
}

/** NDJSON rows: one JSON object `{ kind, ...input }` per line; blank lines are skipped. */
async function* ndjsonRows(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<SourceRow> {
  for await (const read of readLines(input)) {
    const line = read.line;
    if ("error" in read) {
      // Invalid UTF-8 or an over-long line: rejected by line number, the rest read on.
      yield { line, raw: read.raw, error: read.error };
      continue;
    }
    const text = read.text;
    if (text.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      yield {
        line,
        raw: text,
        error: { code: "parse", message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` },
      };
      continue;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      yield { line, raw: text, error: { code: "parse", message: "a row must be a JSON object with a kind" } };
      continue;
    }
    yield { line, raw: text, item: row as Record<string, unknown> };
  }
}

/** CSV rows: one `identify` item per record, through the column mapping. */
async function* csvRows(input: AsyncIterable<string | Uint8Array>, options: IngestOptions): AsyncGenerator<SourceRow> {
  const map = options.map ?? [];
  if (!map.some((m) => "identifier" in m.target)) {
    throw new TypeError("A CSV needs at least one identifier column: --map <type>=<column>, e.g. --map email=E-mail");
  }
  let columns: Array<{ mapping: CsvMapping; index: number }> | undefined;
  for await (const record of readCsv(input, options.delimiter !== undefined ? { delimiter: options.delimiter } : {})) {
    if ("error" in record) {
      // One unreadable row (a broken quote, invalid UTF-8, an endless line): rejected, the rest read on.
      if (columns === undefined)
        throw new TypeError(`The CSV header (line ${record.line}) cannot be read: ${record.error.message}`);
      yield { line: record.line, raw: record.raw, error: record.error };
      continue;
    }
    if (columns === undefined) {
      const header = record.fields.map((f) => f.trim());
      const missing = map.filter((m) => !header.includes(m.column)).map((m) => m.column);
      if (missing.length > 0) {
        throw new TypeError(
          `The CSV header has no column ${missing.map((c) => JSON.stringify(c)).join(", ")} (columns: ${header.join(", ")})`,
        );
      }
      columns = map.map((mapping) => ({ mapping, index: header.indexOf(mapping.column) }));
      options.onHeader?.(record.raw);
      continue;
    }
    const identifiers: Array<{ type: string; value: string }> = [];
    const traits: Record<string, string> = {};
    let at: string | undefined;
    for (const { mapping, index } of columns) {
      const value = (record.fields[index] ?? "").trim();
      if (value === "") continue;
      if ("identifier" in mapping.target) identifiers.push({ type: mapping.target.identifier, value });
      else if ("trait" in mapping.target) traits[mapping.target.trait] = value;
      else at = value;
    }
    if (identifiers.length === 0) {
      const names = columns.filter((c) => "identifier" in c.mapping.target).map((c) => c.mapping.column);
      yield {
        line: record.line,
        raw: record.raw,
        error: {
          code: "mapping",
          message: `no identifier: the column${names.length > 1 ? "s" : ""} ${names.join(", ")} ${names.length > 1 ? "are" : "is"} empty`,
        },
      };
      continue;
    }
    yield {
      line: record.line,
      raw: record.raw,
      item: {
        kind: "identify",
        identifiers,
        ...(Object.keys(traits).length > 0 ? { traits } : {}),
        ...(at !== undefined ? { at } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.channel !== undefined ? { channel: options.channel } : {}),
      },
    };
  }
}

/** Codes that mean the store, not the row, is the problem: ingestion stops. */
const FATAL = new Set(["storage_failure", "closed", "adapter_invalid"]);

function describeError(error: unknown): RejectedRow["error"] {
  if (isCustomerContextError(error) && !FATAL.has(error.code)) {
    return { code: error.code, message: error.message, details: error.details };
  }
  throw error;
}
