import { describe, expect, it } from "vitest";
import { CsvSyntaxError, readCsv } from "./csv.js";

async function all(chunks: string[], delimiter?: string) {
  const out = [];
  async function* source() {
    yield* chunks;
  }
  for await (const record of readCsv(source(), delimiter !== undefined ? { delimiter } : {})) out.push(record);
  return out;
}

/** Every way of cutting `text` into two chunks gives the same records. */
async function sameForEverySplit(text: string) {
  const whole = await all([text]);
  for (let i = 1; i < text.length; i++) expect(await all([text.slice(0, i), text.slice(i)])).toEqual(whole);
  return whole;
}

describe("readCsv", () => {
  it("reads quoted fields with separators, escaped quotes and line breaks, with the line each record starts on", async () => {
    const text =
      '\uFEFFE-mail,Name,Note\r\njan@x.pl,"Kowalski, Jan","says ""hi"""\r\n\r\nada@y.pl,Ada,"two\nlines"\nbob@z.pl,,\n';
    const records = await sameForEverySplit(text);
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["E-mail", "Name", "Note"]],
      [2, ["jan@x.pl", "Kowalski, Jan", 'says "hi"']],
      [4, ["ada@y.pl", "Ada", "two\nlines"]],
      [6, ["bob@z.pl", "", ""]],
    ]);
    expect(records[1]?.raw).toBe('jan@x.pl,"Kowalski, Jan","says ""hi"""');
    expect(records[2]?.raw).toBe('ada@y.pl,Ada,"two\nlines"');
  });

  it("reads a last record without a line break, and another delimiter", async () => {
    expect((await all(["a;b\n1;2"], ";")).map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("rejects an unclosed quote and text after a closing quote, naming the line", async () => {
    await expect(all(['a,b\n1,"open\n'])).rejects.toThrow(new CsvSyntaxError(2, "a quoted field is not closed"));
    await expect(all(['a,b\n\n"x"y,2\n'])).rejects.toThrow(/line 3: text after a closing quote/);
    await expect(all(['a,b\nx"y,2\n'])).rejects.toThrow(/line 2: a quote inside an unquoted field/);
  });

  it("refuses a delimiter that cannot work", async () => {
    await expect(all(["a"], '"')).rejects.toThrow(TypeError);
  });
});
