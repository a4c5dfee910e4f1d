import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEXES } from "../../src/shell/_lib/schema.js";

const ROOT = join(import.meta.dirname, "../..");

/** The rows of the table under "## The stored layout": collection -> its indexes. */
function documentedLayout(): Record<string, string[]> {
  const text = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
  const section = text.slice(text.indexOf("## The stored layout"), text.indexOf("## Where options are compiled"));
  const out: Record<string, string[]> = {};
  for (const line of section.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = /^`([a-z_]+)`$/.exec(cells[1] ?? "");
    if (!name) continue;
    out[name[1] as string] = [...(cells[3] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  }
  return out;
}

describe("docs/architecture.md, the stored layout", () => {
  it("lists every collection of src/shell/_lib/schema.ts with its indexes, and nothing else", () => {
    expect(documentedLayout()).toEqual(Object.fromEntries(Object.entries(INDEXES).map(([c, i]) => [c, [...i]])));
  });
});
