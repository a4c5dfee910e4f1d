import { defineConfig } from "vitest/config";

const src = (path: string) => new URL(`./src/${path}`, import.meta.url).pathname;

export default defineConfig({
  // Examples and tests import the package by name, as a user would; here the name means the sources.
  resolve: {
    alias: [
      { find: /^customer-context$/, replacement: src("index.ts") },
      { find: /^customer-context\/sqlite$/, replacement: src("adapters/sqlite/index.ts") },
      { find: /^customer-context\/postgres$/, replacement: src("adapters/postgres/index.ts") },
      { find: /^customer-context\/testing$/, replacement: src("testing/index.ts") },
      { find: /^customer-context\/testing\/vitest$/, replacement: src("testing/vitest.ts") },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["test/setup/postgres.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
