/**
 * Interactions with stitching in memory, each against a baseline in the same run:
 *
 * - `cc.ingest` of N `record` items (target >= 100k interactions/s);
 * - `cc.record` one at a time on the first `BENCH_RECORD_SINGLE_N` of them (target >= 20k/s);
 * - flat cost: one late-but-newest `record` in a conversation of 10 and of 10k interactions
 *   (target: at 10k <= 2x the cost at 10), and the first `record` of a new chat session (its own
 *   thread key and case reference) after 10 and after 10k sessions of the same customer;
 * - `context()` latency for a customer with 1k interactions (target p99 <= 1 ms).
 *
 * `BENCH_RECORD_N` sets N (default 50,000); `CC_BENCH_QUICK=1` runs everything small.
 */
import { createCustomerContext } from "../src/index.js";
import { type BenchReport, QUICK, quantile, rng, round, time } from "./lib.js";

const N = Number(process.env.BENCH_RECORD_N ?? (QUICK ? 5_000 : 50_000));
const SINGLE_N = Math.min(N, Number(process.env.BENCH_RECORD_SINGLE_N ?? (QUICK ? 1_000 : 10_000)));
const FLAT_LARGE = QUICK ? 1_000 : 10_000;
const FLAT_CALLS = QUICK ? 50 : 300;
const CONTEXT_SAMPLES = QUICK ? 200 : 1000;
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

/**
 * Milliseconds per `record` that continues one open conversation already holding `size`
 * interactions (built with `ingest`), each the newest evidence of its customer.
 */
async function costAtSize(size: number): Promise<number> {
  const cc = createCustomerContext({ clock: () => new Date("2026-06-01T00:00:00Z") });
  const customer = [{ type: "email", value: "long@mail.pl" }];
  const start = Date.UTC(2026, 0, 1);
  const item = (i: number) => ({
    channel: CHANNELS[i % CHANNELS.length] as string,
    direction: "inbound" as const,
    at: new Date(start + i * 60_000).toISOString(),
    customer,
    externalId: `x${i}`,
    caseRef: "LN-1",
    text: "still about the same loan",
  });
  return msPerRecordAfter(cc, size, item, async () => {
    const conversations = await cc.conversations.list({ identifier: customer[0] as { type: string; value: string } });
    const longest = Math.max(0, ...conversations.map((c) => c.interactionIds.length));
    if (longest !== size)
      throw new Error(`flat-cost setup: the conversation holds ${longest} interactions, not ${size}`);
  });
}

/**
 * Milliseconds per `record` that opens a new chat session, with a thread key and a case
 * reference of its own, for a customer who already had `size` such sessions (built with `ingest`).
 */
async function costAfterSessions(size: number): Promise<number> {
  const cc = createCustomerContext({ clock: () => new Date("2400-01-01T00:00:00Z") });
  const customer = [{ type: "email", value: "chatty@mail.pl" }];
  const start = Date.UTC(2026, 0, 1);
  // Four days apart: a conversation each.
  const session = (i: number) => ({
    channel: "chat",
    direction: "inbound" as const,
    at: new Date(start + i * 4 * 86_400_000).toISOString(),
    customer,
    externalId: `s${i}`,
    threadKey: `session-${i}`,
    caseRef: `CASE-${i}`,
    text: "a new question",
  });
  return msPerRecordAfter(cc, size, session);
}

/**
 * Records items 0..size-1 with `ingest`, runs `check` on the result, then returns the
 * milliseconds per `record` of the next `FLAT_CALLS` items (after 20 to warm up); closes `cc`.
 */
async function msPerRecordAfter(
  cc: ReturnType<typeof createCustomerContext>,
  size: number,
  item: (i: number) => RecordInput,
  check: () => Promise<void> = async () => {},
): Promise<number> {
  await cc.ingest(Array.from({ length: size }, (_, i) => ({ kind: "record" as const, ...item(i) })));
  await check();
  for (let i = 0; i < 20; i++) await cc.record(item(size + i));
  const ms = await time(async () => {
    for (let i = 0; i < FLAT_CALLS; i++) await cc.record(item(size + 20 + i));
  });
  await cc.close();
  return ms / FLAT_CALLS;
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
  const ingestMs = await time(async () => {
    await cc.ingest(inputs.map((input) => ({ kind: "record" as const, ...input })));
  });
  await cc.close();

  const single = createCustomerContext({ clock: () => new Date("2026-06-01T00:00:00Z") });
  const recordMs = await time(async () => {
    for (let i = 0; i < SINGLE_N; i++) await single.record(inputs[i] as RecordInput);
  });
  await single.close();

  const small = await costAtSize(10);
  const large = await costAtSize(FLAT_LARGE);
  const flat = large / small;
  const sessionsSmall = await costAfterSessions(10);
  const sessionsLarge = await costAfterSessions(FLAT_LARGE);
  const sessionsFlat = sessionsLarge / sessionsSmall;

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
  for (let i = 0; i < CONTEXT_SAMPLES; i++) {
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

  const ingestRate = N / (ingestMs / 1000);
  const rate = SINGLE_N / (recordMs / 1000);
  const p99 = quantile(latencies, 0.99);
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
      {
        work: "cc.ingest of records with stitching, memory",
        n: N,
        ms: round(ingestMs, 0),
        "per s": round(ingestRate, 0),
      },
      {
        work: "cc.record one at a time with stitching, memory",
        n: SINGLE_N,
        ms: round(recordMs, 0),
        "per s": round(rate, 0),
      },
      { work: "record into a conversation of 10 interactions, ms/op", n: FLAT_CALLS, ms: round(small, 3) },
      {
        work: `record into a conversation of ${FLAT_LARGE} interactions, ms/op`,
        n: FLAT_CALLS,
        ms: round(large, 3),
      },
      { work: "record of a new chat session after 10 sessions, ms/op", n: FLAT_CALLS, ms: round(sessionsSmall, 3) },
      {
        work: `record of a new chat session after ${FLAT_LARGE} sessions, ms/op`,
        n: FLAT_CALLS,
        ms: round(sessionsLarge, 3),
      },
      { work: "cc.context(), 1k interactions: p50 ms", n: 1000, ms: round(quantile(latencies, 0.5), 3) },
      { work: "cc.context(), 1k interactions: p99 ms", n: 1000, ms: round(p99, 3) },
      { work: "baseline: sort 1k interactions, p99 ms", n: 1000, ms: round(quantile(sortLatencies, 0.99), 3) },
    ],
    targets: [
      {
        target: ">= 100k interactions/s through ingest",
        measured: `${round(ingestRate, 0)}/s`,
        met: ingestRate >= 100_000,
      },
      { target: ">= 20k/s one record at a time", measured: `${round(rate, 0)}/s`, met: rate >= 20_000 },
      {
        target: `record cost flat 10 -> ${FLAT_LARGE} interactions (<= 2x)`,
        measured: `${round(flat, 2)}x`,
        met: flat <= 2,
      },
      {
        target: `record cost flat 10 -> ${FLAT_LARGE} sessions, each with its own thread key and case (<= 2x)`,
        measured: `${round(sessionsFlat, 2)}x`,
        met: sessionsFlat <= 2,
      },
      { target: "context() p99 <= 1 ms at 1k interactions", measured: `${round(p99, 3)} ms`, met: p99 <= 1 },
    ],
    notes: [
      `${view?.conversations.length} conversations, ${view?.timeline.length} interactions in the heavy customer's view.`,
    ],
  };
}
