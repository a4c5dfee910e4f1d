/** Conversation invariants (I1, I2, I5) and re-stitching after identity merge/unmerge. */

import { arbitraries, type WorkloadItem } from "customer-context/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, type Identifier } from "../../src/index.js";

/**
 * Interactions from the kit: two people on five channels, each seen by any subset of their
 * identifiers, with and without thread keys, case references, subjects, email replies and
 * complaint tags, up to two days apart (in and out of the continuation window, with ties), plus
 * redeliveries and late arrivals.
 */
const workload = arbitraries
  .workload({
    kinds: ["record"],
    customers: 2,
    maxItems: 12,
    channels: ["email", "phone", "chat", "sms", "web"],
    spacing: { min: 0, max: 2 * 24 * 60 },
    from: "2026-04-01T00:00:00Z",
  })
  .map((items) => items.filter((i): i is Interaction => i.kind === "record"));

type Interaction = WorkloadItem & { kind: "record" };

async function run(list: readonly Interaction[]) {
  const cc = createCustomerContext({
    identity: { defaultRegion: "PL" },
    clock: () => new Date("2026-05-01T00:00:00Z"),
  });
  for (const { kind: _kind, ...i } of list) await cc.record(i);
  return cc;
}

/** Every identifier the interactions name, once. */
function universe(list: readonly Interaction[]): Identifier[] {
  const seen = new Map<string, Identifier>();
  for (const i of list) for (const c of i.customer) seen.set(`${c.type}:${c.value}`, c);
  return [...seen.values()];
}

async function views(cc: Awaited<ReturnType<typeof run>>, list: readonly Interaction[]) {
  const out: unknown[] = [];
  for (const identifier of universe(list)) out.push(await cc.context({ identifier }));
  return out;
}

describe("conversation invariants", () => {
  it("the kit's interactions stitch across channels and also split (a property over trivial input would prove little)", async () => {
    const seen = new Set<string>();
    for (const list of fc.sample(workload, { numRuns: 20, seed: 17 })) {
      const cc = await run(list);
      for (const view of (await views(cc, list)) as Array<Awaited<ReturnType<typeof cc.context>>>) {
        if (!view) continue;
        if (view.conversations.some((c) => c.channels.length > 1)) seen.add("cross-channel");
        if (view.conversations.some((c) => c.interactionIds.length === 1)) seen.add("alone");
        if (view.conversations.length > 1) seen.add("several");
      }
    }
    expect([...seen].sort()).toEqual(["alone", "cross-channel", "several"]);
  });

  it("I1: any arrival order gives the same conversations and timeline", async () => {
    const permuted = workload.chain((list) =>
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).map((p) => [list, p] as const),
    );
    await fc.assert(
      fc.asyncProperty(permuted, async ([list, shuffled]) => {
        expect(await views(await run(shuffled), list)).toEqual(await views(await run(list), list));
      }),
      { numRuns: 50 },
    );
  });

  it("I2: recording one by one equals recording the same evidence in canonical order (a rebuild)", async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (list) => {
        const canonical = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        expect(await views(await run(list), list)).toEqual(await views(await run(canonical), list));
      }),
      { numRuns: 40 },
    );
  });

  it("I5: recording the same interaction twice changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.nat(), async (list, pick) => {
        const cc = await run(list);
        const before = await views(cc, list);
        const { kind: _kind, ...again } = list[pick % list.length] as Interaction;
        expect((await cc.record(again)).duplicate).toBe(true);
        expect(await views(cc, list)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  it("re-stitching after an identity merge and an unmerge returns to the original conversations", async () => {
    const single = workload.map((list) => list.filter((i) => i.customer.length === 1));
    await fc.assert(
      fc.asyncProperty(single, async (list) => {
        // Two identifiers of different profiles, merged by an operator and then split again (not two
        // CRM ids: that merge is refused, I3).
        const cc = await run(list);
        const before = await views(cc, list);
        const ids = universe(list);
        const first = ids[0];
        if (!first) return;
        const owner = (await cc.profiles.find(first))?.id;
        let second: Identifier | undefined;
        for (const i of ids) {
          const both = i.type === "crmId" && first.type === "crmId";
          if (!both && (await cc.profiles.find(i))?.id !== owner) second ??= i;
        }
        if (!second) return;
        const a = await cc.identify({ identifiers: [first], at: "2026-03-01T00:00:00Z" });
        const p = await cc.identify({ identifiers: [second], at: "2026-03-01T00:00:00Z" });
        const merged = await cc.profiles.merge(a.profileId, p.profileId, { reason: "same person" });
        const after = await cc.context({ profileId: merged.profileId });
        expect(after?.timeline.map((i) => i.profileId).every((id) => id === merged.profileId)).toBe(true);
        await cc.profiles.unmerge(merged.profileId, second, { reason: "not the same" });
        // The identify calls above added observations dated before every interaction but no links.
        const restored = await views(cc, list);
        expect(strip(restored)).toEqual(strip(before));
      }),
      { numRuns: 30 },
    );
  });
});

/**
 * What re-stitching must restore: each customer's conversations and timeline. (The identify calls
 * add observations on purpose, so profile bookkeeping and the phone-only profile they create differ.)
 */
function strip(views: unknown[]): unknown {
  return views.map((v) => {
    const view = v as { conversations?: unknown[]; timeline?: unknown[] } | null;
    return { conversations: view?.conversations ?? [], timeline: view?.timeline ?? [] };
  });
}
