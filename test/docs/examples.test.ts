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

/** How far `line` opens brackets, outside strings and comments. */
function depthChange(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && line[i + 1] === "/") break;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
  }
  return depth;
}

/** A statement of an example (one or more lines) and the result comment that follows it, if any. */
interface Unit {
  code: string;
  comment?: string;
}

/**
 * The example cut into statements, each with the result comment written after it: on its own
 * last line (`f(x); // 3`) or on comment lines of their own below it (`f(x);` then `// 3`).
 */
function units(code: string): Unit[] {
  const out: Unit[] = [];
  let open: string[] = [];
  let depth = 0;
  for (const line of code.split("\n")) {
    const comment = /^\s*\/\/\s?(.*)$/.exec(line);
    const last = out[out.length - 1];
    if (comment && open.length === 0) {
      if (last && /;\s*$/.test(last.code))
        last.comment = last.comment === undefined ? (comment[1] ?? "") : `${last.comment} ${comment[1] ?? ""}`;
      else out.push({ code: line });
      continue;
    }
    open.push(line);
    depth += depthChange(line);
    if (depth > 0) continue;
    const text = open.join("\n");
    const trailing = /^([\s\S]*?;)\s*\/\/\s?(.*)$/.exec(text);
    out.push(
      trailing && depthChange(trailing[1] as string) === 0
        ? { code: trailing[1] as string, comment: trailing[2] as string }
        : { code: text },
    );
    open = [];
    depth = 0;
  }
  if (open.length > 0) out.push({ code: open.join("\n") });
  return out;
}

/** A statement that is an expression, and a result comment that is a literal: the example claims they are equal. */
function claim(unit: Unit): { expr: string; expected: string } | null {
  if (unit.comment === undefined) return null;
  const m = /^\s*([\s\S]+?);\s*$/.exec(unit.code);
  if (!m) return null;
  const expr = m[1] as string;
  const expected = unit.comment.trim();
  if (/^(const|let|var|await\s+cc\.close|return|import|export|if|for|while)\b/.test(expr.trim())) return null;
  if (/[^=!<>]=[^=>]/.test(expr.replace(/=>/g, ""))) return null;
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
  for (const unit of units(example.code)) {
    const line = unit.code;
    const imp = /^\s*import\s+([\s\S]+?)\s+from\s+["']([^"']+)["'];?\s*$/.exec(line);
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
    const said = `${line.trim()}${unit.comment === undefined ? "" : ` // ${unit.comment}`}`;
    if (unit.comment !== undefined && /^(throws|rejects)\b/.test(unit.comment.trim())) {
      body.push(`await __throws(async () => { ${line} }, ${JSON.stringify(said)});`);
      continue;
    }
    const c = claim(unit);
    body.push(c ? `__claim(${c.expr}, ${c.expected}, ${JSON.stringify(said)});` : line);
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
    "export default async function (__fixtures: any, __claim: (actual: unknown, expected: unknown, line: string) => void, __throws: (fn: () => Promise<void>, line: string) => Promise<void>) {",
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
        default: (
          f: unknown,
          c: (a: unknown, e: unknown, l: string) => void,
          t: (fn: () => Promise<void>, l: string) => Promise<void>,
        ) => Promise<void>;
      };
      await mod.default(
        fixtures,
        (actual, expected, line) => {
          expect(actual, `${example.where}: ${line}`).toEqual(expected);
        },
        async (fn, line) => {
          await expect(fn(), `${example.where}: ${line}`).rejects.toThrow();
        },
      );
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
