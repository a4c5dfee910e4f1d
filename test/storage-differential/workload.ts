/**
 * Random workloads for the storage differential test (DESIGN.md I6). The evidence comes from the
 * kit's `workload`: observations with overlapping and conflicting identifiers, shared phones and
 * blocked values, interactions across channels with thread keys, case references, email replies,
 * complaint tags and redeliveries, consents, a catalogue redefined in the stream and quotes of it
 * (some before their offer exists). Interleaved with it are the operator decisions the kit cannot
 * hold as data, because they name profile and conversation ids that exist only at run time:
 * merges, unmerges and resolves, which pick among the identifiers known when they run. Every
 * operation has an explicit time or runs at a clock set per operation, so a run is a pure function
 * of the workload.
 */

import { arbitraries, type WorkloadItem } from "customer-context/testing";
import fc from "fast-check";
import type { CustomerContext } from "../../src/context.js";
import { isCustomerContextError } from "../../src/errors.js";
import type { Identifier } from "../../src/schema/primitives.js";

const START = "2026-04-01T00:00:00Z";

export type Op =
  | { kind: "item"; item: WorkloadItem }
  | { kind: "merge"; a: number; b: number }
  | { kind: "unmerge"; a: number; b: number }
  | { kind: "resolve"; a: number; pick: number };

const evidence = arbitraries.workload({
  kinds: ["identify", "record", "consent", "offer", "present"],
  customers: 4,
  maxItems: 32,
  channels: ["email", "phone", "chat", "sms", "web", "store"],
  spacing: { min: 0, max: 8 * 60 },
  from: START,
});

const pair = fc.record({ a: fc.nat(20), b: fc.nat(20) });
const decision: fc.Arbitrary<Op> = fc.oneof(
  pair.map((o): Op => ({ kind: "merge", ...o })),
  pair.map((o): Op => ({ kind: "unmerge", ...o })),
  fc.record({ a: fc.nat(20), pick: fc.nat(10) }).map((o): Op => ({ kind: "resolve", ...o })),
);

/** A workload: the kit's evidence, with operator decisions inserted at random places. */
export const workload: fc.Arbitrary<Op[]> = fc
  .tuple(evidence, fc.array(fc.tuple(fc.nat(), decision), { maxLength: 6 }))
  .map(([items, decisions]) => {
    const ops: Op[] = items.map((item) => ({ kind: "item", item }));
    for (const [at, d] of decisions) ops.splice(at % (ops.length + 1), 0, d);
    return ops;
  });

/** The clock time of the i-th operation: after every generated time, one minute apart. */
export const opTime = (i: number) => new Date(Date.parse(START) + 300 * 3_600_000 + i * 60_000).toISOString();
/** The clock time when the final state is read. */
export const END = new Date(Date.parse(START) + 400 * 3_600_000).toISOString();

/** Every identifier the workload names, once, in order of first mention. */
export function universe(ops: readonly Op[]): Identifier[] {
  const seen = new Map<string, Identifier>();
  for (const o of ops) {
    if (o.kind !== "item") continue;
    const item = o.item;
    const ids = "identifiers" in item ? item.identifiers : "customer" in item ? item.customer : [];
    for (const id of ids) if (!seen.has(`${id.type}:${id.value}`)) seen.set(`${id.type}:${id.value}`, id);
  }
  return [...seen.values()];
}

/** Applies one operation; returns its result, or `{ error: code, message }` when it was refused. */
export async function apply(cc: CustomerContext, o: Op, known: readonly Identifier[]): Promise<unknown> {
  try {
    return await applyUnsafe(cc, o, known);
  } catch (error) {
    if (isCustomerContextError(error)) return { error: error.code, message: error.message };
    throw error;
  }
}

async function applyUnsafe(cc: CustomerContext, o: Op, identifiers: readonly Identifier[]): Promise<unknown> {
  if (o.kind === "item") {
    const { kind, ...input } = o.item;
    switch (kind) {
      case "identify":
        return cc.identify(input as Parameters<CustomerContext["identify"]>[0]);
      case "record":
        return cc.record(input as Parameters<CustomerContext["record"]>[0]);
      case "consent":
        return cc.consent(input as Parameters<CustomerContext["consent"]>[0]);
      case "offer":
        return cc.offers.define(input as Parameters<CustomerContext["offers"]["define"]>[0]);
      case "present":
        return cc.offers.present(input as Parameters<CustomerContext["offers"]["present"]>[0]);
    }
  }
  // Picks among the identifiers known now, so the choice is deterministic and rarely empty.
  const known = await knownIdentifiers(cc, identifiers);
  if (known.length === 0) return { skipped: "no customer" };
  switch (o.kind) {
    case "merge": {
      const a = await cc.profiles.find(known[o.a % known.length] as Identifier);
      const b = await cc.profiles.find(known[o.b % known.length] as Identifier);
      if (!a || !b) throw new Error("a known identifier has no profile");
      return cc.profiles.merge(a.id, b.id, { reason: "same person" });
    }
    case "unmerge": {
      const a = await cc.profiles.find(known[o.a % known.length] as Identifier);
      if (!a) throw new Error("a known identifier has no profile");
      // Usually one of the profile's own identifiers; sometimes (b large) any named one, maybe not its own.
      const own = a.identifiers.map(({ type, value }) => ({ type, value }));
      const target =
        o.b >= 18 ? (identifiers[o.b % identifiers.length] as Identifier) : (own[o.b % own.length] as Identifier);
      return cc.profiles.unmerge(a.id, target, { reason: "different person" });
    }
    default: {
      const list = await cc.conversations.list({ identifier: known[o.a % known.length] as Identifier });
      const conv = list[o.pick % Math.max(1, list.length)];
      if (!conv) return { skipped: "no conversation" };
      return cc.conversations.resolve(conv.id);
    }
  }
}

async function knownIdentifiers(cc: CustomerContext, identifiers: readonly Identifier[]): Promise<Identifier[]> {
  const out: Identifier[] = [];
  for (const identifier of identifiers) if (await cc.profiles.find(identifier)) out.push(identifier);
  return out;
}

/** Everything observable after a workload: the context of every identifier, the audit, the journey metrics. */
export async function observable(
  cc: CustomerContext,
  identifiers: readonly Identifier[],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const identifier of identifiers) {
    out[`context ${identifier.type}:${identifier.value}`] = await cc.context({ identifier });
  }
  out.audit = await cc.offers.audit();
  out.metrics = await cc.journeys.metrics();
  return out;
}
