/**
 * record() with stitching in memory, and context() latency for a customer with 1k interactions,
 * each against a baseline in the same run. `BENCH_RECORD_N` sets the number of interactions
 * (default 100,000).
 */
import { createCustomerContext } from "../src/index.js";
import { type BenchReport, quantile, rng, round, time } from "./lib.js";

const N = Number(process.env.BENCH_RECORD_N ?? 100_000);
const CHANNELS = ["email", "phone", "chat", "sms", "web", "store", "social", "ivr"];

type RecordInput = Parameters<ReturnType<typeof createCustomerContext>["record"]>[0];

/** 10 interactions per customer on average, across channels, mostly in time order. */
function workload(n: number): RecordInput[] {
  const random = rng(7);
  const customers = Math.max(1, Math.floor(n / 10));
  const start = Date.UTC(2026, 0, 1);
  const out: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * customers);
    const channel = CHANNELS[Math.floor(random() * CHANNELS.length)] as string;
    out.push({
      channel,
      direction: random() < 0.6 ? "inbound" : "outbound",
      at: new Date(start + i * 60_000).toISOString(),
      customer: [{ type: "email", value: `c${c}@mail.pl` }],
      externalId: `e${i}`,
      ...(random() < 0.3 ? { caseRef: `LN-${1000 + (c % 500)}` } : {}),
      ...(channel === "chat" ? { threadKey: `chat-${c}` } : {}),
      text: "Hello, about my case",
    });
  }
  return out;
}

export async function run(): Promise<BenchReport> {
  const inputs = workload(N);

  // Baseline: appending the same interactions to per-customer arrays (what a naive store does).
  const naive = new Map<string, RecordInput[]>();
  const baselineMs = await time(() => {
    for (const input of inputs) {
      const key = JSON.stringify(input.customer);
      const list = naive.get(key);
      if (list) list.push(input);
      else naive.set(key, [input]);
    }
  });

  const cc = createCustomerContext({ clock: () => new Date("2026-06-01T00:00:00Z") });
  const recordMs = await time(async () => {
    for (const input of inputs) await cc.record(input);
  });

  // context() for one customer with 1k interactions.
  const heavy = createCustomerContext({ clock: () => new Date("2026-06-01T00:00:00Z") });
  const customer = [{ type: "email", value: "heavy@mail.pl" }];
  const random = rng(11);
  for (let i = 0; i < 1000; i++) {
    await heavy.record({
      channel: CHANNELS[Math.floor(random() * CHANNELS.length)] as string,
      direction: random() < 0.5 ? "inbound" : "outbound",
      at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      customer,
      externalId: `h${i}`,
      text: "x".repeat(200),
      ...(i % 7 === 0 ? { caseRef: `LN-${i % 30}` } : {}),
    });
  }
  const ref = { identifier: customer[0] as { type: string; value: string } };
  for (let i = 0; i < 50; i++) await heavy.context(ref); // warm up
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await heavy.context(ref);
    latencies.push(performance.now() - t);
  }
  const view = await heavy.context(ref);
  // Baseline for context(): sorting the same 1k interactions by time, in the same process.
  const sortLatencies: number[] = [];
  const rows = view?.timeline ?? [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    [...rows].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    sortLatencies.push(performance.now() - t);
  }

  const rate = N / (recordMs / 1000);
  const p99 = quantile(latencies, 0.99);
  await cc.close();
  await heavy.close();
  return {
    name: "conversations",
    rows: [
      {
        work: "baseline: append to per-customer arrays",
        n: N,
        ms: round(baselineMs, 1),
        "per s": round(N / (baselineMs / 1000), 0),
      },
      { work: "cc.record with stitching, memory", n: N, ms: round(recordMs, 0), "per s": round(rate, 0) },
      { work: "cc.context(), 1k interactions: p50 ms", n: 1000, ms: round(quantile(latencies, 0.5), 3) },
      { work: "cc.context(), 1k interactions: p99 ms", n: 1000, ms: round(p99, 3) },
      { work: "baseline: sort 1k interactions, p99 ms", n: 1000, ms: round(quantile(sortLatencies, 0.99), 3) },
    ],
    targets: [
      { target: ">= 100k interactions/s recorded", measured: `${round(rate, 0)}/s`, met: rate >= 100_000 },
      { target: "context() p99 <= 1 ms at 1k interactions", measured: `${round(p99, 3)} ms`, met: p99 <= 1 },
    ],
    notes: [
      `${view?.conversations.length} conversations, ${view?.timeline.length} interactions in the heavy customer's view.`,
    ],
  };
}
