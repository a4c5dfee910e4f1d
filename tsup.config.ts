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
  },
  {
    // `customer-context/testing/vitest` registers matchers on vitest's `expect`: ESM only, as vitest is.
    entry: { "testing/vitest": "src/testing/vitest.ts" },
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: false,
    target: "node20",
    external,
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
