import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * DESIGN.md §1.7: everything outside src/adapters and src/cli runs unchanged in browsers and edge
 * workers. This scans the sources (tests excluded: they run in Node) for a Node built-in import and for
 * the Node-only globals, using the TypeScript parser so that comments and strings do not count.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const SRC = join(ROOT, "src");
const NODE_ONLY = new Set(["adapters", "cli"]);
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const FORBIDDEN_GLOBALS = new Set([
  "Buffer",
  "process",
  "__dirname",
  "__filename",
  "require",
  "global",
  "setImmediate",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return dir === SRC && NODE_ONLY.has(entry.name) ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every Node-only thing a source text uses: `file:line what`. */
function nodeOnlyUses(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push(`${fileName}:${line} ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      if (BUILTINS.has(specifier) || specifier.startsWith("node:")) report(node, `imports ${specifier}`);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && (BUILTINS.has(arg.text) || arg.text.startsWith("node:"))) {
        report(node, `imports ${arg.text}`);
      }
    } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isBindingElement(parent) && parent.propertyName === node);
      const isOwnBinding =
        (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent)) &&
        parent.name === node;
      if (!isMemberName && !isOwnBinding) report(node, `uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the isomorphic core", () => {
  it("uses no Node built-in, Buffer or process outside src/adapters and src/cli", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const uses = files.flatMap((file) => nodeOnlyUses(relative(ROOT, file), readFileSync(file, "utf8")));
    expect(uses).toEqual([]);
  });

  it("catches each kind of Node-only use, and not its look-alikes", () => {
    const bad = [
      'import { createHash } from "node:crypto";',
      'import { domainToASCII } from "url";',
      'export { readFile } from "node:fs/promises";',
      'const fs = await import("node:fs");',
      "const b = Buffer.from('x');",
      "if (process.env.X) {}",
      "const r = require('x');",
    ];
    for (const line of bad) expect(nodeOnlyUses("x.ts", line), line).toHaveLength(1);
    const fine = [
      "// the process restarts; Buffer in a comment",
      'const s = "process.env";',
      "const o = { process: 1 }; o.process;",
      'import { z } from "zod";',
    ];
    expect(nodeOnlyUses("y.ts", fine.join("\n"))).toEqual([]);
  });
});
