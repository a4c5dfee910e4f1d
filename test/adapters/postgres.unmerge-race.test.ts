/**
 * Operator decisions racing writers on one PostgreSQL (issue 11, item 5): one context unmerges,
 * merges back and forgets a customer while three others, each with its own adapter and pool (so
 * their transactions really run at once), keep identifying into the same profile. Every call
 * either succeeds or fails with a typed error (`not_found`, `refused`, `conflict`); none fails
 * with an untyped TypeError (formerly `Cannot read properties of null`, when the profile was
 * absorbed between the lookup and the lock). Afterwards no identifier is in two profiles.
 */
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapter } from "../../src/adapters/postgres/index.js";
import { type CustomerContext, createCustomerContext, isCustomerContextError } from "../../src/index.js";
import { dropPostgresSchema, freshSchemaName, postgresUrl } from "../setup/fresh-postgres.js";

const schema = freshSchemaName("cc_unmerge_race");
afterAll(() => dropPostgresSchema(schema));

const ROUNDS = 30;
const TYPED = new Set(["not_found", "refused", "conflict"]);

const storage = () => postgresAdapter({ connectionString: postgresUrl() }, { schema, poolSize: 2 });
const context = (adapter = storage()): CustomerContext => createCustomerContext({ storage: adapter });

/** Runs `fn`, keeping typed failures by code and anything else as it is. */
async function attempt(failures: unknown[], codes: string[], fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (isCustomerContextError(error) && TYPED.has(error.code)) codes.push(error.code);
    else failures.push(error);
  }
}

describe("PostgreSQL: unmerge, merge and forget racing concurrent writers", () => {
  it("every call succeeds or fails typed, and no identifier ends in two profiles", async () => {
    const adapter = storage();
    const operator = context(adapter);
    const other = context();
    const forgetter = context();
    const writers = [context(), context(), context()];
    const failures: unknown[] = [];
    const codes: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // Per round: an older profile Q {crm}, a newer P {email, phone} and R {phone2}. Writers
        // join P into Q (P is absorbed) while the operator unmerges from P, merges P with R and
        // forgets, all at once.
        const n = String(round).padStart(4, "0");
        const email = { type: "email", value: `ewa.${n}@klient.pl` };
        const phone = { type: "phone", value: `+4860100${n}` };
        const phone2 = { type: "phone", value: `+4860200${n}` };
        const crm = { type: "crmId", value: `CRM-RACE-${n}` };
        await operator.identify({ identifiers: [crm], at: "2026-01-01T00:00:00Z" });
        const p = await operator.identify({ identifiers: [email, phone], at: "2026-02-01T00:00:00Z" });
        const r = await operator.identify({ identifiers: [phone2], at: "2026-02-02T00:00:00Z" });
        const late = "2026-03-01T00:00:00Z";
        const writes = writers.map((cc, w) =>
          attempt(failures, codes, () =>
            cc.identify({ identifiers: w === 2 ? [phone, phone2] : [email, crm], at: late }),
          ),
        );
        const operate = [
          attempt(failures, codes, () => operator.profiles.unmerge(p.profileId, phone, { reason: `race ${n}` })),
          attempt(failures, codes, () => other.profiles.merge(p.profileId, r.profileId, { reason: "rejoin" })),
          ...(round % 3 === 2 ? [attempt(failures, codes, () => forgetter.profiles.forget({ identifier: crm }))] : []),
        ];
        await Promise.all([...operate, ...writes]);
      }
      expect(failures).toEqual([]);

      // Invariants: each stored identifier is a member of exactly the profile it resolves to.
      const ids = await adapter.transaction(async (tx) =>
        (await tx.scan<{ type: string; value: string }>("identifiers")).map((d) => d.value),
      );
      const owner = new Map<string, string>();
      for (const ident of ids.filter((d) => typeof d.type === "string")) {
        const profile = await operator.profiles.get({ identifier: { type: ident.type, value: ident.value } });
        expect(profile, `${ident.type}:${ident.value}`).not.toBeNull();
        for (const member of profile?.identifiers ?? []) {
          const key = `${member.type}:${member.value}`;
          expect(owner.get(key) ?? profile?.id, key).toBe(profile?.id);
          owner.set(key, profile?.id ?? "");
        }
      }
    } finally {
      await Promise.all([operator.close(), other.close(), forgetter.close(), ...writers.map((cc) => cc.close())]);
    }
  }, 120_000);
});
