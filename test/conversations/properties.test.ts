/** Conversation invariants (I1, I2, I5) and re-stitching after identity merge/unmerge. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, type Identifier } from "../../src/index.js";

const CUSTOMERS: Identifier[][] = [
  [{ type: "email", value: "a@x.pl" }],
  [{ type: "phone", value: "+48601234567" }],
  [{ type: "email", value: "b@x.pl" }],
  [
    { type: "email", value: "a@x.pl" },
    { type: "phone", value: "+48601234567" },
  ],
];

const interaction = fc.record(
  {
    channel: fc.constantFrom("email", "phone", "chat", "sms", "web"),
    direction: fc.constantFrom("inbound" as const, "outbound" as const),
    at: fc.integer({ min: 0, max: 24 * 12 }).map((h) => new Date(Date.UTC(2026, 3, 1, h)).toISOString()),
    customer: fc.constantFrom(...CUSTOMERS),
    externalId: fc.integer({ min: 0, max: 10_000 }).map(String),
    subject: fc.constantFrom("Loan", "Re: Loan", "Card", "AW: Card"),
    threadKey: fc.constantFrom("T1", "T2"),
    caseRef: fc.constantFrom("LN-1001", "LN-2002"),
    tags: fc.constantFrom(["complaint"], ["vip"]),
  },
  { requiredKeys: ["channel", "direction", "at", "customer", "externalId"] },
);
const workload = fc.uniqueArray(interaction, {
  minLength: 1,
  maxLength: 12,
  selector: (i) => `${i.channel}/${i.externalId}`,
});

async function run(list: ReadonlyArray<Record<string, unknown>>) {
  const cc = createCustomerContext({ clock: () => new Date("2026-05-01T00:00:00Z") });
  for (const i of list) await cc.record(i as unknown as Parameters<typeof cc.record>[0]);
  return cc;
}

async function views(cc: Awaited<ReturnType<typeof run>>) {
  const out: unknown[] = [];
  for (const c of CUSTOMERS.slice(0, 3)) out.push(await cc.context({ identifier: c[0] as Identifier }));
  return out;
}

describe("conversation invariants", () => {
  it("I1: any arrival order gives the same conversations and timeline", async () => {
    const permuted = workload.chain((list) =>
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }).map((p) => [list, p] as const),
    );
    await fc.assert(
      fc.asyncProperty(permuted, async ([list, shuffled]) => {
        expect(await views(await run(shuffled))).toEqual(await views(await run(list)));
      }),
      { numRuns: 50 },
    );
  });

  it("I2: recording one by one equals recording the same evidence in canonical order (a rebuild)", async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (list) => {
        const canonical = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        expect(await views(await run(list))).toEqual(await views(await run(canonical)));
      }),
      { numRuns: 40 },
    );
  });

  it("I5: recording the same interaction twice changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.nat(), async (list, pick) => {
        const cc = await run(list);
        const before = await views(cc);
        const again = list[pick % list.length] as unknown as Parameters<typeof cc.record>[0];
        expect((await cc.record(again)).duplicate).toBe(true);
        expect(await views(cc)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  it("re-stitching after an identity merge and an unmerge returns to the original conversations", async () => {
    const single = workload.map((list) => list.filter((i) => i.customer.length === 1));
    await fc.assert(
      fc.asyncProperty(single, async (list) => {
        const cc = await run(list);
        const before = await views(cc);
        const a = await cc.identify({ identifiers: [{ type: "email", value: "a@x.pl" }], at: "2026-03-01T00:00:00Z" });
        const p = await cc.identify({
          identifiers: [{ type: "phone", value: "+48601234567" }],
          at: "2026-03-01T00:00:00Z",
        });
        const merged = await cc.profiles.merge(a.profileId, p.profileId, { reason: "same person" });
        const after = await cc.context({ profileId: merged.profileId });
        expect(after?.timeline.map((i) => i.profileId).every((id) => id === merged.profileId)).toBe(true);
        await cc.profiles.unmerge(
          merged.profileId,
          { type: "phone", value: "+48601234567" },
          { reason: "not the same" },
        );
        // The identify calls above added observations dated before every interaction but no links.
        const restored = await views(cc);
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
