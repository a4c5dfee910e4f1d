/**
 * A deterministic workload for several processes writing at once: `identify`, `record` and
 * `offers.present` on overlapping customers, every operation with an explicit time. Shared by the
 * multi-process test (and its worker) and the storage benchmark.
 */
import type { CustomerContext } from "../../src/context.js";
import { isCustomerContextError } from "../../src/errors.js";
import type { Identifier } from "../../src/schema/primitives.js";

/** The clock every run uses: operations carry their own times, so it only stamps offers and reads. */
export const FIXED_NOW = "2026-06-01T00:00:00.000Z";
const START = Date.UTC(2026, 3, 1);
const CHANNELS = ["email", "phone", "chat", "sms", "web", "store"] as const;

export type ConcurrentOp =
  | { kind: "identify"; identifiers: Identifier[]; at: string; channel: string }
  | {
      kind: "record";
      identifiers: Identifier[];
      at: string;
      channel: string;
      externalId: string;
      threadKey?: string;
      subject?: string;
      caseRef?: string;
    }
  | { kind: "present"; identifiers: Identifier[]; at: string; channel: string; offerId: string; apr: number };

import { mulberry32 as rng } from "../../src/_lib/random.js";

export { rng };

/** The identifiers of customer `c`: email, phone, CRM id and a cookie. */
export function identifiersOf(c: number): Identifier[] {
  return [
    { type: "email", value: `c${c}@x.pl` },
    { type: "phone", value: `+48601${String(c).padStart(6, "0")}` },
    { type: "crmId", value: `crm-${c}` },
    { type: "cookie", value: `ck-${c}` },
  ];
}

/** Every identifier the workload can name, for reading the final state. */
export function universe(customers: number): Identifier[] {
  const out: Identifier[] = [];
  for (let c = 0; c < customers; c++) out.push(...identifiersOf(c));
  return out;
}

/** Offers the parent defines before the workers start. */
export async function defineOffers(cc: CustomerContext): Promise<void> {
  for (const id of ["loan", "card"]) {
    await cc.offers.define({ id, name: id, category: "marketing", terms: { apr: 5 }, exclusiveGroup: "credit" });
  }
}

/**
 * `count` operations over `customers` customers. Most operations name two or three identifiers of
 * one customer (so partial profiles meet and merge in every order); a few link a cookie to another
 * customer (a shared device) or a second CRM id (refused by the one-CRM-id limit); some repeat an
 * earlier interaction's external id (a duplicate delivery).
 */
export function concurrentWorkload(seed: number, customers: number, count: number): ConcurrentOp[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const ops: ConcurrentOp[] = [];
  const at = () => new Date(START + Math.floor(random() * 30 * 24 * 60) * 60_000).toISOString();
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * customers);
    const own = identifiersOf(c);
    const subset = own.filter(() => random() < 0.5);
    if (subset.length === 0) subset.push(pick(own));
    const r = random();
    if (r < 0.05)
      subset.push(identifiersOf((c + 1) % customers)[3] as Identifier); // shared device
    else if (r < 0.08) subset.push(identifiersOf((c + 2) % customers)[2] as Identifier); // conflicting CRM id
    const kind = random();
    const channel = pick(CHANNELS);
    if (kind < 0.4) {
      ops.push({ kind: "identify", identifiers: subset, at: at(), channel });
    } else if (kind < 0.8) {
      const duplicate = random() < 0.1 && i > 0;
      const topic = Math.floor(random() * 3);
      ops.push({
        kind: "record",
        identifiers: subset,
        at: at(),
        channel,
        externalId: duplicate ? `e${Math.floor(random() * i)}` : `e${i}`,
        ...(random() < 0.3 ? { threadKey: `t${c}-${topic}` } : {}),
        ...(random() < 0.5 ? { subject: ["Loan application", "Re: Loan application", "Card"][topic] as string } : {}),
        ...(random() < 0.2 ? { caseRef: `CASE-${c}-${topic}` } : {}),
      });
    } else {
      ops.push({
        kind: "present",
        identifiers: subset,
        at: at(),
        channel,
        offerId: pick(["loan", "card"]),
        apr: 5 + Math.floor(random() * 2),
      });
    }
  }
  return ops;
}

/** Runs one operation; a refusal by the library (a `CustomerContextError`) is returned, never thrown. */
export async function applyConcurrent(cc: CustomerContext, o: ConcurrentOp): Promise<unknown> {
  try {
    switch (o.kind) {
      case "identify":
        return await cc.identify({ identifiers: o.identifiers, at: o.at, channel: o.channel });
      case "record":
        return await cc.record({
          channel: o.channel,
          direction: "inbound",
          at: o.at,
          customer: o.identifiers,
          externalId: o.externalId,
          text: `about ${o.subject ?? "something"}`,
          ...(o.threadKey !== undefined ? { threadKey: o.threadKey } : {}),
          ...(o.subject !== undefined ? { subject: o.subject } : {}),
          ...(o.caseRef !== undefined ? { caseRef: o.caseRef } : {}),
        });
      case "present":
        return await cc.offers.present({
          customer: o.identifiers,
          offerId: o.offerId,
          channel: o.channel,
          at: o.at,
          terms: { apr: o.apr },
        });
    }
  } catch (error) {
    if (isCustomerContextError(error) && error.code !== "storage_failure") {
      return { error: error.code, message: error.message };
    }
    throw error;
  }
}
