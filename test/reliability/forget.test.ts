/**
 * I8: after `profiles.forget`, nothing of the person is left: no identifier value, trait, text or
 * operator reason, and no id derived from their identifiers, in any document, any event, or (for
 * SQLite) any byte of the database file and its write-ahead log; and a neighbour equals the same
 * neighbour in a store that never saw the person.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";
import { createCustomerContext, memoryAdapter, type StorageAdapter } from "../../src/index.js";
import { C, CC, IDEMPOTENCY_KEYS, OC } from "../../src/shell/_lib/schema.js";
import { dropPostgresSchema, freshPostgresAdapter, postgresUrl } from "../setup/fresh-postgres.js";

type Context = ReturnType<typeof createCustomerContext>;

const dir = mkdtempSync(join(tmpdir(), "cc-forget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const email = { type: "email", value: "Xavier.Secret@Example.com" };
const email2 = { type: "email", value: "x.secret.private@example.org" };
const phone = { type: "phone", value: "+48 601 111 222" };
const crm = { type: "crmId", value: "CRM-778899" };
const noraEmail = { type: "email", value: "nora@example.net" };
const noraCrm = { type: "crmId", value: "CRM-NORA-1" };

/** Strings of the person that must not survive, compared case-insensitively. */
const SECRETS = [
  "xavier.secret",
  "x.secret.private",
  "601111222",
  "crm-778899",
  "secretname",
  "loan for the summer house",
  "pl61109010140000071219812874",
  "confirmed with the customer on the phone",
  "split on request",
  "rejoined after review",
  "ticket-xs-1",
];

function context(storage: StorageAdapter): Context {
  return createCustomerContext({
    storage,
    clock: () => new Date("2026-05-01T12:00:00Z"),
    onListenerError: () => undefined,
  });
}

/** Nora's own evidence, the same in both stores. */
async function nora(cc: Context): Promise<void> {
  await cc.identify({ identifiers: [noraEmail, noraCrm], at: "2026-04-01T08:00:00Z", traits: { name: "Nora" } });
  await cc.record({
    channel: "email",
    direction: "inbound",
    at: "2026-04-02T08:00:00Z",
    customer: [noraEmail],
    subject: "Card limit",
    text: "Please raise my card limit",
  });
}

/** The person's evidence; returns every id of theirs seen on the way. */
async function person(cc: Context): Promise<string[]> {
  const ids: string[] = [];
  const a = await cc.identify({
    id: "crm-import-1",
    identifiers: [email, crm],
    at: "2026-04-01T09:00:00Z",
    traits: { name: "Xavier Secretname" },
  });
  ids.push(a.profileId);
  ids.push((await cc.identify({ identifiers: [email, phone], at: "2026-04-01T10:00:00Z" })).profileId);
  const b = await cc.identify({ identifiers: [email2], at: "2026-04-01T11:00:00Z" });
  ids.push(b.profileId);
  await cc.profiles.merge(a.profileId, b.profileId, { reason: "confirmed with the customer on the phone" });
  await cc.profiles.unmerge(a.profileId, email2, { reason: "split on request" });
  const again = await cc.profiles.merge(a.profileId, b.profileId, { reason: "rejoined after review" });
  ids.push(...again.merged);
  const r = await cc.record({
    channel: "email",
    direction: "inbound",
    at: "2026-04-05T09:00:00Z",
    customer: [email],
    externalId: "ticket-xs-1",
    subject: "Loan for the summer house",
    text: "My IBAN is PL61109010140000071219812874",
  });
  ids.push(r.interactionId, r.conversationId);
  const call = await cc.record({
    channel: "phone",
    direction: "outbound",
    at: "2026-04-05T10:00:00Z",
    customer: [phone],
    text: "Called back about the summer house",
  });
  ids.push(call.interactionId, call.conversationId);
  await cc.consent({ customer: [phone], channel: "sms", granted: false, at: "2026-04-05T11:00:00Z" });
  await cc.offers.define({ id: "loan", name: "Loan", category: "marketing", terms: { apr: 5.9 } });
  const shown = await cc.offers.present({
    customer: [email],
    offerId: "loan",
    channel: "web",
    at: "2026-04-06T09:00:00Z",
    terms: { apr: 7.9 },
  });
  ids.push(shown.presentationId);
  // Erased evidence that touches the neighbour: refused (two CRM ids), but it counted Nora's email.
  await cc.identify({ identifiers: [noraEmail, crm], at: "2026-04-20T08:00:00Z" });
  const profile = await cc.profiles.get({ identifier: email });
  if (profile) ids.push(profile.id);
  return [...new Set(ids)];
}

const collections = [...Object.values(C), ...Object.values(CC), ...Object.values(OC), IDEMPOTENCY_KEYS];

/** Every document of the shell's collections and every event, as text. */
async function dump(storage: StorageAdapter): Promise<string> {
  const docs = await storage.transaction(
    async (tx) => {
      const out: unknown[] = [];
      for (const c of collections) out.push(c, await tx.scan(c));
      return out;
    },
    { readOnly: true },
  );
  const events = (await storage.readEvents?.(0, 100_000)) ?? [];
  return JSON.stringify({ docs, events });
}

function leaks(text: string, ids: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return [...SECRETS, ...ids.map((id) => id.toLowerCase())].filter((s) => lower.includes(s));
}

function fileLeaks(path: string, ids: readonly string[]): string[] {
  if (!existsSync(path)) return [];
  return leaks(readFileSync(path).toString("latin1"), ids);
}

describe("forget leaves nothing of the person behind", () => {
  it("memory: no value, text, reason or id of theirs in any document or event", async () => {
    const storage = memoryAdapter();
    const cc = context(storage);
    await nora(cc);
    const ids = await person(cc);
    expect(leaks(await dump(storage), ids).length).toBeGreaterThan(5);
    expect(await cc.profiles.forget({ identifier: phone })).toBe(true);
    expect(leaks(await dump(storage), ids)).toEqual([]);
    expect(await cc.profiles.get({ identifier: email })).toBeNull();
    expect(await cc.profiles.get({ identifier: email2 })).toBeNull();
  });

  it("SQLite: not in documents, events, index entries, nor any byte of the file or its WAL, open or closed", async () => {
    const file = join(dir, `${++files}.db`);
    const storage = sqliteAdapter({ filename: file });
    const cc = context(storage);
    await nora(cc);
    const ids = await person(cc);
    expect(fileLeaks(file, ids).length + fileLeaks(`${file}-wal`, ids).length).toBeGreaterThan(5);
    expect(await cc.profiles.forget({ identifier: { type: "crmId", value: "CRM-778899" } })).toBe(true);
    expect(leaks(await dump(storage), ids)).toEqual([]);
    // Still open: the erasure truncated the WAL and zeroed the freed space.
    expect(fileLeaks(`${file}-wal`, ids)).toEqual([]);
    expect(fileLeaks(file, ids)).toEqual([]);
    await cc.close();
    expect(fileLeaks(file, ids)).toEqual([]);
    expect(fileLeaks(`${file}-wal`, ids)).toEqual([]);
    // Every table, including the index entries and the event names.
    const db = new Database(file, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    const rows = tables.map((t) => db.prepare(`SELECT * FROM "${t}"`).all());
    db.close();
    expect(tables).toContain("cc_event_names");
    expect(leaks(JSON.stringify(rows), ids)).toEqual([]);
  });

  it("PostgreSQL: not in any row of documents, index entries or events", async () => {
    const storage = await freshPostgresAdapter();
    try {
      const cc = context(storage);
      await nora(cc);
      const ids = await person(cc);
      const rows = async () => {
        const client = new pg.Client({ connectionString: postgresUrl() });
        await client.connect();
        try {
          const out: unknown[] = [];
          for (const table of ["documents", "index_entries", "events"]) {
            out.push((await client.query(`SELECT * FROM "${storage.schema}".${table}`)).rows);
          }
          return JSON.stringify(out);
        } finally {
          await client.end();
        }
      };
      expect(leaks(await rows(), ids).length).toBeGreaterThan(5);
      expect(await cc.profiles.forget({ identifier: phone })).toBe(true);
      expect(leaks(await rows(), ids)).toEqual([]);
      expect(leaks(await dump(storage), ids)).toEqual([]);
      const b = context(memoryAdapter());
      await nora(b);
      expect(await cc.context({ identifier: noraEmail })).toEqual(await b.context({ identifier: noraEmail }));
      await cc.close();
    } finally {
      await dropPostgresSchema(storage);
    }
  });

  it("a neighbour equals the same neighbour in a store that never saw the person", async () => {
    for (const make of [() => memoryAdapter(), () => sqliteAdapter({ filename: join(dir, `${++files}.db`) })]) {
      const a = context(make());
      await nora(a);
      await person(a);
      const before = await a.profiles.get({ identifier: noraEmail });
      await a.profiles.forget({ identifier: email });
      const b = context(make());
      await nora(b);
      const afterA = await a.profiles.get({ identifier: noraEmail });
      expect(afterA).toEqual(await b.profiles.get({ identifier: noraEmail }));
      // The erased observation had changed Nora's email: count and lastSeen are back.
      expect(before).not.toEqual(afterA);
      expect(await a.context({ identifier: noraEmail })).toEqual(await b.context({ identifier: noraEmail }));
      expect(await a.context({ identifier: noraCrm })).toEqual(await b.context({ identifier: noraCrm }));
      await a.close();
      await b.close();
    }
  });

  it("forgets the idempotency keys: replaying the person's input brings them back as new evidence", async () => {
    const cc = context(memoryAdapter());
    const input = { id: "crm-import-1", identifiers: [email, crm], at: "2026-04-01T09:00:00Z" };
    const first = await cc.identify(input);
    await cc.profiles.forget({ profileId: first.profileId });
    const again = await cc.identify(input);
    expect(again.created).toBe(true);
    expect(again.profileId).toBe(first.profileId);
  });

  it("erases in an ingest batch too, with the events of earlier items of the same batch", async () => {
    const storage = memoryAdapter();
    const cc = context(storage);
    await nora(cc);
    const summary = await cc.ingest([
      {
        kind: "identify",
        identifiers: [email, crm],
        at: "2026-04-01T09:00:00Z",
        traits: { name: "Xavier Secretname" },
      },
      {
        kind: "record",
        channel: "sms",
        direction: "inbound",
        at: "2026-04-02T09:00:00Z",
        customer: [email],
        text: "Loan for the summer house",
      },
      { kind: "forget", identifier: crm },
    ]);
    expect(summary.rejected).toEqual([]);
    const text = await dump(storage);
    expect(leaks(text, [])).toEqual([]);
    const events = (await storage.readEvents?.(0, 1000)) ?? [];
    expect(events.map((e) => e.type)).toContain("profile.forgotten");
    expect(JSON.stringify(events.filter((e) => e.type === "profile.forgotten"))).not.toContain("profileId");
  });

  it("refuses, writing nothing, on an adapter with an event log but no deleteEventsNaming", async () => {
    const inner = memoryAdapter();
    const storage: StorageAdapter = {
      name: "no-erasure",
      capabilities: inner.capabilities,
      readEvents: (after, limit) => inner.readEvents?.(after, limit) ?? Promise.resolve([]),
      close: () => inner.close(),
      transaction: (fn, options) =>
        inner.transaction(
          (tx) =>
            fn(
              new Proxy(tx, {
                get: (target, property) => {
                  if (property === "deleteEventsNaming") return undefined;
                  const value = Reflect.get(target, property);
                  return typeof value === "function" ? value.bind(target) : value;
                },
              }),
            ),
          options,
        ),
    };
    const cc = context(storage);
    await cc.identify({ identifiers: [email], at: "2026-04-01T09:00:00Z" });
    const before = await dump(inner);
    await expect(cc.profiles.forget({ identifier: email })).rejects.toMatchObject({
      code: "adapter_invalid",
      details: { missing: ["transaction.deleteEventsNaming"] },
    });
    expect(await dump(inner)).toBe(before);
  });
});

describe("forget with suppress", () => {
  async function suppressed() {
    const storage = memoryAdapter();
    const cc = context(storage);
    await nora(cc);
    await cc.identify({
      identifiers: [email, phone, crm],
      at: "2026-04-01T09:00:00Z",
      traits: { name: "Xavier Secretname" },
    });
    expect(await cc.profiles.forget({ identifier: email }, { suppress: true })).toBe(true);
    return { storage, cc };
  }

  it("keeps only keyed hashes, and refuses later input naming a suppressed identifier, writing nothing", async () => {
    const { storage, cc } = await suppressed();
    const before = await dump(storage);
    expect(leaks(before, [])).toEqual([]);
    const entries = await storage.transaction((tx) => tx.scan<{ at: string }>(C.suppressions));
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      expect(e.key).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(e.value)).toEqual(["at"]);
    }
    const refusal = { code: "refused", details: { reason: "suppressed" } };
    // Another spelling of the same phone normalises to the same key, and is refused too.
    await expect(
      cc.identify({
        identifiers: [
          { type: "phone", value: "+48601111222" },
          { type: "email", value: "new@x.pl" },
        ],
      }),
    ).rejects.toMatchObject(refusal);
    await expect(
      cc.record({ channel: "sms", direction: "inbound", at: "2026-05-01T10:00:00Z", customer: [crm], text: "hi" }),
    ).rejects.toMatchObject(refusal);
    await expect(
      cc.consent({ customer: [email], channel: "email", granted: true, at: "2026-05-01T10:00:00Z" }),
    ).rejects.toMatchObject(refusal);
    const summary = await cc.ingest([
      { kind: "identify", identifiers: [email] },
      { kind: "identify", identifiers: [{ type: "email", value: "someone.else@x.pl" }] },
    ]);
    expect(summary.rejected.map((r) => [r.index, r.error.code])).toEqual([[0, "refused"]]);
    expect(summary.kept).toBe(1);
    // Nothing of the refused items was written (only the one good ingest item is new).
    const after = await dump(storage);
    expect(leaks(after, [])).toEqual([]);
    expect(await cc.profiles.get({ identifier: email })).toBeNull();
    // Input not naming a suppressed identifier is untouched: Nora still works.
    await cc.identify({ identifiers: [noraEmail], at: "2026-05-01T09:00:00Z" });
  });

  it("unsuppress lifts one identifier: it is accepted again, as a new customer", async () => {
    const { cc } = await suppressed();
    expect(await cc.profiles.unsuppress({ type: "email", value: "xavier.secret@example.com" })).toBe(true);
    expect(await cc.profiles.unsuppress(email)).toBe(false);
    expect(await cc.profiles.unsuppress({ type: "email", value: "never.seen@x.pl" })).toBe(false);
    const back = await cc.identify({ identifiers: [email], at: "2026-05-01T09:00:00Z" });
    expect(back.created).toBe(true);
    expect((await cc.profiles.get({ identifier: email }))?.traits).toEqual({});
    // The others stay suppressed.
    await expect(cc.identify({ identifiers: [phone] })).rejects.toMatchObject({ details: { reason: "suppressed" } });
  });

  it("uses a per-store key: the same identifier hashes differently in two stores", async () => {
    const one = await suppressed();
    const two = await suppressed();
    const keys = async (s: StorageAdapter) =>
      (await s.transaction((tx) => tx.scan(C.suppressions))).map((d) => d.key).sort();
    expect(await keys(one.storage)).not.toEqual(await keys(two.storage));
  });

  it("suppression survives a new context over the same SQLite file", async () => {
    const file = join(dir, `${++files}.db`);
    const first = context(sqliteAdapter({ filename: file }));
    await first.identify({ identifiers: [email], at: "2026-04-01T09:00:00Z" });
    await first.profiles.forget({ identifier: email }, { suppress: true });
    await first.close();
    const second = context(sqliteAdapter({ filename: file }));
    await expect(second.identify({ identifiers: [email] })).rejects.toMatchObject({
      details: { reason: "suppressed" },
    });
    expect(await second.profiles.unsuppress(email)).toBe(true);
    expect((await second.identify({ identifiers: [email] })).created).toBe(true);
    await second.close();
  });

  it("rejects bad options and identifiers with invalid_input naming the field, and writes nothing", async () => {
    const storage = memoryAdapter();
    const cc = context(storage);
    await cc.identify({ identifiers: [email], at: "2026-04-01T09:00:00Z" });
    const before = await dump(storage);
    await expect(cc.profiles.forget({ identifier: email }, { suppress: "yes" } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ path: ["suppress"], code: "invalid_type" }],
    });
    await expect(cc.profiles.forget({ identifier: email }, { supress: true } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ path: ["supress"], code: "unrecognized_key" }],
    });
    await expect(cc.profiles.forget({ identifier: email }, null as never)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(cc.profiles.unsuppress({ type: "email" } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ path: ["value"] }],
    });
    await expect(cc.profiles.unsuppress({ type: "email", value: "not an email" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ path: ["value"] }],
    });
    expect(await dump(storage)).toBe(before);
    expect(await cc.profiles.get({ identifier: email })).not.toBeNull();
  });
});
