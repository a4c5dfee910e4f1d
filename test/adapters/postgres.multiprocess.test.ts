import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dropPostgresSchema, freshPostgresAdapter, postgresUrl } from "../setup/fresh-postgres.js";

const WORKERS = 4;
const ITERATIONS = 100;
const worker = fileURLToPath(new URL("./workers/counter-worker.ts", import.meta.url));
const adapter = freshPostgresAdapter();
afterAll(async () => {
  await adapter.close();
  await dropPostgresSchema(adapter);
});

function runWorker(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [postgresUrl(), adapter.schema, String(ITERATIONS)], {
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(child.pid ?? 0) : reject(new Error(`worker exited with ${code}`)),
    );
  });
}

describe("postgres, several processes", () => {
  it(`${WORKERS} processes incrementing one counter under lock() end with the exact count`, async () => {
    await adapter.transaction(async (t) => t.put("counters", "shared", { n: 0 }));
    const pids = await Promise.all(Array.from({ length: WORKERS }, runWorker));
    await adapter.transaction(async (t) => {
      expect(await t.get("counters", "shared")).toEqual({ n: WORKERS * ITERATIONS });
      expect(await t.scan("increments")).toHaveLength(WORKERS * ITERATIONS);
      for (const pid of pids) expect(await t.find("increments", "pid", String(pid))).toHaveLength(ITERATIONS);
    });
  }, 60_000);
});
