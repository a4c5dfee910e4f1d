/** I6 for ingest: memory, SQLite and PostgreSQL end in the same state for the same random source. */

import { arbitraries } from "customer-context/testing";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { createCustomerContext, type Identifier, type StorageAdapter } from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

const FIXED = () => new Date("2026-05-01T00:00:00Z");
/**
 * Sources from the kit: two people, observations with conflicts, shared phones and blocked values,
 * interactions on three channels (complaints among them), consents, and quotes of the kit's
 * catalogue (which it defines first), some at other terms; redeliveries and late items.
 */
const source = arbitraries.workload({
  kinds: ["identify", "record", "consent", "present"],
  customers: 2,
  maxItems: 30,
  channels: ["email", "phone", "chat"],
  spacing: { min: 0, max: 600 },
});

/** Every identifier the items name, once. */
function universe(items: readonly IngestItem[]): Identifier[] {
  const seen = new Map<string, Identifier>();
  for (const i of items) {
    const ids = "identifiers" in i ? i.identifiers : "customer" in i && Array.isArray(i.customer) ? i.customer : [];
    for (const id of ids) seen.set(`${id.type}:${id.value}`, id);
  }
  return [...seen.values()];
}

async function outcome(storage: StorageAdapter, items: IngestItem[], batchSize: number) {
  const cc = createCustomerContext({ storage, identity: { defaultRegion: "PL" }, clock: FIXED });
  try {
    const summary = await cc.ingest(items, { batchSize });
    const views: unknown[] = [];
    for (const i of universe(items)) views.push(await cc.context({ identifier: i }));
    views.push(await cc.offers.audit());
    const rejected = summary.rejected.map((r) => [r.index, r.error.code]);
    const { batches: _b, ...counts } = summary;
    return { rejected, views, summary: { ...counts, rejected: rejected.length } };
  } finally {
    await cc.close();
  }
}

const schemas: object[] = [];
afterAll(async () => {
  for (const s of schemas) await dropPostgresSchema(s);
});

describe("ingest on every adapter (I6)", () => {
  it("memory, SQLite and PostgreSQL end in the same state, whatever the batch size", async () => {
    await fc.assert(
      fc.asyncProperty(source, fc.integer({ min: 1, max: 12 }), async (items, batchSize) => {
        const expected = await outcome(memoryAdapter(), items, items.length + 1);
        expect(await outcome(memoryAdapter(), items, batchSize)).toEqual(expected);
        expect(await outcome(sqliteAdapter({ filename: ":memory:" }), items, batchSize)).toEqual(expected);
        const pg = freshPostgresAdapter();
        schemas.push(pg);
        expect(await outcome(pg, items, batchSize)).toEqual(expected);
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
