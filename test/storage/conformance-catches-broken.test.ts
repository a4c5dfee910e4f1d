import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

it("fails an adapter whose transactions do not roll back", () => {
  const out = path.join(os.tmpdir(), `cc-broken-${process.pid}.json`);
  try {
    execFileSync(
      process.execPath,
      [
        "node_modules/vitest/vitest.mjs",
        "run",
        "--config",
        "test/fixtures/vitest.fixtures.config.ts",
        "--reporter=json",
        `--outputFile=${out}`,
      ],
      { stdio: "ignore", env: { ...process.env, CI: "" } },
    );
    expect.unreachable("the conformance suite passed a broken adapter");
  } catch (error) {
    expect((error as { status?: number }).status).toBe(1);
  }
  const report = JSON.parse(readFileSync(out, "utf8")) as {
    testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
  };
  rmSync(out, { force: true });
  const results = report.testResults.flatMap((r) => r.assertionResults);
  const failed = results.filter((r) => r.status === "failed").map((r) => r.title);
  expect(failed).toContain("rolls back every write when the function throws halfway, and rethrows the same error");
  expect(failed).toContain("rolls back a rejected promise that is not an Error");
  // Everything unrelated to rollback still passes: the suite pinpoints the bug.
  expect(results.filter((r) => r.status === "passed").length).toBeGreaterThan(10);
}, 60_000);
