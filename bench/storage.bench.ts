/**
 * Storage benchmark (DESIGN.md §5), each figure with its baseline from the same run.
 *
 * 1. `identify` throughput on the same deterministic workload (each observation names two of a
 *    customer's four identifiers, so profiles assemble from parts and merge): in memory (the
 *    same-run baseline), SQLite (a file in a temp dir), PostgreSQL with 1 and with 4 worker
 *    processes, each doing one operation at a time (target: >= 2k operations/s with 4 writers,
 *    and the PostgreSQL partition must equal the in-memory one).
 * 2. PostgreSQL `cc.ingest` in one process (target >= 10k rows/s, partition = memory).
 * 3. The CLI `ingest` of NDJSON rows into a SQLite file against better-sqlite3 inserting the
 *    same rows as JSON documents in batched transactions (target >= 20k rows/s and >= 0.05x).
 * 4. Storage calls per `identify`, counted with a wrapping adapter (each is one round trip on
 *    PostgreSQL, plus BEGIN and COMMIT).
 * 5. `context()` latency p50/p99 on PostgreSQL (target p99 <= 10 ms at 100k profiles), the store
 *    loaded with one `cc.ingest`.
 *
 * Sizes: `CC_BENCH_PROFILES` (default 20,000), `CC_BENCH_CLI_ROWS` (default 20,000);
 * `CC_BENCH_QUICK=1` runs everything small.
 *
 * PostgreSQL: `DATABASE_URL` if set (schemas `cc_bench_*` are created and dropped), otherwise a
 * throwaway cluster (`startThrowawayPostgres()`), stopped at the end.
 *
 * This file is also the worker: forked with `CC_STORAGE_BENCH_WORKER=1`, it runs its share of a
 * workload and reports `{ ops, ms, errors }` to the parent.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { memoryAdapter } from "../src/adapters/memory/index.js";
import { postgresAdapter } from "../src/adapters/postgres/index.js";
import { sqliteAdapter } from "../src/adapters/sqlite/index.js";
import { runCli } from "../src/cli/program.js";
import { type CustomerContext, createCustomerContext } from "../src/context.js";
import type { Identifier } from "../src/schema/primitives.js";
import type { StorageAdapter, StorageTransaction } from "../src/storage/port.js";
import { startThrowawayPostgres } from "../test/setup/postgres.js";
import { type BenchReport, QUICK, quantile, rng, round } from "./lib.js";

const NOW = "2026-06-01T00:00:00.000Z";
const START = Date.UTC(2026, 3, 1);
const IDENTIFY_OPS = QUICK ? 1000 : 2000;
const IDENTIFY_CUSTOMERS = QUICK ? 250 : 500;
/** DESIGN.md §5: the 4 writer processes do one operation at a time each. */
const IN_FLIGHT = 1;
/** The target is stated at 100k profiles (CC_BENCH_PROFILES=100000); the default keeps the run short. */
const CONTEXT_PROFILES = Number(process.env.CC_BENCH_PROFILES ?? (QUICK ? 2_000 : 20_000));
const CONTEXT_SAMPLES = QUICK ? 200 : 2000;
/** The target is stated at 100k rows (CC_BENCH_CLI_ROWS=100000). */
const CLI_ROWS = Number(process.env.CC_BENCH_CLI_ROWS ?? (QUICK ? 5_000 : 20_000));
const PG_INGEST_OPS = QUICK ? 2_000 : 5_000;

function identifiersOf(c: number): Identifier[] {
  return [
    { type: "email", value: `c${c}@x.pl` },
    { type: "phone", value: `+48601${String(c).padStart(6, "0")}` },
    { type: "crmId", value: `crm-${c}` },
    { type: "cookie", value: `ck-${c}` },
  ];
}

interface IdentifyOp {
  identifiers: Identifier[];
  at: string;
}

/** Observations naming two of a customer's four identifiers, at random times in April 2026. */
function identifyWorkload(seed: number, customers: number, count: number): IdentifyOp[] {
  const random = rng(seed);
  const out: IdentifyOp[] = [];
  for (let i = 0; i < count; i++) {
    const ids = identifiersOf(Math.floor(random() * customers));
    const a = Math.floor(random() * 4);
    const b = (a + 1 + Math.floor(random() * 3)) % 4;
    out.push({
      identifiers: [ids[a] as Identifier, ids[b] as Identifier],
      at: new Date(START + Math.floor(random() * 30 * 24 * 60) * 60_000).toISOString(),
    });
  }
  return out;
}

/** Loading for the context benchmark: customer c, seen with three identifiers, and every 10th with 3 interactions. */
async function loadCustomer(cc: CustomerContext, c: number): Promise<number> {
  const ids = identifiersOf(c).slice(0, 3);
  const at = new Date(START + (c % 1000) * 60_000).toISOString();
  await cc.identify({ identifiers: ids, at, channel: "web", traits: { segment: c % 7 } });
  if (c % 10 !== 0) return 1;
  for (let k = 0; k < 3; k++) {
    await cc.record({
      channel: ["email", "phone", "chat"][k] as string,
      direction: "inbound",
      at: new Date(Date.parse(at) + k * 3_600_000).toISOString(),
      customer: [ids[k] as Identifier],
      externalId: `c${c}-${k}`,
      subject: "Loan application",
      text: "About my loan",
    });
  }
  return 4;
}

/** The items of {@link loadCustomer} for customers 0..n-1, for `cc.ingest`. */
function* loadItems(n: number) {
  for (let c = 0; c < n; c++) {
    const ids = identifiersOf(c).slice(0, 3);
    const at = new Date(START + (c % 1000) * 60_000).toISOString();
    yield { kind: "identify" as const, identifiers: ids, at, channel: "web", traits: { segment: c % 7 } };
    if (c % 10 !== 0) continue;
    for (let k = 0; k < 3; k++) {
      yield {
        kind: "record" as const,
        channel: ["email", "phone", "chat"][k] as string,
        direction: "inbound" as const,
        at: new Date(Date.parse(at) + k * 3_600_000).toISOString(),
        customer: [ids[k] as Identifier],
        externalId: `c${c}-${k}`,
        subject: "Loan application",
        text: "About my loan",
      };
    }
  }
}

/** Runs `work(i)` for every i in `items`, `inFlight` at a time; returns the errors. */
async function runLanes<T>(items: readonly T[], inFlight: number, work: (item: T) => Promise<unknown>) {
  const errors: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        try {
          await work(item);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    }),
  );
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Worker side.

interface WorkerTask {
  url: string;
  schema: string;
  mode: "identify" | "load";
  index: number;
  workers: number;
  inFlight: number;
  seed: number;
  customers: number;
  count: number;
}

interface WorkerReport {
  ops: number;
  ms: number;
  errors: string[];
}

async function worker(task: WorkerTask): Promise<WorkerReport> {
  const storage = postgresAdapter({ connectionString: task.url }, { schema: task.schema, poolSize: task.inFlight });
  const cc = createCustomerContext({ storage, clock: () => new Date(NOW) });
  try {
    await storage.migrate();
    if (task.mode === "identify") {
      const mine = identifyWorkload(task.seed, task.customers, task.count).filter(
        (_, i) => i % task.workers === task.index,
      );
      const started = performance.now();
      const errors = await runLanes(mine, task.inFlight, (o) => cc.identify(o));
      return { ops: mine.length, ms: performance.now() - started, errors };
    }
    const mine: number[] = [];
    for (let c = task.index; c < task.customers; c += task.workers) mine.push(c);
    let ops = 0;
    const started = performance.now();
    const errors = await runLanes(mine, task.inFlight, async (c) => {
      const n = await loadCustomer(cc, c);
      ops += n;
    });
    return { ops, ms: performance.now() - started, errors };
  } finally {
    await cc.close();
  }
}

if (process.env.CC_STORAGE_BENCH_WORKER === "1") {
  process.once("message", (task: WorkerTask) => {
    worker(task).then(
      (report) => process.send?.(report, () => process.exit(0)),
      (error: unknown) => process.send?.({ ops: 0, ms: 0, errors: [String(error)] }, () => process.exit(1)),
    );
  });
}

async function runWorkers(task: Omit<WorkerTask, "index">): Promise<{ reports: WorkerReport[]; wallMs: number }> {
  const file = fileURLToPath(import.meta.url);
  const children = Array.from({ length: task.workers }, () =>
    fork(file, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, CC_STORAGE_BENCH_WORKER: "1" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const started = performance.now();
  const reports = await Promise.all(
    children.map(
      (child, index) =>
        new Promise<WorkerReport>((resolve, reject) => {
          child.once("message", (m: WorkerReport) => resolve(m));
          child.once("error", reject);
          child.once("exit", (code) => {
            if (code !== 0) reject(new Error(`worker ${index} exited with ${code}`));
          });
          child.send({ ...task, index });
        }),
    ),
  );
  return { reports, wallMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Parent side.

/**
 * The partition as `profileId: sorted keys`, sorted. Membership lives in the identifier index
 * (each identifier doc names its member group, each profile doc its group), so the partition is
 * read from both; `shared` counts identifiers whose group no profile holds (it must be 0).
 */
async function partition(storage: StorageAdapter): Promise<{ lines: string[]; shared: number }> {
  return storage.transaction(async (tx) => {
    const all = async <T>(collection: string) => {
      const out: T[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await tx.scan<T>(collection, { limit: 5000, ...(after !== undefined ? { after } : {}) });
        if (page.length === 0) return out;
        for (const { value } of page) out.push(value);
        after = page[page.length - 1]?.key;
      }
    };
    const profileOfGroup = new Map<string, string>();
    for (const p of await all<{ id: string; group: string }>("profiles")) profileOfGroup.set(p.group, p.id);
    const keysOf = new Map<string, string[]>();
    let shared = 0;
    for (const d of await all<{ key?: string; group?: string }>("identifiers")) {
      if (d.key === undefined || d.group === undefined) continue;
      const id = profileOfGroup.get(d.group);
      if (id === undefined) {
        shared++;
        continue;
      }
      keysOf.get(id)?.push(d.key) ?? keysOf.set(id, [d.key]);
    }
    const lines = [...keysOf].map(([id, keys]) => `${id}: ${keys.sort().join(" ")}`);
    return { lines: lines.sort(), shared };
  });
}

/** Counts the storage calls a context makes, by method. */
function countingAdapter(inner: StorageAdapter, counts: Map<string, number>): StorageAdapter {
  const wrap = (tx: StorageTransaction): StorageTransaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          counts.set(String(prop), (counts.get(String(prop)) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    transaction: (fn, options) =>
      inner.transaction((tx) => {
        counts.set("transaction", (counts.get("transaction") ?? 0) + 1);
        return fn(wrap(tx));
      }, options),
    close: () => inner.close(),
  };
}

async function inProcess(storage: StorageAdapter, ops: readonly IdentifyOp[]) {
  const cc = createCustomerContext({ storage, clock: () => new Date(NOW) });
  const started = performance.now();
  for (const o of ops) await cc.identify(o);
  const ms = performance.now() - started;
  const parts = await partition(storage);
  await cc.close();
  return { ms, parts };
}

export async function run(): Promise<BenchReport> {
  const notes: string[] = [];
  const rows: BenchReport["rows"] = [];
  const targets: NonNullable<BenchReport["targets"]> = [];
  const server = process.env.DATABASE_URL ? null : await startThrowawayPostgres();
  const url = process.env.DATABASE_URL ?? (server?.url as string);
  const schemas: string[] = [];
  const freshSchema = () => {
    const name = `cc_bench_${randomBytes(5).toString("hex")}`;
    schemas.push(name);
    return name;
  };
  const dir = mkdtempSync(join(tmpdir(), "cc-storage-bench-"));
  try {
    const ops = identifyWorkload(7, IDENTIFY_CUSTOMERS, IDENTIFY_OPS);

    // 1. identify throughput.
    const memory = await inProcess(memoryAdapter(), ops);
    rows.push({ figure: "identify/s, memory (baseline)", value: round(ops.length / (memory.ms / 1000), 0) });
    const sqlite = await inProcess(sqliteAdapter({ filename: join(dir, "bench.db") }), ops);
    rows.push({ figure: "identify/s, SQLite file", value: round(ops.length / (sqlite.ms / 1000), 0) });
    if (sqlite.parts.lines.join("\n") !== memory.parts.lines.join("\n"))
      notes.push("SQLite partition differs from memory!");

    for (const workers of [1, 4]) {
      const schema = freshSchema();
      const setup = postgresAdapter({ connectionString: url }, { schema, poolSize: 1 });
      await setup.migrate();
      const { reports, wallMs } = await runWorkers({
        url,
        schema,
        mode: "identify",
        workers,
        inFlight: IN_FLIGHT,
        seed: 7,
        customers: IDENTIFY_CUSTOMERS,
        count: IDENTIFY_OPS,
      });
      const errors = reports.flatMap((r) => r.errors);
      const slowest = Math.max(...reports.map((r) => r.ms));
      const parts = await partition(setup);
      await setup.close();
      const duplicates = parts.lines.length - memory.parts.lines.length;
      const same = parts.lines.join("\n") === memory.parts.lines.join("\n");
      const rate = ops.length / (slowest / 1000);
      rows.push({
        figure: `identify/s, PostgreSQL, ${workers} worker process(es) x ${IN_FLIGHT} in flight`,
        value: round(rate, 0),
        errors: errors.length,
        profiles: parts.lines.length,
        "extra profiles vs memory": duplicates,
        "identifiers in two profiles": parts.shared,
        "partition = memory": same,
        "wall ms incl. process start": round(wallMs, 0),
      });
      if (errors.length > 0) notes.push(`PostgreSQL ${workers} workers: ${errors.length} errors, first: ${errors[0]}`);
      if (workers === 4) {
        targets.push({
          target: "PostgreSQL, 4 writers, one operation at a time: >= 2k operations/s, result = memory",
          measured: `${round(rate, 0)} identify/s, ${duplicates} extra profiles, ${parts.shared} shared identifiers, ${errors.length} errors`,
          met: rate >= 2000 && duplicates === 0 && parts.shared === 0 && same && errors.length === 0,
        });
      }
    }

    // 1b. PostgreSQL ingest, one process: the same kind of workload, larger, as identify items.
    {
      const pgOps = identifyWorkload(9, Math.floor(PG_INGEST_OPS / 4), PG_INGEST_OPS);
      const schema = freshSchema();
      const storage = postgresAdapter({ connectionString: url }, { schema, poolSize: 2 });
      await storage.migrate();
      const cc = createCustomerContext({ storage, clock: () => new Date(NOW) });
      const started = performance.now();
      const summary = await cc.ingest(pgOps.map((o) => ({ kind: "identify" as const, ...o })));
      const ms = performance.now() - started;
      const reference = await inProcess(memoryAdapter(), pgOps);
      const parts = await partition(storage);
      await cc.close();
      const rate = pgOps.length / (ms / 1000);
      const same = parts.lines.join("\n") === reference.parts.lines.join("\n");
      rows.push({
        figure: "PostgreSQL cc.ingest, one process, rows/s",
        value: round(rate, 0),
        rows: pgOps.length,
        batches: summary.batches,
        "partition = memory": same,
      });
      targets.push({
        target: "PostgreSQL ingest, one process, loopback: >= 10k rows/s",
        measured: `${round(rate, 0)} rows/s, partition ${same ? "equals" : "DIFFERS from"} memory`,
        met: rate >= 10_000 && same,
      });
    }

    // 1c. The CLI into a SQLite file, against better-sqlite3 inserting the same rows as JSON
    // documents in batched transactions (1,000 rows each).
    {
      const file = join(dir, "rows.ndjson");
      const lines: string[] = [];
      const random = rng(5);
      for (let i = 0; i < CLI_ROWS; i++) {
        const c = Math.floor(random() * (CLI_ROWS / 4));
        const at = new Date(START + i * 1000).toISOString();
        lines.push(
          JSON.stringify(
            i % 2 === 0
              ? { kind: "identify", identifiers: identifiersOf(c).slice(0, 2 + (i % 3)), at, channel: "web" }
              : {
                  kind: "record",
                  channel: "email",
                  direction: "inbound",
                  at,
                  customer: [identifiersOf(c)[0]],
                  externalId: `m${i}`,
                  text: "About my loan application",
                },
          ),
        );
      }
      writeFileSync(file, `${lines.join("\n")}\n`);
      const db = join(dir, "cli.db");
      const out: string[] = [];
      const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } };
      const started = performance.now();
      // runCli takes the full argument vector: the first two entries are node and the script.
      const status = await runCli(
        ["node", "customer-context", "--db", db, "ingest", file, "--no-progress", "--json"],
        io,
      );
      const cliMs = performance.now() - started;
      const raw = new Database(join(dir, "raw.db"));
      raw.pragma("journal_mode = WAL");
      raw.pragma("synchronous = NORMAL");
      raw.exec("CREATE TABLE docs (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
      const insert = raw.prepare("INSERT INTO docs (value) VALUES (?)");
      const batch = raw.transaction((rowsOf: string[]) => {
        for (const row of rowsOf) insert.run(row);
      });
      const rawStarted = performance.now();
      for (let i = 0; i < lines.length; i += 1000) batch(lines.slice(i, i + 1000));
      const rawMs = performance.now() - rawStarted;
      raw.close();
      const cliRate = CLI_ROWS / (cliMs / 1000);
      const rawRate = CLI_ROWS / (rawMs / 1000);
      rows.push({ figure: "better-sqlite3 batched JSON inserts, rows/s (baseline)", value: round(rawRate, 0) });
      rows.push({
        figure: "CLI ingest NDJSON into SQLite, rows/s",
        value: round(cliRate, 0),
        rows: CLI_ROWS,
        exit: status,
      });
      targets.push({
        target: "CLI ingest into SQLite: >= 20k rows/s and >= 0.05x better-sqlite3",
        measured: `${round(cliRate, 0)} rows/s, ${round(cliRate / rawRate, 4)}x`,
        met: cliRate >= 20_000 && cliRate / rawRate >= 0.05 && status === 0,
      });
    }

    // 2. storage calls per identify (memory adapter, same code path in the shell).
    const counts = new Map<string, number>();
    const counted = createCustomerContext({
      storage: countingAdapter(memoryAdapter(), counts),
      clock: () => new Date(NOW),
    });
    const sample = ops.slice(0, 2000);
    for (const o of sample) await counted.identify(o);
    await counted.close();
    const perCall: Record<string, number> = {};
    let calls = 0;
    for (const [method, n] of [...counts].sort()) {
      if (method === "transaction") continue;
      perCall[method] = round(n / sample.length, 2);
      calls += n;
    }
    rows.push({
      figure: "storage calls per identify (first 2000 of the workload)",
      value: round(calls / sample.length, 2),
      ...perCall,
    });

    // 3. context() latency at CONTEXT_PROFILES profiles.
    const schema = freshSchema();
    const setup = postgresAdapter({ connectionString: url }, { schema, poolSize: 2 });
    await setup.migrate();
    // Loaded with one ingest: identify x3 identifiers per customer, every 10th with 3 interactions.
    const cc = createCustomerContext({ storage: setup, clock: () => new Date(NOW) });
    const loadStarted = performance.now();
    const loaded = await cc.ingest(loadItems(CONTEXT_PROFILES));
    const loadMs = performance.now() - loadStarted;
    rows.push({
      figure: `load ${CONTEXT_PROFILES} profiles with cc.ingest (identify x3, every 10th + 3 interactions)`,
      value: round(loadMs / 1000, 1),
      unit: "s",
      "items/s": round(loaded.read / (loadMs / 1000), 0),
      rejected: loaded.rejected.length,
    });
    const random = rng(11);
    const latencies: number[] = [];
    for (let i = 0; i < 100; i++) await cc.context({ identifier: identifiersOf(i)[0] as Identifier }); // warm up
    let missing = 0;
    for (let i = 0; i < CONTEXT_SAMPLES; i++) {
      const c = Math.floor(random() * CONTEXT_PROFILES);
      const started = performance.now();
      const view = await cc.context({ identifier: identifiersOf(c)[Math.floor(random() * 3)] as Identifier });
      latencies.push(performance.now() - started);
      if (!view) missing++;
    }
    await cc.close();
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    rows.push({
      figure: `context() latency, PostgreSQL, ${CONTEXT_PROFILES} profiles, ${CONTEXT_SAMPLES} random customers`,
      value: round(p99, 2),
      unit: "ms p99",
      p50: round(p50, 2),
      max: round(Math.max(...latencies), 2),
      "unknown customers": missing,
    });
    targets.push({
      target: `context() p99 <= 10 ms on PostgreSQL at ${CONTEXT_PROFILES} profiles`,
      measured: `p50 ${round(p50, 2)} ms, p99 ${round(p99, 2)} ms`,
      met: p99 <= 10 && missing === 0,
    });
    notes.push(
      `PostgreSQL: ${server ? "throwaway cluster (fsync off, synchronous_commit off)" : "DATABASE_URL"}; workers are separate node processes with their own pools, ${IN_FLIGHT} operations in flight each; throughput = operations / slowest worker's time (process start excluded).`,
    );
    return { name: "storage", rows, targets, notes };
  } finally {
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
    server?.stop();
  }
}
