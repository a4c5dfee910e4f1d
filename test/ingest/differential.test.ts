/** I6 for ingest: memory, SQLite and PostgreSQL end in the same state for the same random source. */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { createCustomerContext, type Identifier, type StorageAdapter } from "../../src/index.js";
import type { IngestItem } from "../../src/schema/inputs.js";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

const FIXED = () => new Date("2026-05-01T00:00:00Z");
const IDENTS: Identifier[] = [
  { type: "email", value: "a@x.pl" },
  { type: "email", value: "b@x.pl" },
  { type: "phone", value: "+48601234567" },
  { type: "phone", value: "+48601234568" },
  { type: "crm", value: "C-1" },
  { type: "crm", value: "C-2" },
];
const at = (h: number) => new Date(Date.UTC(2026, 3, 1, h)).toISOString();
const customer = fc.uniqueArray(fc.constantFrom(...IDENTS), { minLength: 1, maxLength: 3, selector: (i) => i.value });
const hour = fc.integer({ min: 0, max: 300 });

const item: fc.Arbitrary<IngestItem> = fc.oneof(
  fc
    .record({ identifiers: customer, h: hour, id: fc.integer({ min: 0, max: 40 }) })
    .map((r): IngestItem => ({ kind: "identify", identifiers: r.identifiers, at: at(r.h), id: `i${r.id}` })),
  fc
    .record({
      customer,
      h: hour,
      channel: fc.constantFrom("email", "phone", "chat"),
      ext: fc.integer({ min: 0, max: 60 }),
      tags: fc.constantFrom<string[][]>([], ["complaint"]),
    })
    .map(
      (r): IngestItem => ({
        kind: "record",
        channel: r.channel,
        direction: "inbound",
        at: at(r.h),
        customer: r.customer,
        externalId: `x${r.ext}`,
        tags: r.tags,
      }),
    ),
  fc
    .record({ customer, h: hour, granted: fc.boolean() })
    .map(
      (r): IngestItem => ({ kind: "consent", customer: r.customer, channel: "email", granted: r.granted, at: at(r.h) }),
    ),
  fc.record({ customer, h: hour, apr: fc.constantFrom(5, 6) }).map(
    (r): IngestItem => ({
      kind: "present",
      customer: r.customer,
      offerId: "loan",
      channel: "web",
      at: at(r.h),
      terms: { apr: r.apr },
    }),
  ),
);
const OFFER: IngestItem = { kind: "offer", id: "loan", name: "Loan", category: "service", terms: { apr: 5 } };

async function outcome(storage: StorageAdapter, items: IngestItem[], batchSize: number) {
  const cc = createCustomerContext({ storage, clock: FIXED });
  try {
    const summary = await cc.ingest([OFFER, ...items], { batchSize });
    const views: unknown[] = [];
    for (const i of IDENTS) views.push(await cc.context({ identifier: i }));
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
      fc.asyncProperty(
        fc.array(item, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (items, batchSize) => {
          const expected = await outcome(memoryAdapter(), items, items.length + 1);
          expect(await outcome(memoryAdapter(), items, batchSize)).toEqual(expected);
          expect(await outcome(sqliteAdapter({ filename: ":memory:" }), items, batchSize)).toEqual(expected);
          const pg = freshPostgresAdapter();
          schemas.push(pg);
          expect(await outcome(pg, items, batchSize)).toEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);
});
