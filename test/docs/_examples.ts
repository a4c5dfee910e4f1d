import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

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
