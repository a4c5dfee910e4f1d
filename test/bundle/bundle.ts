import { builtinModules } from "node:module";
import { build, type Metafile } from "esbuild";

export const ROOT = new URL("../../", import.meta.url).pathname;

export interface BundleResult {
  /** Minified size in bytes. */
  bytes: number;
  /** The packages (node_modules folders) that contributed code. */
  packages: string[];
  /** Node built-ins the bundle imports (left external, since a neutral platform has none). */
  nodeBuiltins: string[];
  text: string;
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Bundles `contents` (an ES module; `customer-context` resolves to `entry`) the way an edge or
 * browser user's bundler would: minified, tree-shaken, `platform: "neutral"`.
 */
export async function bundle(contents: string, entry = `${ROOT}src/index.ts`): Promise<BundleResult> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "module", "default"],
    alias: { "customer-context": entry },
    metafile: true,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  const meta = result.metafile as Metafile;
  const [outputMeta] = Object.values(meta.outputs);
  const packages = new Set<string>();
  for (const input of Object.keys(outputMeta?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match?.[1] && (outputMeta?.inputs[input]?.bytesInOutput ?? 0) > 0) packages.add(match[1]);
  }
  const nodeBuiltins = (outputMeta?.imports ?? []).map((i) => i.path).filter((path) => BUILTINS.has(path));
  return {
    bytes: output?.contents.length ?? 0,
    packages: [...packages].sort(),
    nodeBuiltins,
    text: output?.text ?? "",
  };
}
