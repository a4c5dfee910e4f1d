/**
 * Benchmark runner: `npm run bench` runs every `bench/*.bench.ts`; `npm run bench -- identity`
 * runs the ones whose name contains a given word. Prints a table per benchmark and writes
 * `bench/results/<name>.json` with the machine it ran on.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchReport, machine } from "./lib.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

mkdirSync(path.join(here, "results"), { recursive: true });
const info = machine();
console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.platform}, node ${info.node}\n`);
let failures = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<BenchReport> };
  const started = Date.now();
  let report: BenchReport;
  try {
    report = await mod.run();
  } catch (error) {
    failures++;
    console.error(`${file} failed:`, error);
    continue;
  }
  console.log(`== ${report.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.table(report.rows);
  if (report.targets?.length) console.table(report.targets);
  for (const note of report.notes ?? []) console.log(`note: ${note}`);
  console.log();
  const out = path.join(here, "results", `${report.name}.json`);
  writeFileSync(out, `${JSON.stringify({ ...report, machine: info, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}\n`);
}
if (failures > 0) process.exitCode = 1;
