/**
 * Child process of multiprocess.test.ts (and of bench/storage.bench.ts): its own PostgreSQL
 * adapter and pool on the shared schema; runs every `workers`-th operation of the workload
 * (starting at `index`) with `concurrency` operations in flight, and reports to the parent:
 * `{ type: "done", ops, ms, errors }`. An error is reported, never swallowed.
 * argv: connection string, schema, seed, customers, count, index, workers, concurrency.
 */
import { postgresAdapter } from "../../../src/adapters/postgres/index.js";
import { createCustomerContext } from "../../../src/context.js";
import { applyConcurrent, concurrentWorkload, FIXED_NOW } from "../concurrent-workload.js";

const [url = "", schema = "", seed = "1", customers = "1", count = "0", index = "0", workers = "1", concurrency = "1"] =
  process.argv.slice(2);
const all = concurrentWorkload(Number(seed), Number(customers), Number(count));
const mine = all.filter((_, i) => i % Number(workers) === Number(index));
const storage = postgresAdapter({ connectionString: url }, { schema, poolSize: Number(concurrency) });
const cc = createCustomerContext({ storage, clock: () => new Date(FIXED_NOW) });
const errors: string[] = [];
let next = 0;
let started = 0;

async function lane(): Promise<void> {
  while (next < mine.length) {
    const o = mine[next++];
    if (!o) break;
    try {
      await applyConcurrent(cc, o);
    } catch (error) {
      errors.push(`${o.kind} ${JSON.stringify(o.identifiers)}: ${(error as Error).message}`);
    }
  }
}

// Wait for the parent's go, so every worker starts writing at the same moment.
process.once("message", async () => {
  started = performance.now();
  try {
    await Promise.all(Array.from({ length: Number(concurrency) }, lane));
  } finally {
    const ms = performance.now() - started;
    await cc.close();
    process.send?.({ type: "done", ops: mine.length, ms, errors }, () => process.exit(0));
  }
});
process.send?.({ type: "ready" });
