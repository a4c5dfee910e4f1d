/**
 * I8 as a property: forgetting a person after a random workload gives the same documents, and
 * the same `context()` for everyone else, as the workload without the person's items.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomerContext, memoryAdapter, type StorageAdapter } from "../../src/index.js";
import { C, CC, IDEMPOTENCY_KEYS, OC } from "../../src/shell/_lib/schema.js";

const PEOPLE = 3;
const identifiersOf = (p: number) => [
  { type: "email", value: `p${p}@x.pl` },
  { type: "phone", value: `+4860100000${p}` },
  { type: "crmId", value: `crm-${p}` },
];

type Item =
  | { kind: "identify"; person: number; pick: number[]; day: number; name?: string | undefined }
  | { kind: "record"; person: number; pick: number; day: number; channel: string; text: string }
  | { kind: "consent"; person: number; pick: number; day: number; granted: boolean };

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.record({
    kind: fc.constant("identify" as const),
    person: fc.integer({ min: 0, max: PEOPLE - 1 }),
    pick: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
    day: fc.integer({ min: 1, max: 28 }),
    name: fc.option(fc.constantFrom("Ann", "Bob", "Cy"), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("record" as const),
    person: fc.integer({ min: 0, max: PEOPLE - 1 }),
    pick: fc.integer({ min: 0, max: 2 }),
    day: fc.integer({ min: 1, max: 28 }),
    channel: fc.constantFrom("email", "sms", "phone"),
    text: fc.constantFrom("hello", "about my loan", "call me"),
  }),
  fc.record({
    kind: fc.constant("consent" as const),
    person: fc.integer({ min: 0, max: PEOPLE - 1 }),
    pick: fc.integer({ min: 0, max: 2 }),
    day: fc.integer({ min: 1, max: 28 }),
    granted: fc.boolean(),
  }),
);

function toInput(i: Item): Record<string, unknown> {
  const at = `2026-04-${String(i.day).padStart(2, "0")}T10:00:00Z`;
  const ids = identifiersOf(i.person);
  switch (i.kind) {
    case "identify":
      return {
        kind: "identify",
        identifiers: i.pick.map((n) => ids[n]),
        at,
        ...(i.name ? { traits: { name: i.name } } : {}),
      };
    case "record":
      return { kind: "record", channel: i.channel, direction: "inbound", at, customer: [ids[i.pick]], text: i.text };
    case "consent":
      return { kind: "consent", customer: [ids[i.pick]], channel: "email", granted: i.granted, at };
  }
}

const collections = [...Object.values(C), ...Object.values(CC), ...Object.values(OC), IDEMPOTENCY_KEYS];

/**
 * Every stored document. The member group a profile files its identifiers under depends on the
 * path the evidence took (union by size, and a profile re-anchored by late evidence keeps its
 * group), so it is replaced by the id of the profile that owns it: what it means, not how it is
 * filed.
 */
async function documents(storage: StorageAdapter): Promise<unknown> {
  return storage.transaction(async (tx) => {
    const out: Record<string, unknown> = {};
    for (const c of collections) out[c] = await tx.scan(c);
    const owner = new Map<string, string>();
    for (const { value } of await tx.scan<{ id: string; group: string }>(C.profiles)) owner.set(value.group, value.id);
    const ownedBy = ({ key, value }: { key: string; value: { group?: string } }) => {
      const { group, ...rest } = value;
      return { key, value: group === undefined ? rest : { ...rest, profile: owner.get(group) ?? `unowned ${group}` } };
    };
    out[C.profiles] = (out[C.profiles] as { key: string; value: { group: string } }[]).map(ownedBy);
    out[C.identifiers] = (out[C.identifiers] as { key: string; value: { group: string } }[]).map(ownedBy);
    return out;
  });
}

const clock = () => new Date("2026-05-01T12:00:00Z");

describe("forget as a property (I8)", () => {
  it("forget(person) after a workload equals the workload without the person's items", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 25 }), async (items) => {
        const target = 0;
        const storeA = memoryAdapter();
        const a = createCustomerContext({ storage: storeA, clock });
        await a.ingest(items.map(toInput));
        const known = await a.profiles.get({ identifier: identifiersOf(target)[0] as { type: string; value: string } });
        for (const ident of identifiersOf(target)) await a.profiles.forget({ identifier: ident });
        const storeB = memoryAdapter();
        const b = createCustomerContext({ storage: storeB, clock });
        await b.ingest(items.filter((i) => i.person !== target).map(toInput));
        expect(await documents(storeA)).toEqual(await documents(storeB));
        for (let p = 1; p < PEOPLE; p++) {
          for (const ident of identifiersOf(p)) {
            expect(await a.context({ identifier: ident })).toEqual(await b.context({ identifier: ident }));
          }
        }
        const events = JSON.stringify((await storeA.readEvents?.(0, 10_000)) ?? []);
        if (known) expect(events).not.toContain(known.id);
        expect(events).not.toContain("p0@x.pl");
      }),
      {
        numRuns: 40,
        examples: [
          // CI found this: in the full workload the record ends an identify run, so the second
          // identify of person 1 arrives as late evidence and re-anchors the profile, which keeps
          // its first id as member group; without person 0 both identifies are one run.
          [
            [
              { kind: "identify", person: 1, pick: [0], day: 1, name: undefined },
              { kind: "record", person: 0, pick: 0, day: 1, channel: "email", text: "hello" },
              { kind: "identify", person: 1, pick: [2, 0], day: 1, name: undefined },
              { kind: "identify", person: 0, pick: [0], day: 1, name: undefined },
            ],
          ],
        ],
      },
    );
  });
});
