/** Examples that cannot run inside a test, with the reason. Keyed `file#n` (the file's n-th example). */
export const NOT_RUNNABLE = new Map<string, string>([
  ["src/testing/conformance.ts#0", "registers vitest suites itself; the adapters' conformance tests run it as written"],
  ["src/testing/vitest.ts#0", "registers matchers at import time; test/testing/matchers.test.ts runs it as written"],
]);

/** Examples that do not run or do not hold yet. The test fails once one of them runs: then remove it. */
export const NOT_YET_TRUE = new Set<string>([]);
