import { defineConfig } from "tsup";

const external = ["vitest", "better-sqlite3", "pg", "fast-check"];

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      sqlite: "src/adapters/sqlite/index.ts",
      postgres: "src/adapters/postgres/index.ts",
      testing: "src/testing/index.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    splitting: true,
    treeshake: true,
    external,
    // ESM-only; inlined so that require() of the CJS build works on every Node 20 (require(esm)
    // arrived only in 20.19).
    noExternal: ["double-metaphone"],
  },
  {
    // The `customer-context` command. A separate build so the shebang lands only here.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: true,
    clean: false,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    external,
  },
]);
