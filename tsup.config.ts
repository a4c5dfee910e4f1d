import { defineConfig } from "tsup";

const external = ["vitest", "better-sqlite3", "pg", "fast-check"];

/** The public entries: `customer-context` and its subpaths. */
const entries = {
  index: "src/index.ts",
  sqlite: "src/adapters/sqlite/index.ts",
  postgres: "src/adapters/postgres/index.ts",
  testing: "src/testing/index.ts",
};

// No source maps in the tarball: they were 65% of it, the ESM build is one readable, unminified file
// per source module (a stack trace already points at the function that threw), and a map would point
// at src/ files the package does not ship.
export default defineConfig([
  {
    // ESM, one output file per source module (dist/index.js, dist/conversations/threadEmails.js, ...).
    // With `"sideEffects": false`, a user's bundler keeps only the modules an import reaches, so
    // `import { threadEmails }` does not bring the context's zod schemas along.
    entry: ["src/**/*.ts", "!src/**/*.test.ts", "!src/cli/**"],
    format: ["esm"],
    bundle: false,
    sourcemap: false,
    target: "node20",
    external,
  },
  {
    // CommonJS for require(): one bundle per entry (no tree-shaking is expected on this path).
    entry: entries,
    format: ["cjs"],
    dts: true,
    // import.meta.url (the adapters load their driver through createRequire) in the CommonJS build.
    shims: true,
    sourcemap: false,
    target: "node20",
    splitting: true,
    treeshake: true,
    external,
    // ESM-only; inlined so that require() of the CJS build works on every Node 20 (require(esm)
    // arrived only in 20.19).
    noExternal: ["double-metaphone"],
  },
  {
    // Type declarations for the ESM entries, and for `customer-context/testing/vitest`, whose import
    // registers the matchers (ESM only, as vitest is).
    entry: { ...entries, "testing/vitest": "src/testing/vitest.ts" },
    format: ["esm"],
    dts: { only: true },
    target: "node20",
    external,
  },
  {
    // The `customer-context` command. A separate build so the shebang lands only here.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: false,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    external,
  },
]);
