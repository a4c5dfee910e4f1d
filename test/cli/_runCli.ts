/**
 * Runs the real CLI (`src/cli/main.ts` through tsx) in a child process, as a user would: the CLI
 * tests share this one runner instead of each keeping a copy.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const MAIN = resolve(import.meta.dirname, "../../src/cli/main.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** What one CLI run did. */
export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link cliRunner}. */
export interface CliRunnerOptions {
  /** Arguments put before every call's own (e.g. `["--db", "audit.sqlite"]`). */
  prefix?: readonly string[];
}

/**
 * A function that runs the CLI with the given arguments in `cwd`, without
 * `CUSTOMER_CONTEXT_DB` from the test's environment, and resolves with its exit status and output
 * (a non-zero exit resolves too; only a failure to run rejects).
 *
 * @param cwd - the working directory of every run (a temporary directory of the test)
 * @param options - arguments every run starts with
 * @returns the runner
 *
 * @example
 * ```ts
 * const cli = cliRunner(dir, { prefix: ["--db", "audit.sqlite"] });
 * const run = await cli("audit", "--json");
 * ```
 */
export function cliRunner(cwd: string, options: CliRunnerOptions = {}): (...args: string[]) => Promise<Run> {
  const env = { ...process.env };
  delete env.CUSTOMER_CONTEXT_DB;
  const prefix = options.prefix ?? [];
  return (...args) =>
    new Promise((done, fail) => {
      execFile(
        process.execPath,
        ["--import", TSX, MAIN, ...prefix, ...args],
        { cwd, env, timeout: 60_000 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== "number") fail(error);
          else done({ status: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    });
}
