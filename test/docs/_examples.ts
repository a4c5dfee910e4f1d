import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect } from "vitest";
import * as root from "../../src/index.js";
import * as testing from "../../src/testing/index.js";
import { FIXTURE_NAMES } from "./_fixtures.js";

/** One `@example` code block of the sources. */
export interface SourceExample {
  /** `src/…/file.ts:line` of the block. */
  where: string;
  /** `src/…/file.ts#n`: the n-th example of the file (stable while lines move). */
  key: string;
  /** The exported name the comment documents; absent for members and module comments. */
  declares?: string;
  /** The code, without the comment's leading `*`. */
  code: string;
}

const ROOT = join(import.meta.dirname, "../..");

/** The package's entries, as examples import them, and the sources they mean here. */
export const ENTRY: Readonly<Record<string, string>> = {
  "customer-context": join(ROOT, "src/index.ts"),
  "customer-context/testing": join(ROOT, "src/testing/index.ts"),
  "customer-context/testing/vitest": join(ROOT, "src/testing/vitest.ts"),
  "customer-context/sqlite": join(ROOT, "src/adapters/sqlite/index.ts"),
  "customer-context/postgres": join(ROOT, "src/adapters/postgres/index.ts"),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

/**
 * Every fenced code block inside an `@example` tag of a doc comment under `src/`, except the CLI
 * (its examples are shell commands).
 */
export function sourceExamples(): SourceExample[] {
  const out: SourceExample[] = [];
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const rel = relative(ROOT, file);
    if (rel.startsWith("src/cli/")) continue;
    const text = readFileSync(file, "utf8");
    let n = 0;
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const body = comment[0];
      const at = body.indexOf("@example");
      if (at < 0) continue;
      const start = (comment.index ?? 0) + at;
      const lines = body
        .slice(at)
        .split("\n")
        .map((line) => line.replace(/^\s*\*( |$)/, ""));
      const open = lines.findIndex((line) => /^\s*```(ts|typescript|js)?\s*$/.test(line));
      if (open < 0) continue;
      const close = lines.findIndex((line, i) => i > open && /^\s*```\s*$/.test(line));
      const code = lines.slice(open + 1, close < 0 ? undefined : close).join("\n");
      const line = text.slice(0, start).split("\n").length;
      const after = text.slice((comment.index ?? 0) + body.length).trimStart();
      const decl =
        /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|abstract\s+class|interface|type)\s+([A-Za-z0-9_$]+)/.exec(
          after,
        );
      out.push({
        where: `${rel}:${line}`,
        key: `${rel}#${n++}`,
        code,
        ...(decl ? { declares: decl[1] as string } : {}),
      });
    }
  }
  return out;
}

/** Every name (values and types) that the package's entries export, read by the TypeScript checker. */
export function publicNames(entries: readonly string[]): Set<string> {
  const program = ts.createProgram(
    entries.map((e) => join(ROOT, e)),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      skipLibCheck: true,
    },
  );
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  for (const entry of entries) {
    const file = program.getSourceFile(join(ROOT, entry));
    const symbol = file && checker.getSymbolAtLocation(file);
    if (symbol) for (const exported of checker.getExportsOfModule(symbol)) names.add(exported.name);
  }
  return names;
}

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

/** How {@link toModule} resolves names. */
export interface ModuleOptions {
  /** Module specifiers to rewrite (by default {@link ENTRY}: the package's entries to the sources). */
  entries?: Readonly<Record<string, string>>;
  /** The free names the fixtures give a value (by default those of `_fixtures.ts`). */
  fixtureNames?: readonly string[];
}

/**
 * The example as a module: its imports resolved to the sources, its body in a function of the
 * fixtures. A statement followed by a literal result comment (`f(x); // 3`) becomes a claim that
 * is checked; one followed by `// throws` must throw.
 */
export function toModule(example: { code: string }, options: ModuleOptions = {}): string {
  const entries = options.entries ?? ENTRY;
  const fixtureNames = options.fixtureNames ?? FIXTURE_NAMES;
  const imports: string[] = [];
  const body: string[] = [];
  for (const unit of units(example.code)) {
    const line = unit.code;
    const imp = /^\s*import\s+([\s\S]+?)\s+from\s+["']([^"']+)["'];?\s*$/.exec(line);
    if (imp) {
      const target = entries[imp[2] as string] ?? (imp[2] as string);
      imports.push(`import ${imp[1]} from ${JSON.stringify(target)};`);
      continue;
    }
    if (/^\s*import\s+["']([^"']+)["'];?\s*$/.test(line)) {
      const spec = (/["']([^"']+)["']/.exec(line) as RegExpExecArray)[1] as string;
      imports.push(`import ${JSON.stringify(entries[spec] ?? spec)};`);
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
    if (wanted.length > 0) imports.push(`import { ${wanted.join(", ")} } from ${JSON.stringify(entries[spec])};`);
  };
  fromEntry(Object.keys(root), "customer-context");
  fromEntry(
    Object.keys(testing).filter((n) => !(n in root)),
    "customer-context/testing",
  );
  if (used("fc")) imports.push('import fc from "fast-check";');
  if (used("expect")) imports.push(`import { expect } from ${JSON.stringify(entries.vitest ?? "vitest")};`);
  const prelude = fixtureNames.filter(used).map((name) => `const ${name} = __fixtures.${name};`);
  return [
    ...imports,
    "export default async function (__fixtures: any, __claim: (actual: unknown, expected: unknown, line: string) => void, __throws: (fn: () => Promise<void>, line: string) => Promise<void>) {",
    ...prelude,
    code,
    "}",
  ].join("\n");
}

/** A fixture set as {@link runExample} takes it: the values of the free names, and how to release them. */
export interface Fixtures {
  dispose(): Promise<void>;
}

/**
 * Writes the example as a module into `dir`, imports it and runs it with the fixtures, checking
 * its claims with vitest's `expect`. Returns what it threw, or `null` when it ran and held.
 * `after` runs after the body (for example to await the tests a page registers).
 */
export async function runExample(
  example: { where: string; code: string },
  file: string,
  fixtures: Fixtures,
  options: ModuleOptions & { after?: () => Promise<void> } = {},
): Promise<unknown> {
  writeFileSync(file, toModule(example, options));
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
    await options.after?.();
  })().then(
    () => null,
    (error: unknown) => error,
  );
  await fixtures.dispose();
  return outcome;
}

/** One fenced ```ts block of a Markdown page. */
export interface PageExample {
  /** `docs/page.md:line` of the block's first code line. */
  where: string;
  code: string;
}

/** Every fenced `ts` (or `typescript`) code block of a Markdown page under the repository root. */
export function pageExamples(page: string): PageExample[] {
  const lines = readFileSync(join(ROOT, page), "utf8").split("\n");
  const out: PageExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] as string)) continue;
    const close = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    const end = close < 0 ? lines.length : close;
    out.push({ where: `${page}:${i + 2}`, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return out;
}
