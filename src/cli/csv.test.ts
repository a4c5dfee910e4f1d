import { describe, expect, it } from "vitest";
import { type CsvRecord, type CsvRowError, readCsv } from "./csv.js";

async function all(
  chunks: (string | Uint8Array)[],
  delimiter?: string,
  extra: { maxRecordLines?: number; maxLineBytes?: number } = {},
) {
  const out: (CsvRecord | CsvRowError)[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const record of readCsv(source(), { ...(delimiter !== undefined ? { delimiter } : {}), ...extra }))
    out.push(record);
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
    expect(records.map((r) => [r.line, "fields" in r ? r.fields : r.error])).toEqual([
      [1, ["E-mail", "Name", "Note"]],
      [2, ["jan@x.pl", "Kowalski, Jan", 'says "hi"']],
      [4, ["ada@y.pl", "Ada", "two\nlines"]],
      [6, ["bob@z.pl", "", ""]],
    ]);
    expect(records[1]?.raw).toBe('jan@x.pl,"Kowalski, Jan","says ""hi"""');
    expect(records[2]?.raw).toBe('ada@y.pl,Ada,"two\nlines"');
  });

  it("reads a last record without a line break, and another delimiter", async () => {
    expect((await all(["a;b\n1;2"], ";")).map((r) => ("fields" in r ? r.fields : r.error))).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("rejects only the line of an unclosed quote, by number, and keeps every other row", async () => {
    const rows = ["name,email"];
    for (let i = 2; i <= 1000; i++) rows.push(i === 5 ? `"Broken,b${i}@shop.pl` : `Name ${i},b${i}@shop.pl`);
    const records = await all([`${rows.join("\n")}\n`]);
    const errors = records.filter((r) => "error" in r);
    expect(errors.map((e) => e.line)).toEqual([5]);
    expect(errors[0]?.error.message).toMatch(/not closed/);
    const good = records.filter((r): r is CsvRecord => "fields" in r);
    expect(good).toHaveLength(999);
    expect(good.map((r) => r.line)).toEqual(
      [1, ...Array.from({ length: 998 }, (_, i) => i + 2).filter((n) => n !== 5), 1000].slice(0, 999),
    );
  });

  it("gives an unclosed quote at most maxRecordLines lines, then re-reads the lines after it", async () => {
    const records = await all(['a,b\n"x,1\ny,2\nz,3\n'], undefined, { maxRecordLines: 2 });
    expect(records.map((r) => ["fields" in r ? r.fields : "error", r.line])).toEqual([
      [["a", "b"], 1],
      ["error", 2],
      [["y", "2"], 3],
      [["z", "3"], 4],
    ]);
  });

  it("still reads a legitimately quoted field over several lines", async () => {
    const records = await all(['a,b\n"one\ntwo\nthree",x\n']);
    expect(records.map((r) => ("fields" in r ? r.fields : r.error))).toEqual([
      ["a", "b"],
      ["one\ntwo\nthree", "x"],
    ]);
  });

  it("reads a stray quote inside an unquoted field as written (relaxed quotes)", async () => {
    const text = 'name,email\nLena "Lenchen" Mueller,lena@shop.pl\nJan,jan@shop.pl\n"a"b,c@shop.pl\nOla,ola@shop.pl\n';
    const records = await all([text]);
    expect(records.map((r) => ("fields" in r ? r.fields : r.error))).toEqual([
      ["name", "email"],
      ['Lena "Lenchen" Mueller', "lena@shop.pl"],
      ["Jan", "jan@shop.pl"],
      ['"a"b', "c@shop.pl"],
      ["Ola", "ola@shop.pl"],
    ]);
  });

  it("rejects a line of invalid UTF-8 by number instead of replacing it", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("a,b\nx,"),
      0xff,
      0xfe,
      ...new TextEncoder().encode("\ny,2\n"),
    ]);
    const records = await all([bytes]);
    expect(records.map((r) => ["fields" in r ? r.fields : r.error.code, r.line])).toEqual([
      [["a", "b"], 1],
      ["encoding", 2],
      [["y", "2"], 3],
    ]);
  });

  it("rejects an over-long line and goes on", async () => {
    const records = await all([`a,b\n${"x".repeat(5000)},1\nz,2\n`], undefined, { maxLineBytes: 1000 });
    expect(records.map((r) => ["fields" in r ? r.fields : r.error.code, r.line])).toEqual([
      [["a", "b"], 1],
      ["too_long", 2],
      [["z", "2"], 3],
    ]);
  });

  it("refuses a delimiter that cannot work", async () => {
    await expect(all(["a"], '"')).rejects.toThrow(TypeError);
  });
});
