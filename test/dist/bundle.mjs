// Bundles the built package (dist/) as a user's bundler would, so the published layout is held to the
// same budgets as the sources: `import { threadEmails }` <= 20 KB minified, and the context bundles
// for a neutral (edge) platform with no Node built-in.
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { build } from "esbuild";

const root = new URL("../../", import.meta.url).pathname;
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

async function bundle(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    alias: { "customer-context": `${root}dist/index.js` },
    metafile: true,
    logLevel: "silent",
  });
  const output = Object.values(result.metafile.outputs)[0];
  return {
    bytes: result.outputFiles[0].contents.length,
    builtins: output.imports.map((i) => i.path).filter((path) => builtins.has(path)),
    zod: Object.keys(output.inputs).some((input) => input.includes("node_modules/zod/")),
  };
}

const thread = await bundle('export { threadEmails } from "customer-context";');
assert.ok(thread.bytes <= 20 * 1024, `import { threadEmails } from dist is ${thread.bytes} bytes, over 20 KB`);
assert.equal(thread.zod, false, "import { threadEmails } from dist pulls zod");
const context = await bundle('export { createCustomerContext } from "customer-context";');
assert.deepEqual(context.builtins, [], "the context bundle imports Node built-ins");
console.log(
  `dist bundles: threadEmails ${(thread.bytes / 1024).toFixed(1)} KB, createCustomerContext ${(context.bytes / 1024).toFixed(1)} KB (minified)`,
);
