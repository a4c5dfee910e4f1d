/**
 * vitest global setup: a throwaway PostgreSQL 15 for the tests.
 *
 * Unless `DATABASE_URL` is set, it copies a cached `initdb` result (made on the first run, kept
 * as `$TMPDIR/cc-postgres-template-*`) into a temp dir, starts the server with
 * `pg_ctl` on a free loopback port (unix socket inside the temp dir, trust auth, no fsync), as
 * the `postgres` user when the tests run as root, and provides the connection string to tests as
 * `inject("postgresUrl")`. Teardown stops the server and removes the dir.
 *
 * When PostgreSQL cannot start: with `CI=true` the run fails at once; otherwise the error is
 * provided as `inject("postgresError")` and every PostgreSQL test fails with it (never skipped).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection string of the test PostgreSQL, `""` when it could not start. */
    postgresUrl: string;
    /** Why PostgreSQL could not start, `""` when it runs. */
    postgresError: string;
  }
}

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  url: string;
  port: number;
  dir: string;
  /** Stops the server and removes its directory. Safe to call twice. */
  stop(): void;
}

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const INITDB_ARGS = ["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"];

/**
 * A data directory made by `initdb` once and kept in the temp dir, so later runs copy it (~0.5 s)
 * instead of running `initdb` (~2 s). Made under a unique name and renamed into place, so
 * concurrent runs never see a half-made template.
 */
function ensureTemplate(run: (command: string, args: string[]) => void, isRoot: boolean): string {
  const template = join(tmpdir(), `cc-postgres-template-${createHash("sha256").update(BIN).digest("hex").slice(0, 8)}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const building = mkdtempSync(join(tmpdir(), "cc-postgres-template-building-"));
  try {
    if (isRoot) chownToPostgres(building);
    run("initdb", ["-D", join(building, "data"), ...INITDB_ARGS]);
    try {
      renameSync(join(building, "data"), template);
    } catch {
      // Another run won the race; its template is as good.
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

function chownToPostgres(path: string): void {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  chownSync(path, uid, gid);
}

/**
 * Starts a PostgreSQL cluster in a new temp dir on a free loopback port.
 *
 * @returns The connection string and a synchronous `stop()`.
 * @example
 * ```ts
 * const pg = await startThrowawayPostgres();
 * try { console.log(pg.url); } finally { pg.stop(); }
 * ```
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "cc-postgres-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const run = (command: string, args: string[]) => {
    const file = join(BIN, command);
    if (isRoot) execFileSync("runuser", ["-u", "postgres", "--", file, ...args], { stdio: "pipe" });
    else execFileSync(file, args, { stdio: "pipe" });
  };
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!existsSync(join(BIN, "initdb"))) throw new Error(`no initdb in ${BIN} (set PG_BIN)`);
    if (isRoot) chownToPostgres(dir);
    const template = ensureTemplate(run, isRoot);
    try {
      execFileSync("cp", ["-a", template, data], { stdio: "pipe" });
    } catch {
      rmSync(data, { recursive: true, force: true });
      run("initdb", ["-D", data, ...INITDB_ARGS]);
    }
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    run("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", settings, "start"]);
    started = true;
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    stop();
    throw new Error(
      `could not start a throwaway PostgreSQL: ${(error as Error).message}\n${stderr}\n${serverLog}`.trim(),
      { cause: error },
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The vitest global setup hook: provides `postgresUrl` (and `postgresError`).
 *
 * @param project The vitest project, to `provide` values to tests.
 * @returns The teardown that stops the server.
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ["test/setup/postgres.ts"] } });
 * ```
 */
export async function setup(project: TestProject): Promise<() => void> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    project.provide("postgresUrl", fromEnv);
    project.provide("postgresError", "");
    return () => undefined;
  }
  const started = Date.now();
  try {
    const server = await startThrowawayPostgres();
    const onExit = () => server.stop();
    process.once("exit", onExit);
    project.provide("postgresUrl", server.url);
    project.provide("postgresError", "");
    console.log(`[postgres] throwaway PostgreSQL on port ${server.port}, started in ${Date.now() - started} ms`);
    return () => {
      process.off("exit", onExit);
      server.stop();
    };
  } catch (error) {
    if (process.env.CI === "true") throw error;
    const message = (error as Error).message;
    console.error(`[postgres] ${message}`);
    project.provide("postgresUrl", "");
    project.provide("postgresError", message);
    return () => undefined;
  }
}
