/**
 * Shared helpers for the benchmarks in bench/. Each benchmark is a module `bench/<name>.bench.ts`
 * that exports `run(): Promise<BenchReport>`; `npm run bench [name…]` runs them, prints a table
 * per report and writes `bench/results/<name>.json`.
 */
import os from "node:os";

/** One row of a result table: figure name -> value. */
export type BenchRow = Record<string, string | number | boolean | null>;

/** What a benchmark returns. */
export interface BenchReport {
  name: string;
  rows: BenchRow[];
  /** Targets with the measured figure and whether it was met. */
  targets?: Array<{ target: string; measured: string; met: boolean }>;
  notes?: string[];
}

/** The machine the figures were measured on. */
export function machine(): { node: string; cpu: string; cores: number; memoryGiB: number; platform: string } {
  return {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** Runs `fn` and returns elapsed milliseconds. */
export async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The q-quantile (0..1) of a list of numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/** `CC_BENCH_QUICK=1`: every benchmark runs a small workload (a smoke run of `npm run bench`). */
export const QUICK = process.env.CC_BENCH_QUICK === "1";

/** Heap in use after a forced GC (run node with --expose-gc for exact figures). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Rounds for display. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export { mulberry32 as rng } from "../src/_lib/random.js";
