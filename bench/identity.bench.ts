/**
 * Identity in memory, through the public API, on observations of 3 identifiers each, against a
 * bare union-find over the same identifier strings in the same run (the DESIGN.md §5 baseline):
 *
 * - `cc.ingest` of all N observations (target >= 0.3x the union-find), and the heap held per
 *   stored identifier afterwards (target <= 400 B);
 * - `cc.identify` one call at a time on the first `BENCH_IDENTIFY_SINGLE_N` observations
 *   (target >= 0.1x);
 * - flat cost: one `identify` that adds an identifier to a profile of 10 and of 10k identifiers
 *   (target: at 10k <= 2x the cost at 10).
 *
 * `BENCH_IDENTITY_N` sets N (default 200,000; the target is stated at 1,000,000);
 * `CC_BENCH_QUICK=1` runs everything small.
 */
import { createCustomerContext, type Identifier } from "../src/index.js";
import { type BenchReport, heapUsed, QUICK, rng, round, time } from "./lib.js";

// DESIGN.md §5 states the targets at 1M observations; the default keeps the full `npm run bench`
// within about 15 minutes on a shared 2-core machine (set BENCH_IDENTITY_N=1000000 for the full size).
const N = Number(process.env.BENCH_IDENTITY_N ?? (QUICK ? 20_000 : 200_000));
const SINGLE_N = Math.min(N, Number(process.env.BENCH_IDENTIFY_SINGLE_N ?? (QUICK ? 2_000 : 20_000)));
const FLAT_LARGE = QUICK ? 1_000 : 9_500;
const FLAT_CALLS = QUICK ? 50 : 300;

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

const DEVICE_TYPES = Array.from({ length: 11 }, (_, i) => `device${i}`);
/** The n-th device identifier: a thousand per type. */
const device = (n: number): Identifier => ({ type: DEVICE_TYPES[Math.floor(n / 1000)] as string, value: `d${n}` });

/**
 * Milliseconds per `identify` that adds one new identifier to a profile already holding `size`
 * identifiers (the profile is built with `ingest`, 31 new cookies per item).
 */
async function costAtSize(size: number): Promise<number> {
  const cc = createCustomerContext({
    // A type may allow at most 1,000 values: ten device types make room for 10k identifiers.
    // Auto-blocking off: one email seen with thousands of devices would otherwise stop linking.
    identity: { autoBlock: false, types: Object.fromEntries(DEVICE_TYPES.map((t) => [t, { limit: 1000 }])) },
    clock: () => new Date("2026-06-01T00:00:00Z"),
  });
  const anchor: Identifier = { type: "email", value: "big@x.pl" };
  const start = Date.UTC(2026, 0, 1);
  const items: Array<{ kind: "identify"; identifiers: Identifier[]; at: string }> = [];
  for (let i = 0; i < size; i += 31) {
    const cookies = Array.from({ length: Math.min(31, size - i) }, (_, j) => device(i + j));
    items.push({ kind: "identify", identifiers: [anchor, ...cookies], at: new Date(start + i * 1000).toISOString() });
  }
  await cc.ingest(items);
  const held = (await cc.profiles.find(anchor))?.identifiers.length ?? 0;
  if (held !== size + 1) throw new Error(`flat-cost setup: the profile holds ${held} identifiers, not ${size + 1}`);
  const later = start + size * 1000;
  for (let i = 0; i < 20; i++) {
    await cc.identify({ identifiers: [anchor, device(size + i)], at: new Date(later + i).toISOString() });
  }
  const ms = await time(async () => {
    for (let i = 0; i < FLAT_CALLS; i++) {
      await cc.identify({
        identifiers: [anchor, device(size + 20 + i)],
        at: new Date(later + 100 + i * 1000).toISOString(),
      });
    }
  });
  await cc.close();
  return ms / FLAT_CALLS;
}

export async function run(): Promise<BenchReport> {
  const observations = workload(N);
  const distinct = new Set(observations.flatMap((o) => o.identifiers.map((i) => `${i.type}:${i.value}`))).size;

  let components = 0;
  const baselineMs = await time(() => {
    components = unionFind(observations);
  });
  const baselineRate = N / (baselineMs / 1000);

  // ingest of everything, then the heap it holds.
  const before = heapUsed();
  const cc = createCustomerContext({
    identity: { defaultRegion: "PL" },
    clock: () => new Date("2026-06-01T00:00:00Z"),
  });
  let summary: Awaited<ReturnType<typeof cc.ingest>> | undefined;
  const ingestMs = await time(async () => {
    summary = await cc.ingest(observations.map((o) => ({ kind: "identify" as const, ...o })));
  });
  const bytesPerIdentifier = (heapUsed() - before) / distinct;
  const ingestRate = N / (ingestMs / 1000);

  // The partitions agree: every person ends up as one profile.
  const sample = observations.slice(0, 200);
  const profiles = new Set<string>();
  for (const o of sample) profiles.add((await cc.profiles.find(o.identifiers[0] as Identifier))?.id ?? "?");
  await cc.close();

  // identify one call at a time, on a fresh store.
  const single = createCustomerContext({
    identity: { defaultRegion: "PL" },
    clock: () => new Date("2026-06-01T00:00:00Z"),
  });
  const singleMs = await time(async () => {
    for (let i = 0; i < SINGLE_N; i++) await single.identify(observations[i] as (typeof observations)[number]);
  });
  await single.close();
  const singleRate = SINGLE_N / (singleMs / 1000);

  const small = await costAtSize(10);
  const large = await costAtSize(FLAT_LARGE);
  const flat = large / small;

  const ratio = ingestRate / baselineRate;
  const singleRatio = singleRate / baselineRate;
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
        work: "cc.ingest, memory adapter",
        observations: N,
        identifiers: distinct,
        ms: round(ingestMs, 0),
        "obs/s": round(ingestRate, 0),
        "heap B/identifier": round(bytesPerIdentifier, 0),
        profiles: summary?.profilesCreated ?? 0,
      },
      {
        work: "cc.identify one at a time, memory adapter",
        observations: SINGLE_N,
        ms: round(singleMs, 0),
        "obs/s": round(singleRate, 0),
      },
      { work: "identify adding to a profile of 10 identifiers", "ms/op": round(small, 3) },
      { work: `identify adding to a profile of ${FLAT_LARGE} identifiers`, "ms/op": round(large, 3) },
    ],
    targets: [
      { target: "ingest >= 0.3x bare union-find throughput", measured: `${round(ratio, 4)}x`, met: ratio >= 0.3 },
      {
        target: "identify one at a time >= 0.1x bare union-find",
        measured: `${round(singleRatio, 4)}x`,
        met: singleRatio >= 0.1,
      },
      {
        target: "<= 400 heap bytes per identifier",
        measured: `${round(bytesPerIdentifier, 0)} B`,
        met: bytesPerIdentifier <= 400,
      },
      {
        target: `identify cost flat 10 -> ${FLAT_LARGE} identifiers (<= 2x)`,
        measured: `${round(flat, 2)}x`,
        met: flat <= 2,
      },
    ],
    notes: [
      `${profiles.size} distinct profiles among the first 200 observations' emails (sanity check of the partition).`,
      "identify validates with zod, normalises (libphonenumber-js for phones), takes a transaction, stores link evidence and derived profiles; the baseline does none of that.",
      "heap per identifier counts everything the store holds after the ingest (links, identifier docs, profiles, indexes, events), divided by the distinct identifiers.",
    ],
  };
}
