/**
 * The CLI's CSV reader: csv-parse does the parsing (RFC 4180 quoting, `""` escapes, separators
 * and line breaks inside quotes); this module feeds it one record at a time, so that one bad row
 * is rejected by its line number and every other row is kept.
 *
 * Careful-user choices, documented in docs/security.md ("The command line"):
 * - quotes are relaxed (csv-parse `relax_quotes`): a quote inside an unquoted field is an
 *   ordinary character, so `Lena "Lenchen" Mueller` reads as written, and so does text after a
 *   closing quote (`"a"b` reads as `"a"b`);
 * - a quote that is never closed spans at most `maxRecordLines` lines (default 100) or the end
 *   of the file; then only the line where it opened is rejected and reading goes on from the
 *   next line;
 * - a line that is not valid UTF-8, or longer than `maxLineBytes`, is a rejected row.
 *
 * @module
 */
import { parse } from "csv-parse/sync";
import { type LineResult, readLines } from "./readers/readLines.js";

/** One CSV record with the line it starts on (1-based) and its raw text. */
export interface CsvRecord {
  /** Line number in the file where the record starts; the header is line 1. */
  line: number;
  fields: string[];
  /** The record as it appeared in the file, without its line break. */
  raw: string;
}

/** A row that could not be read, with the line it starts on. */
export interface CsvRowError {
  line: number;
  /** The row's text (its start, for very long or undecodable lines). */
  raw: string;
  error: { code: "parse" | "encoding" | "too_long"; message: string };
}

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
  /** Most lines one quoted record may span before its opening quote counts as unclosed. Default 100. */
  maxRecordLines?: number;
  /** Longest line accepted, in bytes. Default 1 MiB. */
  maxLineBytes?: number;
}

/** A CSV syntax error, with the line of the record it was found in. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

/**
 * Reads CSV records from byte (or text) chunks, as they arrive. Empty lines are skipped. A row
 * that cannot be read is yielded as a {@link CsvRowError} (never thrown), and reading goes on.
 *
 * @param chunks - the file's bytes, in chunks of any size (`createReadStream(path)`)
 * @param options - `delimiter` (default `,`), record and line bounds
 * @returns an async iterator of records and row errors
 *
 * @example
 * ```ts
 * for await (const record of readCsv(createReadStream("contacts.csv"))) {
 *   if ("error" in record) console.error(`line ${record.line}: ${record.error.message}`);
 *   else record.fields; // ["E-mail", "Phone", "Name"] on line 1
 * }
 * ```
 */
export async function* readCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvRecord | CsvRowError> {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TypeError(
      `delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const maxRecordLines = Math.max(1, options.maxRecordLines ?? 100);
  const source = readLines(chunks, options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {});
  /** Lines to read again: the rest of a record whose opening quote never closed. */
  const again: LineResult[] = [];
  /** The lines of the record being put together. */
  let pending: { line: number; text: string }[] = [];
  let ended = false;

  const next = async (): Promise<LineResult | undefined> => {
    const queued = again.shift();
    if (queued !== undefined) return queued;
    if (ended) return undefined;
    const result = await source.next();
    if (result.done) {
      ended = true;
      return undefined;
    }
    return result.value;
  };
  /** The opening quote of the pending record never closed: reject its first line, re-read the others. */
  const unclosed = (): CsvRowError => {
    const [head, ...rest] = pending;
    pending = [];
    again.unshift(...rest);
    return {
      line: head?.line ?? 0,
      raw: head?.text ?? "",
      error: {
        code: "parse",
        message: `a quoted field opened on this line is not closed within ${maxRecordLines} line${maxRecordLines === 1 ? "" : "s"} or by the end of the file`,
      },
    };
  };

  while (true) {
    const item = await next();
    if (item === undefined) {
      if (pending.length === 0) return;
      yield unclosed();
      continue;
    }
    if ("error" in item) {
      if (pending.length > 0) {
        again.unshift(item);
        yield unclosed();
      } else {
        yield { line: item.line, raw: item.raw, error: item.error };
      }
      continue;
    }
    if (pending.length === 0 && item.text.trim() === "") continue;
    pending.push(item);
    const raw = pending.map((p) => p.text).join("\n");
    let rows: string[][];
    try {
      rows = parse(raw, { delimiter, relax_quotes: true, relax_column_count: true, bom: false }) as string[][];
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "CSV_QUOTE_NOT_CLOSED") {
        if (pending.length < maxRecordLines) continue;
        yield unclosed();
        continue;
      }
      const line = pending[0]?.line ?? item.line;
      pending = [];
      yield { line, raw, error: { code: "parse", message: (error as Error).message.replace(/ at line \d+.*$/, "") } };
      continue;
    }
    const line = pending[0]?.line ?? item.line;
    pending = [];
    const [fields] = rows;
    if (fields !== undefined) yield { line, fields, raw };
  }
}
