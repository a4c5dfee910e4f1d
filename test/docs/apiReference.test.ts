import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publicNames } from "./_examples.js";

const ROOT = join(import.meta.dirname, "../..");

/**
 * The names docs/api.md lists for an entry: the lines between `<!-- exports: <entry> -->` and
 * `<!-- /exports -->` that hold nothing but backticked names separated by commas (the prose
 * around them may mention other things).
 */
function documentedNames(page: string, entry: string): string[] {
  const text = readFileSync(join(ROOT, page), "utf8");
  const start = text.indexOf(`<!-- exports: ${entry} -->`);
  const end = text.indexOf("<!-- /exports -->", start);
  if (start < 0 || end < 0) throw new Error(`${page} has no export list for ${entry}`);
  const list = /^`[A-Za-z_$][\w$]*`(, `[A-Za-z_$][\w$]*`)*$/;
  return text
    .slice(start, end)
    .split("\n")
    .filter((line) => list.test(line.trim()))
    .flatMap((line) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string));
}

describe("docs/api.md", () => {
  it("lists exactly what the root entry exports, each name once", () => {
    const documented = documentedNames("docs/api.md", "customer-context");
    expect(documented.length).toBeGreaterThan(100);
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
    const exported = [...publicNames(["src/index.ts"])];
    expect([...documented].sort()).toEqual(exported.sort());
  });

  it("keeps internals out of the root entry", () => {
    const exported = publicNames(["src/index.ts"]);
    const internals = ["parseInput", "toInputIssues", "keyType", "linkAnchor", "profileIdFor", "toIso", "LIMITS"];
    expect(internals.filter((name) => exported.has(name))).toEqual([]);
    expect(["REQUIRED_TRANSACTION_METHODS", "Id", "Name", "ShortText"].filter((n) => exported.has(n))).toEqual([]);
  });
});
