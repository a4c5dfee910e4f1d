/**
 * identify() in memory, through the public API, on observations of 3 identifiers each, against a
 * bare union-find over the same identifier strings in the same run (the DESIGN.md §5 baseline).
 * Also the heap held per stored identifier. `BENCH_IDENTITY_N` sets the number of observations
 * (default 1,000,000).
 */
import { createCustomerContext, type Identifier } from "../src/index.js";
import { type BenchReport, heapUsed, rng, round, time } from "./lib.js";

const N = Number(process.env.BENCH_IDENTITY_N ?? 1_000_000);

/**
 * People seen about four times each: by email, by phone and by a browser cookie that is reset
 * every other visit. Times increase like a live stream, with 2% of observations arriving late.
 */
function workload(n: number): Array<{ identifiers: Identifier[]; at: string }> {
  const random = rng(42);
  const people = Math.max(1, Math.floor(n / 4));
  const start = Date.UTC(2026, 0, 1);
  const out: Array<{ identifiers: Identifier[]; at: string }> = [];
  for (let i = 0; i < n; i++) {
    const person = Math.floor(random() * people);
    const cookie = Math.floor(random() * 2) === 0 ? `ck-${person}` : `ck-${person}-${i}`;
    const late = random() < 0.02 ? 3_600_000 * 24 : 0;
    out.push({
      identifiers: [
        { type: "email", value: `person${person}@mail${person % 97}.pl` },
        { type: "phone", value: `+4860${String(1_000_000 + (person % 9_000_000)).padStart(7, "0")}` },
        { type: "cookie", value: cookie },
      ],
      at: new Date(start + i * 1000 - late).toISOString(),
    });
  }
  return out;
}

/** The baseline: union-find over the identifier strings, with path halving and union by size. */
function unionFind(observations: ReadonlyArray<{ identifiers: Identifier[] }>): number {
  const index = new Map<string, number>();
  const parent: number[] = [];
  const size: number[] = [];
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  for (const o of observations) {
    let root = -1;
    for (const id of o.identifiers) {
      const key = `${id.type}:${id.value}`;
      let i = index.get(key);
      if (i === undefined) {
        i = parent.length;
        index.set(key, i);
        parent.push(i);
        size.push(1);
      }
      if (root < 0) {
        root = find(i);
        continue;
      }
      let a = root;
      let b = find(i);
      if (a === b) continue;
      if ((size[a] as number) < (size[b] as number)) [a, b] = [b, a];
      parent[b] = a;
      size[a] = (size[a] as number) + (size[b] as number);
      root = a;
    }
  }
  let components = 0;
  for (let i = 0; i < parent.length; i++) if (parent[i] === i) components++;
  return components;
}

export async function run(): Promise<BenchReport> {
  const observations = workload(N);
  const distinct = new Set(observations.flatMap((o) => o.identifiers.map((i) => `${i.type}:${i.value}`))).size;

  let components = 0;
  const baselineMs = await time(() => {
    components = unionFind(observations);
  });

  const before = heapUsed();
  const cc = createCustomerContext({
    identity: { defaultRegion: "PL" },
    clock: () => new Date("2026-06-01T00:00:00Z"),
  });
  const oursMs = await time(async () => {
    for (const o of observations) await cc.identify(o);
  });
  const bytesPerIdentifier = (heapUsed() - before) / distinct;

  // The partitions agree: every person ends up as one profile.
  const sample = observations.slice(0, 200);
  const profiles = new Set<string>();
  for (const o of sample) profiles.add((await cc.profiles.find(o.identifiers[0] as Identifier))?.id ?? "?");

  const baselineRate = N / (baselineMs / 1000);
  const oursRate = N / (oursMs / 1000);
  const ratio = oursRate / baselineRate;
  await cc.close();
  return {
    name: "identity",
    rows: [
      {
        work: "bare union-find (baseline)",
        observations: N,
        identifiers: distinct,
        ms: round(baselineMs, 0),
        "obs/s": round(baselineRate, 0),
        components,
      },
      {
        work: "cc.identify, memory adapter",
        observations: N,
        identifiers: distinct,
        ms: round(oursMs, 0),
        "obs/s": round(oursRate, 0),
        "heap B/identifier": round(bytesPerIdentifier, 0),
      },
    ],
    targets: [
      { target: ">= 0.5x bare union-find throughput", measured: `${round(ratio, 4)}x`, met: ratio >= 0.5 },
      {
        target: "<= 400 heap bytes per identifier",
        measured: `${round(bytesPerIdentifier, 0)} B`,
        met: bytesPerIdentifier <= 400,
      },
    ],
    notes: [
      `${profiles.size} distinct profiles among the first 200 observations' emails (sanity check of the partition).`,
      "identify validates with zod, normalises (libphonenumber-js for phones), takes a transaction, stores link evidence and derived profiles; the baseline does none of that.",
    ],
  };
}
