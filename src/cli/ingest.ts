/**
 * Batch ingestion for the CLI: NDJSON rows of any kind, or a CSV of contacts with a column
 * mapping. A bad row is rejected with its line number and the library's error; good rows are kept.
 *
 * @module
 */
import type { CustomerContext } from "../context.js";
import { isCustomerContextError } from "../errors.js";
import { type CsvRecord, readCsv } from "./csv.js";
import { readLines } from "./readers/readLines.js";

/** The row kinds of an NDJSON file, and the method each one calls. */
export const NDJSON_KINDS = ["identify", "record", "consent", "offer", "present"] as const;
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
  /** Called for every rejected row, as it is rejected. */
  onReject?: (reject: RejectedRow) => void;
}

/** A row that was not kept, with why. */
export interface RejectedRow {
  /** Line number in the input (1-based; for a CSV the line the record starts on). */
  line: number;
  /** The row as it appeared in the input. */
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
 * Ingests NDJSON rows (`{ "kind": "identify" | "record" | "consent" | "offer" | "present", ...input }`,
 * one per line) or a CSV of contacts (one `cc.identify` per row, through `map`) into a customer
 * context. Each row is its own operation: a bad row is rejected with its line number and the
 * library's error (whose details name the field), and every good row is kept.
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
  const stop = cc.subscribe((event) => {
    if (event.type === "profile.merged") summary.merges += event.absorbed.length;
  });
  const every = Math.max(1, Math.floor(options.progressEvery ?? 500));
  const progress = () => {
    if (summary.read % every === 0) options.onProgress?.({ rows: summary.read });
  };
  const reject = (line: number, raw: string, error: RejectedRow["error"]) => {
    summary.rejected++;
    options.onReject?.({ line, raw, error });
  };
  const keep = (kind: string) => {
    summary.kept++;
    summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
  };

  try {
    if (options.format === "csv") {
      await ingestCsv(input, cc, options, {
        row: () => {
          summary.read++;
        },
        kept: (profileId) => {
          profileIds.add(profileId);
          keep("identify");
          progress();
        },
        rejected: (record, error) => {
          reject(record.line, record.raw, error);
          progress();
        },
      });
    } else {
      for await (const row of readLines(input)) {
        const line = row.line;
        if ("error" in row) {
          summary.read++;
          reject(line, row.raw, row.error);
          progress();
          continue;
        }
        const text = row.text;
        if (text.trim() === "") continue;
        summary.read++;
        try {
          const outcome = await applyNdjson(cc, text);
          if (outcome.profileId !== undefined) profileIds.add(outcome.profileId);
          if (outcome.merged) for (const id of outcome.merged) profileIds.add(id);
          if (outcome.duplicate) summary.duplicates++;
          keep(outcome.kind);
        } catch (error) {
          reject(line, text, describeError(error));
        }
        progress();
      }
    }
  } finally {
    stop();
  }
  options.onProgress?.({ rows: summary.read });

  const finalIds = new Set<string>();
  for (const id of profileIds) {
    const profile = await cc.profiles.get({ profileId: id });
    if (profile) finalIds.add(profile.id);
  }
  summary.profiles = finalIds.size;
  for (const id of finalIds) summary.conversations += (await cc.conversations.list({ profileId: id })).length;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

interface NdjsonOutcome {
  kind: NdjsonKind;
  profileId?: string;
  merged?: string[];
  duplicate?: boolean;
}

class RowError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

async function applyNdjson(cc: CustomerContext, text: string): Promise<NdjsonOutcome> {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (error) {
    throw new RowError("parse", `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    throw new RowError("parse", "a row must be a JSON object with a kind");
  }
  const { kind, ...rest } = row as Record<string, unknown>;
  // The inputs are validated by the library's own schemas; the casts only hand them over.
  switch (kind) {
    case "identify": {
      const result = await cc.identify(rest as never);
      return { kind, profileId: result.profileId, merged: result.merged };
    }
    case "record": {
      const result = await cc.record(rest as never);
      return { kind, profileId: result.profileId, duplicate: result.duplicate };
    }
    case "consent": {
      const result = await cc.consent(rest as never);
      return { kind, profileId: result.profileId };
    }
    case "offer":
      await cc.offers.define(rest as never);
      return { kind };
    case "present": {
      await cc.offers.present(rest as never);
      return { kind };
    }
    default:
      throw new RowError(
        "invalid_input",
        `Invalid row: kind: must be one of ${NDJSON_KINDS.map((k) => `"${k}"`).join(", ")}`,
        [{ path: ["kind"], code: "invalid_value", message: `must be one of ${NDJSON_KINDS.join(", ")}` }],
      );
  }
}

interface CsvHooks {
  row(record: CsvRecord): void;
  kept(profileId: string): void;
  rejected(record: CsvRecord, error: RejectedRow["error"]): void;
}

async function ingestCsv(
  input: AsyncIterable<string | Uint8Array>,
  cc: CustomerContext,
  options: IngestOptions,
  hooks: CsvHooks,
): Promise<void> {
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
      hooks.row({ line: record.line, fields: [], raw: record.raw });
      hooks.rejected({ line: record.line, fields: [], raw: record.raw }, record.error);
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
    hooks.row(record);
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
      hooks.rejected(record, {
        code: "mapping",
        message: `no identifier: the column${names.length > 1 ? "s" : ""} ${names.join(", ")} ${names.length > 1 ? "are" : "is"} empty`,
      });
      continue;
    }
    try {
      const result = await cc.identify({
        identifiers,
        ...(Object.keys(traits).length > 0 ? { traits } : {}),
        ...(at !== undefined ? { at } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.channel !== undefined ? { channel: options.channel } : {}),
      });
      hooks.kept(result.profileId);
    } catch (error) {
      hooks.rejected(record, describeError(error));
    }
  }
}

/** Codes that mean the store, not the row, is the problem: ingestion stops. */
const FATAL = new Set(["storage_failure", "closed", "adapter_invalid"]);

function describeError(error: unknown): RejectedRow["error"] {
  if (isCustomerContextError(error) && !FATAL.has(error.code)) {
    return { code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof RowError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  throw error;
}
