import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as root from "../../src/index.js";
import * as testing from "../../src/testing/index.js";
import { publicNames, type SourceExample, sourceExamples } from "./_examples.js";
import { createFixtures, FIXTURE_NAMES } from "./_fixtures.js";
import { NOT_RUNNABLE, NOT_YET_TRUE } from "./_knownExamples.js";

const ROOT = join(import.meta.dirname, "../..");
const OUT = join(import.meta.dirname, ".generated");
const ENTRY: Record<string, string> = {
  "customer-context": join(ROOT, "src/index.ts"),
  "customer-context/testing": join(ROOT, "src/testing/index.ts"),
  "customer-context/testing/vitest": join(ROOT, "src/testing/vitest.ts"),
  "customer-context/sqlite": join(ROOT, "src/adapters/sqlite/index.ts"),
  "customer-context/postgres": join(ROOT, "src/adapters/postgres/index.ts"),
};

/** `expr; // literal` at the end of a line: the example claims `expr` equals `literal`. */
function claim(line: string): { expr: string; expected: string } | null {
  const m = /^(\s*)(.+?);\s*\/\/\s*(.+?)\s*$/.exec(line);
  if (!m) return null;
  const [, , expr, expected] = m as unknown as [string, string, string, string];
  if (
    /^(const|let|var|await\s+cc\.close|return|import|export)\b/.test(expr) ||
    /[^=!<>]=[^=>]/.test(expr.replace(/=>/g, ""))
  )
    return null;
  if (expected.includes("…") || expected.includes("...")) return null;
  try {
    new Function(`return (${expected});`)();
  } catch {
    return null;
  }
  return { expr, expected };
}

/** The example as a module: its imports resolved to the sources, its body in a function of the fixtures. */
function toModule(example: SourceExample): string {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of example.code.split("\n")) {
    const imp = /^\s*import\s+(.+?)\s+from\s+["']([^"']+)["'];?\s*$/.exec(line);
    if (imp) {
      const target = ENTRY[imp[2] as string] ?? (imp[2] as string);
      imports.push(`import ${imp[1]} from ${JSON.stringify(target)};`);
      continue;
    }
    if (/^\s*import\s+["']([^"']+)["'];?\s*$/.test(line)) {
      const spec = (/["']([^"']+)["']/.exec(line) as RegExpExecArray)[1] as string;
      imports.push(`import ${JSON.stringify(ENTRY[spec] ?? spec)};`);
      continue;
    }
    const c = claim(line);
    body.push(c ? `__claim(${c.expr}, ${c.expected}, ${JSON.stringify(line.trim())});` : line);
  }
  const code = body.join("\n");
  const declared = (name: string) =>
    new RegExp(
      `\\b(const|let|var|function|class)\\s+(\\{[^}]*\\b${name}\\b[^}]*\\}|\\[[^\\]]*\\b${name}\\b[^\\]]*\\]|${name}\\b)`,
    ).test(code) || imports.some((i) => new RegExp(`\\b${name}\\b`).test(i.split(" from ")[0] as string));
  const used = (name: string) => new RegExp(`(^|[^.\\w$])${name}\\b`).test(code) && !declared(name);
  // Examples may use the documented API without importing it, as the reference shows it in context.
  const fromEntry = (names: string[], spec: string) => {
    const wanted = names.filter(used);
    if (wanted.length > 0) imports.push(`import { ${wanted.join(", ")} } from ${JSON.stringify(ENTRY[spec])};`);
  };
  fromEntry(Object.keys(root), "customer-context");
  fromEntry(
    Object.keys(testing).filter((n) => !(n in root)),
    "customer-context/testing",
  );
  if (used("fc")) imports.push('import fc from "fast-check";');
  if (used("expect")) imports.push('import { expect } from "vitest";');
  const prelude = FIXTURE_NAMES.filter(used).map((name) => `const ${name} = __fixtures.${name};`);
  return [
    ...imports,
    "export default async function (__fixtures: any, __claim: (actual: unknown, expected: unknown, line: string) => void) {",
    ...prelude,
    code,
    "}",
  ].join("\n");
}

describe("every @example in the sources runs", () => {
  mkdirSync(OUT, { recursive: true });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));
  // The public API: what the entries export (an internal name needs no example), and the members
  // and module comments, which belong to what they sit in.
  const names = publicNames(Object.values(ENTRY).map((path) => relative(ROOT, path)));
  const examples = sourceExamples().filter((e) => e.declares === undefined || names.has(e.declares));

  it("finds the examples, and the lists of exceptions name only examples that exist", () => {
    expect(examples.length).toBeGreaterThan(50);
    const keys = new Set(examples.map((e) => e.key));
    expect([...NOT_YET_TRUE, ...NOT_RUNNABLE.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });

  it.each(examples.map((e, i) => [e.where, e, i] as const))("%s", async (_where, example, i) => {
    if (NOT_RUNNABLE.has(example.key)) return;
    const file = join(OUT, `example${i}.ts`);
    writeFileSync(file, toModule(example));
    const fixtures = await createFixtures();
    const outcome = await (async () => {
      const mod = (await import(file)) as {
        default: (f: unknown, c: (a: unknown, e: unknown, l: string) => void) => Promise<void>;
      };
      await mod.default(fixtures, (actual, expected, line) => {
        expect(actual, `${example.where}: ${line}`).toEqual(expected);
      });
    })().then(
      () => null,
      (error: unknown) => error,
    );
    await fixtures.dispose();
    if (NOT_YET_TRUE.has(example.key)) {
      // A ratchet: an example listed as not yet true must still fail; once fixed, drop it from the list.
      expect(outcome, `${example.key} runs now: remove it from NOT_YET_TRUE`).not.toBeNull();
    } else if (outcome !== null) {
      throw outcome;
    }
  });
});
