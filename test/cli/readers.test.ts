/**
 * Issue 11, item 7: the CLI's readers never lose good rows: bad lines are rejected by number,
 * invalid UTF-8 is a rejected row, and a huge or endless line is bounded.
 */
import { createReadStream } from "node:fs";
import { describe, expect, it } from "vitest";
import { ingest } from "../../src/cli/ingest.js";
import { InputNotLinesError, readLines } from "../../src/cli/readers/readLines.js";
import { createCustomerContext } from "../../src/index.js";

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* chunks(...parts: (string | Uint8Array)[]) {
  yield* parts;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("readLines", () => {
  it("numbers every line, strips CR and a leading BOM, and is the same however the bytes are cut", async () => {
    const text = utf8("\ufeffa\r\nżółw\n\nlast");
    const whole = await collect(readLines(chunks(text)));
    expect(whole).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "żółw" },
      { line: 3, text: "" },
      { line: 4, text: "last" },
    ]);
    for (let i = 1; i < text.length; i++) {
      expect(await collect(readLines(chunks(text.subarray(0, i), text.subarray(i))))).toEqual(whole);
    }
  });

  it("rejects invalid UTF-8 (a lone byte, a truncated sequence, an overlong form) by line", async () => {
    const bad = [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80]];
    for (const bytes of bad) {
      const input = new Uint8Array([...utf8("ok\n"), ...bytes, ...utf8("\nfine\n")]);
      const lines = await collect(readLines(chunks(input)));
      expect(lines.map((l) => ("error" in l ? l.error.code : l.text))).toEqual(["ok", "encoding", "fine"]);
    }
  });

  it("drops an over-long line as it arrives and goes on with the next", async () => {
    const big = "x".repeat(2_500);
    const lines = await collect(readLines(chunks(`a\n${big}`, `${big}\nb\n`), { maxLineBytes: 1000 }));
    expect(lines.map((l) => ("error" in l ? `${l.line}:${l.error.code}` : `${l.line}:${l.text}`))).toEqual([
      "1:a",
      "2:too_long",
      "3:b",
    ]);
    const second = lines[1];
    expect(second && "raw" in second ? second.raw.length : 0).toBeLessThanOrEqual(200);
  });

  it("stops on /dev/zero instead of growing without bound", async () => {
    const before = process.memoryUsage().rss;
    await expect(collect(readLines(createReadStream("/dev/zero"), { maxLineBytes: 64 * 1024 }))).rejects.toThrow(
      InputNotLinesError,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("CLI ingest keeps every good row", () => {
  it("NDJSON: an invalid UTF-8 line and an over-long line are rejected by number, the others kept", async () => {
    const cc = createCustomerContext();
    const good = (n: number) => `{"kind":"identify","identifiers":[{"type":"email","value":"u${n}@shop.pl"}]}\n`;
    const input = new Uint8Array([
      ...utf8(good(1)),
      ...utf8('{"kind":"identify","identifiers":[{"type":"email","value":"bad'),
      0xff,
      ...utf8('@shop.pl"}]}\n'),
      ...utf8(good(3)),
    ]);
    const rejected: { line: number; code: string }[] = [];
    const summary = await ingest(chunks(input), cc, {
      onReject: (r) => rejected.push({ line: r.line, code: r.error.code }),
    });
    expect(rejected).toEqual([{ line: 2, code: "encoding" }]);
    expect(summary.kept).toBe(2);
    expect(summary.rejected).toBe(1);
    await cc.close();
  });

  it("CSV: one unclosed quote in row 5 of 1,000 rejects that row only; a stray quote in a name imports", async () => {
    const cc = createCustomerContext();
    const rows = ["E-mail,Name"];
    for (let i = 2; i <= 1000; i++) {
      if (i === 5) rows.push(`u${i}@shop.pl,"Broken`);
      else if (i === 600) rows.push(`u${i}@shop.pl,Lena "Lenchen" Mueller`);
      else rows.push(`u${i}@shop.pl,Name ${i}`);
    }
    const rejected: number[] = [];
    const summary = await ingest(chunks(`${rows.join("\n")}\n`), cc, {
      format: "csv",
      map: [
        { column: "E-mail", target: { identifier: "email" } },
        { column: "Name", target: { trait: "name" } },
      ],
      onReject: (r) => rejected.push(r.line),
    });
    expect(rejected).toEqual([5]);
    expect(summary.read).toBe(999);
    expect(summary.kept).toBe(998);
    const lena = await cc.profiles.get({ identifier: { type: "email", value: "u600@shop.pl" } });
    expect(lena?.traits.name).toBe('Lena "Lenchen" Mueller');
    await cc.close();
  });
});
