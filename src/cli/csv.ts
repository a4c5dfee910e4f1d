/**
 * A streaming CSV reader (RFC 4180): quoted fields with `""` escapes, separators and line breaks
 * inside quotes, CRLF or LF line ends, a leading byte-order mark.
 *
 * @module
 */

/** One CSV record with the line it starts on (1-based) and its raw text. */
export interface CsvRecord {
  /** Line number in the file where the record starts; the header is line 1. */
  line: number;
  fields: string[];
  /** The record as it appeared in the file, without its line break. */
  raw: string;
}

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
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
 * Reads CSV records from text chunks, as they arrive. Empty lines are skipped. A record with an
 * unterminated quote at the end of the input is a {@link CsvSyntaxError}; so is text after a closing
 * quote (`"a"b`).
 *
 * @param chunks - the file's text, in chunks of any size (a `Readable` with an encoding works)
 * @param options - `delimiter` (default `,`)
 * @returns an async iterator of records
 *
 * @example
 * ```ts
 * for await (const record of readCsv(createReadStream("contacts.csv", "utf8"))) {
 *   record.line;   // 1 for the header
 *   record.fields; // ["E-mail", "Phone", "Name"]
 * }
 * ```
 */
export async function* readCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TypeError(
      `delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const decoder = new TextDecoder("utf-8");
  let fields: string[] = [];
  let field = "";
  let raw = "";
  let quoted = false;
  let afterQuote = false;
  let fieldStarted = false;
  let line = 1;
  let startLine = 1;
  let carry = "";
  let first = true;

  const finish = (): CsvRecord | undefined => {
    fields.push(field);
    const record = { line: startLine, fields, raw };
    const empty = fields.length === 1 && field === "" && !fieldStarted;
    fields = [];
    field = "";
    raw = "";
    afterQuote = false;
    fieldStarted = false;
    return empty ? undefined : record;
  };

  /** Parses `text`; without `final`, a quote or CR at its very end waits for the next chunk. */
  const parse = (text: string, final: boolean): CsvRecord[] => {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      const last = i + 1 === text.length;
      if (!final && last && (ch === "\r" || (ch === '"' && quoted))) {
        carry = ch;
        break;
      }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            raw += '""';
            i++;
          } else {
            quoted = false;
            afterQuote = true;
            raw += ch;
          }
          continue;
        }
        if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) line++;
        field += ch;
        raw += ch;
        continue;
      }
      if (ch === '"') {
        if (fieldStarted) throw new CsvSyntaxError(startLine, "a quote inside an unquoted field");
        quoted = true;
        fieldStarted = true;
        raw += ch;
        continue;
      }
      if (ch === delimiter) {
        fields.push(field);
        field = "";
        fieldStarted = false;
        afterQuote = false;
        raw += ch;
        continue;
      }
      if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text[i + 1] === "\n") i++;
        const record = finish();
        if (record) out.push(record);
        line++;
        startLine = line;
        continue;
      }
      if (afterQuote) throw new CsvSyntaxError(startLine, "text after a closing quote");
      field += ch;
      fieldStarted = true;
      raw += ch;
    }
    return out;
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const pending = carry;
    carry = "";
    yield* parse(pending + text, false);
  }
  const rest = carry + decoder.decode();
  carry = "";
  yield* parse(rest, true);
  if (quoted) throw new CsvSyntaxError(startLine, "a quoted field is not closed");
  const record = finish();
  if (record) yield record;
}
