import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";

const dir = mkdtempSync(join(tmpdir(), "cc-sqlite-conformance-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runAdapterConformance({ name: "sqlite :memory:", createAdapter: () => sqliteAdapter({ filename: ":memory:" }) });
runAdapterConformance({
  name: "sqlite file",
  createAdapter: () => sqliteAdapter({ filename: join(dir, `${++n}.db`) }),
});
