/**
 * Line reader for the CLI's input files: splits bytes on LF (CRLF accepted), decodes each line as
 * strict UTF-8, and bounds the memory one line may take.
 *
 * @module
 */

/** A line of the input: its text, or why it cannot be read. */
export type LineResult =
  | { line: number; text: string }
  | {
      line: number;
      /** The start of the line (at most 200 characters, invalid bytes shown as U+FFFD), for reports. */
      raw: string;
      error: { code: "encoding" | "too_long"; message: string };
    };

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Longest line accepted, in bytes (without the line break). Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * When a line runs on this many bytes past `maxLineBytes` without a line break, the input is not
   * a line-oriented file (`/dev/zero`, a binary): reading stops with an {@link InputNotLinesError}.
   * Default 16 × `maxLineBytes`.
   */
  maxSkipBytes?: number;
}

/** The input has no line break for far longer than any line may be; lines before it were read. */
export class InputNotLinesError extends Error {
  /** The line that never ended. */
  readonly line: number;
  constructor(line: number, bytes: number) {
    super(`line ${line} has no line break after ${bytes} bytes: the input is not a line-oriented text file`);
    this.name = "InputNotLinesError";
    this.line = line;
  }
}

const DEFAULT_MAX_LINE = 1024 * 1024;
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Reads lines from byte (or text) chunks. Every line is reported, numbered from 1: as text, or as
 * an error when it is not valid UTF-8 (never silently replaced) or longer than `maxLineBytes` (its
 * bytes are dropped as they arrive, so memory stays bounded). A byte-order mark at the start is
 * skipped. Text chunks are encoded as UTF-8 first.
 *
 * @param input The file's bytes, e.g. `createReadStream(path)` without an encoding.
 * @param options Line-length bounds.
 * @returns An async iterator of {@link LineResult}s, empty lines included.
 * @example
 * ```ts
 * for await (const row of readLines(createReadStream("events.ndjson"))) {
 *   if ("error" in row) console.error(`line ${row.line}: ${row.error.message}`);
 *   else handle(row.text);
 * }
 * ```
 */
export async function* readLines(
  input: AsyncIterable<string | Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<LineResult> {
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const maxSkip = options.maxSkipBytes ?? 16 * maxLine;
  let parts: Uint8Array[] = [];
  let size = 0;
  /** Bytes dropped from the current line once it grew past the limit; -1 while it is within. */
  let skipped = -1;
  let head = "";
  let line = 1;
  let first = true;

  const finish = (): LineResult => {
    const number = line++;
    if (skipped >= 0) {
      const result: LineResult = {
        line: number,
        raw: head,
        error: { code: "too_long", message: `the line is longer than ${maxLine} bytes` },
      };
      skipped = -1;
      head = "";
      return result;
    }
    let bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, size);
    parts = [];
    size = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    if (first) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    try {
      return { line: number, text: strict.decode(bytes) };
    } catch {
      return {
        line: number,
        raw: lenient.decode(bytes.subarray(0, 800)).slice(0, 200),
        error: { code: "encoding", message: "the line is not valid UTF-8" },
      };
    }
  };

  const append = (piece: Uint8Array) => {
    if (piece.length === 0) return;
    if (skipped >= 0) {
      skipped += piece.length;
      if (skipped > maxSkip) throw new InputNotLinesError(line, maxLine + skipped);
      return;
    }
    if (size + piece.length > maxLine) {
      head = lenient
        .decode(concat([...parts, piece.subarray(0, 800)], Math.min(size + piece.length, size + 800)))
        .slice(0, 200);
      parts = [];
      skipped = size + piece.length - maxLine;
      size = 0;
      if (first) first = false;
      return;
    }
    // Copy: the caller may reuse its buffer.
    parts.push(piece.slice());
    size += piece.length;
  };

  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl >= 0; nl = bytes.indexOf(10, start)) {
      append(bytes.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    append(bytes.subarray(start));
  }
  if (size > 0 || skipped >= 0) yield finish();
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    const take = Math.min(part.length, size - offset);
    out.set(part.subarray(0, take), offset);
    offset += take;
    if (offset >= size) break;
  }
  return out;
}
