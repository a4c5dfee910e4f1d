/**
 * Chaos: several processes write through customer-context on PostgreSQL while their backends are
 * terminated (`pg_terminate_backend`) and the server restarts (`pg_ctl restart`). No process
 * dies, every failed operation rejects with a typed `storage_failure`, the next call works once
 * the server is back, no identifier ends up in two profiles and nothing committed is lost.
 *
 * It runs on a cluster of its own (restarting the shared test server would break other files).
 */
import { execFileSync, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { createCustomerContext } from "../../src/index.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../setup/postgres.js";

const WORKERS = 3;
const CHAOS_MS = 6_000;
const CALM_MS = 1_500;
const SCHEMA = "cc_chaos";
const worker = fileURLToPath(new URL("./workers/chaos-worker.ts", import.meta.url));

interface Report {
  committed: string[][];
  failures: Record<string, number>;
  untyped: string[];
  refused: number;
  finalError: string;
}

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(() => server?.stop());

function pgCtl(args: string[]): void {
  const file = join(process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin", "pg_ctl");
  const all = ["-D", join(server.dir, "data"), ...args];
  if (process.getuid?.() === 0) execFileSync("runuser", ["-u", "postgres", "--", file, ...all], { stdio: "pipe" });
  else execFileSync(file, all, { stdio: "pipe" });
}

/** Terminates every client backend but its own; returns how many it hit (0 while the server is down). */
async function terminateBackends(): Promise<number> {
  const client = new pg.Client({ connectionString: server.url });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const result = await client.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return Number(result.rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function startWorker(n: number): { ready: Promise<void>; done: Promise<Report>; stop: () => void } {
  const child = fork(worker, [server.url, SCHEMA, String(n)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  let report: Report | undefined;
  let isReady = () => {};
  const ready = new Promise<void>((resolve) => {
    isReady = resolve;
  });
  child.on("message", (message) => {
    if (message === "ready") isReady();
    else report = message as Report;
  });
  const done = new Promise<Report>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`worker ${n} died: exit code ${code}, signal ${signal}`));
    });
  });
  done.catch(() => undefined).finally(isReady);
  return { ready, done, stop: () => child.send("stop") };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("postgres chaos: lost connections and a restarting server", () => {
  it("no process dies, failures are typed, nothing committed is lost, no identifier is in two profiles", async () => {
    // Create the schema first, so that the workers' migrations do not race the first kill.
    const setup = postgresAdapter({ connectionString: server.url }, { schema: SCHEMA });
    await setup.migrate();
    await setup.close();

    const workers = Array.from({ length: WORKERS }, (_, n) => startWorker(n));
    // Chaos starts once every worker has committed once (forking with tsx takes a few seconds).
    await Promise.all(workers.map((w) => w.ready));
    let terminated = 0;
    let restarts = 0;
    const started = Date.now();
    while (Date.now() - started < CHAOS_MS) {
      terminated += await terminateBackends();
      const elapsed = Date.now() - started;
      if ((restarts === 0 && elapsed > CHAOS_MS / 3) || (restarts === 1 && elapsed > (2 * CHAOS_MS) / 3)) {
        pgCtl(["-l", join(server.dir, "server.log"), "-m", "fast", "-w", "-t", "30", "restart"]);
        restarts++;
      }
      await sleep(150 + Math.random() * 150);
    }
    await sleep(CALM_MS);
    for (const w of workers) w.stop();
    const reports = await Promise.all(workers.map((w) => w.done));

    expect(restarts).toBe(2);
    expect(terminated).toBeGreaterThan(0);
    const failed = reports.reduce((n, r) => n + Object.values(r.failures).reduce((a, b) => a + b, 0), 0);
    expect(failed).toBeGreaterThan(0);
    for (const report of reports) {
      expect(report.untyped).toEqual([]);
      expect(report.refused).toBe(0);
      expect(Object.keys(report.failures).filter((code) => code !== "storage_failure")).toEqual([]);
      expect(report.finalError).toBe("");
      expect(report.committed.length).toBeGreaterThan(0);
    }

    const cc = createCustomerContext({
      storage: postgresAdapter({ connectionString: server.url }, { schema: SCHEMA }),
      identity: { types: { email: { limit: 1000 }, cookie: { limit: 10 } }, autoBlock: false },
    });
    try {
      const ownerOf = async (value: string) => {
        const [type = "", v = ""] = value.split(":");
        return (await cc.profiles.get({ identifier: { type, value: v } }))?.id ?? null;
      };
      // Nothing committed is lost: every identifier of a committed observation is known, and the
      // identifiers seen together are in one profile.
      const profileIds = new Set<string>();
      for (const report of reports) {
        for (const values of report.committed) {
          const owners = await Promise.all(values.map(ownerOf));
          expect(owners[0], values.join(" + ")).not.toBeNull();
          expect(new Set(owners).size, values.join(" + ")).toBe(1);
          profileIds.add(owners[0] as string);
        }
      }
      // No identifier is in two profiles.
      const seen = new Map<string, string>();
      for (const id of profileIds) {
        const view = await cc.context({ profileId: id });
        expect(view).not.toBeNull();
        for (const identifier of view?.identifiers ?? []) {
          const key = `${identifier.type}:${identifier.value}`;
          expect(seen.get(key) ?? id, key).toBe(id);
          seen.set(key, id);
        }
      }
    } finally {
      await cc.close();
    }
  }, 90_000);
});
