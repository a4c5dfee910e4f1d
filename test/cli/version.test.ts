import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
    out,
    err,
  };
}

describe("customer-context --version", () => {
  it.each(["--version", "-V"])("prints the package version for %s and exits 0", async (flag) => {
    const { io, out } = capture();
    const status = await runCli(["node", "customer-context", flag], io as never);
    expect(status).toBe(0);
    expect(out.join("").trim()).toBe(version);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
