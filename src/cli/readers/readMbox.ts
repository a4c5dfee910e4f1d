/**
 * Streaming mbox splitter for the CLI: cuts a mailbox file into messages as its bytes arrive, so a
 * 1 GB mailbox never sits in memory whole; only one message at a time does, up to a bound.
 *
 * @module
 */

/** One message of an mbox: its bytes (the `From ` line removed, `>From ` unquoted), or why not. */
export type MboxMessage =
  | {
      /** 1-based number of the message in the file. */
      message: number;
      /** Line of the file its `From ` separator is on (1-based). */
      line: number;
      /** Byte offset of the `From ` separator in the file. */
      offset: number;
      /** Bytes the message takes in the file, separator and trailing blank line included. */
      length: number;
      /** The message as RFC 5322 bytes. */
      bytes: Uint8Array;
    }
  | {
      message: number;
      line: number;
      offset: number;
      length: number;
      error: { code: "too_long"; message: string };
    };

/** Options of {@link readMbox}. */
export interface ReadMboxOptions {
  /** Largest message accepted, in bytes. A larger one is reported as `too_long`, its bytes dropped as they arrive. Default 32 MiB. */
  maxMessageBytes?: number;
}

/** The input does not start with a `From ` line, so it is not an mbox. */
export class NotMboxError extends Error {
  constructor(line: number) {
    super(`line ${line} is not a "From " line: the input is not an mbox file`);
    this.name = "NotMboxError";
  }
}

const DEFAULT_MAX_MESSAGE = 32 * 1024 * 1024;
const FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "
const latin1 = new TextDecoder("latin1");
/** A separator after a blank line: `From <sender> <date>`, where the date has a time of day (`Thu Apr  2 10:00:00 2026`). */
const SEPARATOR = /^From \S+\s.*\b\d{1,2}:\d\d(?::\d\d)?\b/;
/**
 * A separator without a blank line before it (some writers leave it out): only the exact
 * `From <sender> <asctime>` form, e.g. `From 1634@xxx Sat Apr 04 10:00:00 +0000 2026`.
 */
const STRICT_SEPARATOR =
  /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d\d:\d\d(?::\d\d)?(?: [+-]\d{4})? \d{4}\r?\n?$/;

function startsWithFrom(line: Uint8Array, at: number): boolean {
  if (line.length < at + FROM.length) return false;
  for (let i = 0; i < FROM.length; i++) if (line[at + i] !== FROM[i]) return false;
  return true;
}

/** True for an empty line (`\n` or `\r\n`). */
function isBlank(line: Uint8Array): boolean {
  return line.length === 1 || (line.length === 2 && line[0] === 13);
}

/**
 * Splits an mbox into messages. A message starts at a `From ` line that opens the file or follows
 * a blank line and looks like a separator (`From <sender> <date with a time>`), or at an exact
 * `From <sender> <asctime date>` line anywhere, so a body line that merely begins with "From " is
 * not a cut. Body lines quoted as `>From `, `>>From `, … lose one `>`
 * (mboxrd; this also reads mboxo, whose only quoting is `>From `). The blank line before the next
 * separator belongs to the format and is removed. Each message is held in memory alone, up to
 * `maxMessageBytes`; a longer one is reported as an error and the next message is read on.
 *
 * @param input The file's bytes, e.g. `createReadStream(path)` without an encoding.
 * @param options The size bound of one message.
 * @returns An async iterator of {@link MboxMessage}s, in file order.
 * @throws {NotMboxError} when the first non-empty line is not a `From ` separator.
 * @example
 * ```ts
 * for await (const m of readMbox(createReadStream("support.mbox"))) {
 *   if ("error" in m) console.error(`message ${m.message}: ${m.error.message}`);
 *   else handle(m.bytes);
 * }
 * ```
 */
export async function* readMbox(
  input: AsyncIterable<string | Uint8Array>,
  options: ReadMboxOptions = {},
): AsyncGenerator<MboxMessage> {
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
  const encoder = new TextEncoder();
  let parts: Uint8Array[] = [];
  let size = 0;
  let tooLong = false;
  let started = false;
  let count = 0;
  let startLine = 0;
  let startOffset = 0;
  let lineNumber = 0;
  let offset = 0;
  let previousBlank = true;
  /** A blank line held back: it is the separator's if a `From ` line follows, the body's otherwise. */
  let pendingBlank: Uint8Array | null = null;
  let carry: Uint8Array[] = [];
  let carrySize = 0;

  const add = (piece: Uint8Array) => {
    if (tooLong) return;
    if (size + piece.length > max) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  const finish = (end: number): MboxMessage | null => {
    if (!started) return null;
    const base = { message: count, line: startLine, offset: startOffset, length: end - startOffset };
    if (tooLong) {
      return { ...base, error: { code: "too_long", message: `the message is longer than ${max} bytes` } };
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { ...base, bytes };
  };

  /** Handles one complete line (with its line break, if any); returns a finished message, if one ended. */
  const onLine = (line: Uint8Array): MboxMessage | null => {
    lineNumber++;
    const lineOffset = offset;
    offset += line.length;
    let done: MboxMessage | null = null;
    if (
      startsWithFrom(line, 0) &&
      (previousBlank ? SEPARATOR : STRICT_SEPARATOR).test(latin1.decode(line.subarray(0, 200)))
    ) {
      done = finish(lineOffset - (pendingBlank?.length ?? 0));
      if (done) done.length += pendingBlank?.length ?? 0;
      pendingBlank = null;
      started = true;
      count++;
      startLine = lineNumber;
      startOffset = lineOffset;
      parts = [];
      size = 0;
      tooLong = false;
      previousBlank = false;
      return done;
    }
    if (!started) {
      if (isBlank(line)) return null;
      throw new NotMboxError(lineNumber);
    }
    if (pendingBlank) {
      add(pendingBlank);
      pendingBlank = null;
    }
    previousBlank = isBlank(line);
    if (previousBlank) {
      pendingBlank = line;
      return null;
    }
    // mboxrd: ">From ", ">>From ", … lose one ">".
    let quotes = 0;
    while (line[quotes] === 0x3e) quotes++;
    add(quotes > 0 && startsWithFrom(line, quotes) ? line.subarray(1) : line);
    return null;
  };

  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl >= 0; nl = bytes.indexOf(10, start)) {
      let line: Uint8Array;
      if (carrySize > 0) {
        line = concat([...carry, bytes.subarray(start, nl + 1)]);
        carry = [];
        carrySize = 0;
      } else {
        // Copy: the caller may reuse its buffer.
        line = bytes.slice(start, nl + 1);
      }
      start = nl + 1;
      const done = onLine(line);
      if (done) yield done;
    }
    if (start < bytes.length) {
      const rest = bytes.subarray(start);
      // A line without a break longer than a message cannot be kept: count its bytes only.
      if (carrySize + rest.length > max + 1024) {
        const merged = concat([...carry, rest]);
        carry = [merged.subarray(0, 1024).slice()];
        carrySize = carry[0]?.length ?? 0;
        tooLong = started;
        offset += merged.length - carrySize;
        if (!started) throw new NotMboxError(lineNumber + 1);
      } else {
        carry.push(rest.slice());
        carrySize += rest.length;
      }
    }
  }
  if (carrySize > 0) {
    const done = onLine(concat(carry));
    if (done) yield done;
  }
  // A blank line at the very end is the format's, like the one before each separator.
  const last = finish(offset);
  if (last) yield last;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
