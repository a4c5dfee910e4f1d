/**
 * Random workloads for the storage differential test (DESIGN.md I6): observations with
 * overlapping and conflicting identifiers, interactions across channels with thread keys, case
 * references, email headers and duplicates, offers and their redefinitions, presentations,
 * consents, operator merges and unmerges, and resolves. Every operation has an explicit time;
 * the clock is set per operation, so a run is a pure function of the workload.
 */
import fc from "fast-check";
import type { CustomerContext } from "../../src/context.js";
import { isCustomerContextError } from "../../src/errors.js";
import type { Identifier } from "../../src/schema/primitives.js";

/** Identifiers the workloads draw from: several CRM ids (a profile may hold one), shared phones. */
export const POOL: readonly Identifier[] = [
  ...[0, 1, 2, 3, 4].map((i) => ({ type: "email", value: `p${i}@x.pl` })),
  ...[0, 1, 2].map((i) => ({ type: "phone", value: `+4860123456${i}` })),
  ...[0, 1, 2].map((i) => ({ type: "crmId", value: `c${i}` })),
  ...[0, 1].map((i) => ({ type: "cookie", value: `k${i}` })),
];

const CHANNELS = ["email", "phone", "chat", "sms", "web", "store"] as const;
const SUBJECTS = ["Loan application", "Re: Loan application", "Card blocked", "Fwd: Card blocked", "Hello"] as const;
const OFFERS = ["loan", "card", "savings"] as const;
const START = Date.UTC(2026, 3, 1);

/** Hours after 2026-04-01T00:00Z, as ISO text. */
export const hoursIso = (h: number) => new Date(START + h * 3_600_000).toISOString();

export type Op =
  | { kind: "identify"; ids: number[]; at: number; channel?: string; tier?: string }
  | {
      kind: "record";
      ids: number[];
      at: number;
      channel: string;
      direction: "inbound" | "outbound";
      externalId?: number;
      threadKey?: number;
      caseRef?: number;
      subject?: number;
      email?: { id: number; replyTo?: number };
      complaint?: boolean;
    }
  | { kind: "define"; offer: number; variant: number; channels?: boolean }
  | { kind: "present"; ids: number[]; offer: number; channel: string; at: number; variant: number }
  | { kind: "consent"; ids: number[]; channel: string; granted: boolean; at: number }
  | { kind: "merge"; a: number; b: number }
  | { kind: "unmerge"; a: number; b: number }
  | { kind: "resolve"; a: number; pick: number };

const ids = fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 3 });
const hour = fc.integer({ min: 0, max: 240 });
const channel = fc.constantFrom(...CHANNELS);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const identifyOp: fc.Arbitrary<Op> = fc
  .record({ ids, at: hour, channel: maybe(channel), tier: maybe(fc.constantFrom("gold", "silver")) })
  .map((o) => ({ kind: "identify", ...strip(o) }));

const recordOp: fc.Arbitrary<Op> = fc
  .record({
    ids: ids.map((l) => l.slice(0, 2)),
    at: hour,
    channel,
    direction: fc.constantFrom("inbound" as const, "outbound" as const),
    externalId: maybe(fc.integer({ min: 0, max: 5 })),
    threadKey: maybe(fc.integer({ min: 0, max: 2 })),
    caseRef: maybe(fc.integer({ min: 0, max: 2 })),
    subject: maybe(fc.integer({ min: 0, max: SUBJECTS.length - 1 })),
    email: maybe(
      fc.record({ id: fc.integer({ min: 0, max: 5 }), replyTo: maybe(fc.integer({ min: 0, max: 5 })) }).map(strip),
    ),
    complaint: maybe(fc.boolean()),
  })
  .map((o) => ({ kind: "record", ...strip(o) }));

const defineOp: fc.Arbitrary<Op> = fc
  .record({
    offer: fc.integer({ min: 0, max: 2 }),
    variant: fc.integer({ min: 0, max: 1 }),
    channels: maybe(fc.boolean()),
  })
  .map((o) => ({ kind: "define", ...strip(o) }));

const presentOp: fc.Arbitrary<Op> = fc
  .record({ ids, offer: fc.integer({ min: 0, max: 2 }), channel, at: hour, variant: fc.integer({ min: 0, max: 2 }) })
  .map((o) => ({ kind: "present", ...o }));

const consentOp: fc.Arbitrary<Op> = fc
  .record({ ids, channel, granted: fc.boolean(), at: hour })
  .map((o) => ({ kind: "consent", ...o }));

const pair = fc.record({
  a: fc.integer({ min: 0, max: POOL.length - 1 }),
  b: fc.integer({ min: 0, max: POOL.length - 1 }),
});
const mergeOp: fc.Arbitrary<Op> = pair.map((o) => ({ kind: "merge", ...o }));
const unmergeOp: fc.Arbitrary<Op> = pair.map((o) => ({ kind: "unmerge", ...o }));
const resolveOp: fc.Arbitrary<Op> = fc
  .record({ a: fc.integer({ min: 0, max: POOL.length - 1 }), pick: fc.nat(10) })
  .map((o) => ({ kind: "resolve", ...o }));

/** One operation, weighted towards evidence. */
export const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: identifyOp },
  { weight: 6, arbitrary: recordOp },
  { weight: 2, arbitrary: defineOp },
  { weight: 3, arbitrary: presentOp },
  { weight: 1, arbitrary: consentOp },
  { weight: 2, arbitrary: mergeOp },
  { weight: 2, arbitrary: unmergeOp },
  { weight: 1, arbitrary: resolveOp },
);

/** A workload: operations, some of them repeated later (duplicates must change nothing). */
export const workload: fc.Arbitrary<Op[]> = fc
  .tuple(defineOp, fc.array(op, { minLength: 5, maxLength: 32 }))
  .map(([first, rest]) => [first, ...rest])
  .chain((ops) =>
    fc.array(fc.record({ from: fc.nat(ops.length - 1), to: fc.nat(ops.length) }), { maxLength: 4 }).map((dups) => {
      const out = [...ops];
      for (const { from, to } of dups) out.splice(Math.min(to, out.length), 0, ops[from] as Op);
      return out;
    }),
  );

/** `T` with its `undefined`-valued properties made optional and absent. */
type Stripped<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

function strip<T extends object>(o: T): Stripped<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Stripped<T>;
}

const who = (list: readonly number[]) => list.map((i) => POOL[i] as Identifier);

/** Sets the clock; the runner moves it to a fixed time per operation. */
export interface Clock {
  set(iso: string): void;
  now(): Date;
}

/** A settable clock for `createCustomerContext({ clock })`. */
export function settableClock(start: string): Clock {
  let current = new Date(start);
  return {
    set(iso) {
      current = new Date(iso);
    },
    now: () => new Date(current),
  };
}

/** The clock time of the i-th operation: after every generated time, one minute apart. */
export const opTime = (i: number) => new Date(START + 300 * 3_600_000 + i * 60_000).toISOString();
/** The clock time when the final state is read. */
export const END = new Date(START + 400 * 3_600_000).toISOString();

/** Applies one operation; returns its result, or `{ error: code, message }` when it was refused. */
export async function apply(cc: CustomerContext, o: Op): Promise<unknown> {
  try {
    return await applyUnsafe(cc, o);
  } catch (error) {
    if (isCustomerContextError(error)) return { error: error.code, message: error.message };
    throw error;
  }
}

async function applyUnsafe(cc: CustomerContext, o: Op): Promise<unknown> {
  switch (o.kind) {
    case "identify":
      return cc.identify({
        identifiers: who(o.ids),
        at: hoursIso(o.at),
        ...(o.channel !== undefined ? { channel: o.channel } : {}),
        ...(o.tier !== undefined ? { traits: { tier: o.tier, age: 30 } } : {}),
      });
    case "record":
      return cc.record({
        channel: o.channel,
        direction: o.direction,
        at: hoursIso(o.at),
        customer: who(o.ids),
        ...(o.externalId !== undefined ? { externalId: `x${o.externalId}` } : {}),
        ...(o.threadKey !== undefined ? { threadKey: `t${o.threadKey}` } : {}),
        ...(o.caseRef !== undefined ? { caseRef: `CASE-${o.caseRef}` } : {}),
        ...(o.subject !== undefined ? { subject: SUBJECTS[o.subject] as string } : {}),
        ...(o.email !== undefined
          ? {
              email: {
                messageId: `<m${o.email.id}@x.pl>`,
                ...(o.email.replyTo !== undefined ? { inReplyTo: `<m${o.email.replyTo}@x.pl>` } : {}),
              },
            }
          : {}),
        ...(o.complaint ? { tags: ["complaint"] } : {}),
        text: `message at ${o.at}`,
      });
    case "define": {
      const id = OFFERS[o.offer] as string;
      return cc.offers.define({
        id,
        name: id,
        category: o.offer === 2 ? "service" : "marketing",
        terms: { apr: 5 + o.variant, fee: o.offer },
        ...(o.channels ? { channels: ["web", "phone", "email"] } : {}),
        validFrom: hoursIso(0),
        validTo: hoursIso(200),
        eligibility: { trait: "age", op: "gte", value: 18 },
        ...(o.offer < 2 ? { exclusiveGroup: "credit" } : {}),
      });
    }
    case "present":
      return cc.offers.present({
        customer: who(o.ids),
        offerId: OFFERS[o.offer] as string,
        channel: o.channel,
        at: hoursIso(o.at),
        terms: { apr: 5 + o.variant, fee: o.offer },
      });
    case "consent":
      return cc.consent({ customer: who(o.ids), channel: o.channel, granted: o.granted, at: hoursIso(o.at) });
    case "merge": {
      // Picks among the identifiers known now, so the choice is deterministic and rarely empty.
      const known = await knownIdentifiers(cc);
      if (known.length === 0) return { skipped: "no customer" };
      const a = await cc.profiles.find(known[o.a % known.length] as Identifier);
      const b = await cc.profiles.find(known[o.b % known.length] as Identifier);
      if (!a || !b) throw new Error("a known identifier has no profile");
      return cc.profiles.merge(a.id, b.id, { reason: "same person" });
    }
    case "unmerge": {
      const known = await knownIdentifiers(cc);
      if (known.length === 0) return { skipped: "no customer" };
      const a = await cc.profiles.find(known[o.a % known.length] as Identifier);
      if (!a) throw new Error("a known identifier has no profile");
      // Usually one of the profile's own identifiers; sometimes (b odd and large) one it does not hold.
      const own = a.identifiers.map(({ type, value }) => ({ type, value }));
      const target = o.b >= POOL.length - 2 ? (POOL[o.b] as Identifier) : (own[o.b % own.length] as Identifier);
      return cc.profiles.unmerge(a.id, target, { reason: "different person" });
    }
    case "resolve": {
      const known = await knownIdentifiers(cc);
      if (known.length === 0) return { skipped: "no customer" };
      const list = await cc.conversations.list({ identifier: known[o.a % known.length] as Identifier });
      const conv = list[o.pick % Math.max(1, list.length)];
      if (!conv) return { skipped: "no conversation" };
      return cc.conversations.resolve(conv.id);
    }
  }
}

async function knownIdentifiers(cc: CustomerContext): Promise<Identifier[]> {
  const out: Identifier[] = [];
  for (const identifier of POOL) if (await cc.profiles.find(identifier)) out.push(identifier);
  return out;
}

/** Everything observable after a workload: the context of every identifier, the audit, the journey metrics. */
export async function observable(cc: CustomerContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const identifier of POOL) {
    out[`context ${identifier.type}:${identifier.value}`] = await cc.context({ identifier });
  }
  out.audit = await cc.offers.audit();
  out.metrics = await cc.journeys.metrics();
  return out;
}
