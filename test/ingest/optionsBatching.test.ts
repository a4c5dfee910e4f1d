/**
 * Batching equals one by one under the options that change what the bulk paths must reproduce:
 * auto-blocking, per-type limits and priorities, trait strategies (by source included), provider
 * rules for emails, no blocked defaults, fuzzy matching that reviews or auto-merges look-alike
 * names, and short conversation and reopen windows; consents and quotes among the items. The
 * default options are covered by ingest.test.ts.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, type Identifier } from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";
import type { ConversationOptions, IdentityOptions } from "../../src/schema/options.js";
import { arbitraries } from "../../src/testing/index.js";

const MAX_ITEMS = 25;

const options: fc.Arbitrary<IdentityOptions> = fc.record(
  {
    autoBlock: fc.constantFrom(false as const, { threshold: 1 }, { threshold: 2 }),
    emailProviderRules: fc.constant(true),
    blockedDefaults: fc.constant(false),
    traits: fc.constantFrom({ name: "first" as const }, { name: { sources: ["crm", "web"] } }),
    types: fc.constantFrom({ email: { limit: 1 } }, { phone: { limit: 1, priority: 10 }, crmId: { limit: 2 } }),
    fuzzy: fc.constantFrom(
      { fields: { name: "name" as const }, blocking: [["name"]], threshold: 0.3 },
      { fields: { name: "name" as const }, blocking: [["name"]], threshold: 0.3, autoMergeAbove: 0.6 },
    ),
  },
  { requiredKeys: [] },
);

const conversationOptions: fc.Arbitrary<ConversationOptions> = fc.record(
  {
    window: fc.constantFrom({ minutes: 30 }, { hours: 6 }),
    reopenWindow: fc.constantFrom({ minutes: 10 }, { days: 1 }),
  },
  { requiredKeys: [] },
);

/** The kit's workloads, their identify items given one of a few names (or none) and a source. */
const workload = fc
  .tuple(
    arbitraries.workload({
      kinds: ["identify", "record", "consent", "present"],
      customers: 3,
      maxItems: MAX_ITEMS,
      channels: ["email", "chat", "web"],
      spacing: { min: 0, max: 600 },
    }),
    fc.array(
      fc.tuple(
        fc.constantFrom(undefined, "Anna Nowak", "Ana Nowak", "Jan Kowalski"),
        fc.constantFrom(undefined, "crm", "web"),
      ),
      {
        minLength: MAX_ITEMS,
        maxLength: MAX_ITEMS,
      },
    ),
  )
  .map(([items, extras]) =>
    items.map((item, i): IngestItem => {
      const [name, source] = extras[i] ?? [];
      if (item.kind !== "identify") return item;
      return {
        ...item,
        ...(name === undefined ? {} : { traits: { name } }),
        ...(source === undefined ? {} : { source }),
      };
    }),
  );

/** What each item returned, and what a user sees of every identifier named. */
async function outcome(
  items: readonly IngestItem[],
  [identity, conversations]: [IdentityOptions, ConversationOptions],
  batchSize: number,
) {
  const cc = createCustomerContext({
    conversations,
    identity: { defaultRegion: "PL", ...identity },
    clock: () => new Date("2026-05-01T00:00:00Z"),
  });
  const results: unknown[] = [];
  const summary = await cc.ingest(items, { batchSize, onResult: (index, applied) => results.push([index, applied]) });
  const named: Identifier[] = items.flatMap((i) =>
    "identifiers" in i ? i.identifiers : "customer" in i && Array.isArray(i.customer) ? i.customer : [],
  );
  const views: Record<string, unknown> = {};
  for (const identifier of named) {
    const view = await cc.context({ identifier });
    views[`${identifier.type}:${identifier.value}`] = view && {
      profileId: view.profile.id,
      identifiers: view.identifiers.map((x) => `${x.type}:${x.value}:${x.count}:${x.firstSeen}:${x.lastSeen}`).sort(),
      traits: view.profile.traits,
      conversations: view.conversations.map((c) => [c.id, c.channels, c.interactionIds, c.status]),
      offers: view.offers,
      alerts: view.alerts,
    };
  }
  const reviews = (await cc.profiles.reviews()).map((r) => [r.status, r.identifiers, r.evidence]);
  const audit = await cc.offers.audit();
  await cc.close();
  return { rejected: summary.rejected, results, views, reviews, audit };
}

describe("cc.ingest under identity options", () => {
  it("any batching equals applying the items one by one", async () => {
    await fc.assert(
      fc.asyncProperty(
        workload,
        fc.tuple(options, conversationOptions),
        fc.integer({ min: 2, max: 30 }),
        async (items, opts, batchSize) => {
          expect(await outcome(items, opts, batchSize)).toEqual(await outcome(items, opts, 1));
        },
      ),
      { numRuns: 80 },
    );
  }, 180_000);
});
