import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Bytes each fuzzy-matching input contributes to a minified bundle of `entry`. */
async function fuzzyBytes(entry: string): Promise<Record<string, number>> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "node",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(
        ([file, info]) => info.bytesInOutput > 0 && /identity\/fuzzy|jaro-winkler|levenshtein|metaphone/.test(file),
      )
      .map(([file, info]) => [file, info.bytesInOutput]),
  );
}

describe("fuzzy matching is tree-shakable", () => {
  it("leaves the string metrics out of a bundle that does not match", async () => {
    expect(await fuzzyBytes('export { threadEmails } from "./src/index.ts";')).toEqual({});
  }, 30_000);

  it("brings them in with suggestMatches", async () => {
    const bytes = await fuzzyBytes('export { suggestMatches } from "./src/index.ts";');
    expect(Object.keys(bytes).some((f) => f.includes("double-metaphone"))).toBe(true);
    expect(Object.keys(bytes).some((f) => f.includes("jaro-winkler"))).toBe(true);
  }, 30_000);
});
