/**
 * Child process of postgres.multiprocess.test.ts: its own adapter and pool, `iterations`
 * read-modify-write increments of one counter under `lock()`.
 * argv: connection string, schema, iterations.
 */
import { postgresAdapter } from "../../../src/adapters/postgres/index.js";

const [url = "", schema = "", iterations = "0"] = process.argv.slice(2);
const adapter = postgresAdapter({ connectionString: url }, { schema, poolSize: 2 });
try {
  for (let i = 0; i < Number(iterations); i++) {
    await adapter.transaction(async (t) => {
      await t.lock(["counter:shared", `worker:${process.pid}`]);
      const current = await t.get<{ n: number }>("counters", "shared");
      await new Promise((resolve) => setImmediate(resolve));
      await t.put("counters", "shared", { n: (current?.n ?? 0) + 1 });
      await t.put(
        "increments",
        `${process.pid}:${i}`,
        { pid: process.pid, i },
        { index: { pid: String(process.pid) } },
      );
    });
  }
} finally {
  await adapter.close();
}
