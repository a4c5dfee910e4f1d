/**
 * Operator decisions are first-class and undoable: `profiles.decisions` lists them,
 * `profiles.revoke` withdraws one as if it had never been made (I4 for decisions), and revoking
 * an auto-merge is sticky.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraries } from "../../src/testing/index.js";
import { type CustomerContextEvent, createCustomerContext, type Identifier } from "./_support.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const day = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z`;
const iso = (d: number, h = 9) => new Date(day(d, h)).toISOString();

function setup(options: Parameters<typeof createCustomerContext>[0] = {}) {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(day(30)), ...options });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events };
}

const fields = { firstName: "name", lastName: "name", dateOfBirth: "date", city: "text" } as const;
const jan = { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" };

describe("profiles.decisions", () => {
  it("lists merges and unmerges with id, time, reason and by, oldest first", async () => {
    const { cc } = setup();
    const a = await cc.identify({ identifiers: [email("jan@x.pl")], at: day(1) });
    const b = await cc.identify({ identifiers: [phone("601234567")], at: day(2) });
    await cc.ingest([
      { kind: "merge", a: a.profileId, b: b.profileId, reason: "confirmed by phone", by: "agent-7", at: day(3) },
    ]);
    await cc.ingest([
      {
        kind: "unmerge",
        profileId: a.profileId,
        identifier: phone("601234567"),
        reason: "family phone",
        by: "agent-9",
        at: day(4),
      },
    ]);
    const list = await cc.profiles.decisions({ profileId: a.profileId });
    expect(list).toEqual([
      {
        id: expect.stringMatching(/^dec_/),
        kind: "merge",
        at: iso(3),
        reason: "confirmed by phone",
        by: "agent-7",
        identifiers: [email("jan@x.pl"), phone("+48601234567")],
        active: true,
      },
      {
        id: expect.stringMatching(/^dec_/),
        kind: "unmerge",
        at: iso(4),
        reason: "family phone",
        by: "agent-9",
        identifiers: [phone("+48601234567")],
        detached: [phone("+48601234567")],
        kept: [email("jan@x.pl")],
        active: true,
      },
    ]);
    // The detached side is shaped by the same decisions.
    expect((await cc.profiles.decisions({ identifier: phone("601234567") })).map((d) => d.kind)).toEqual([
      "merge",
      "unmerge",
    ]);
    expect(await cc.profiles.decisions({ identifier: email("nobody@x.pl") })).toEqual([]);
  });

  it("lists fuzzy auto-merges as auto-merge decisions", async () => {
    const { cc } = setup({ identity: { fuzzy: { fields, autoMergeAbove: 0.95 } } });
    const a = await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(1) });
    const b = await cc.identify({ identifiers: [phone("+48601234567")], traits: jan, at: day(2) });
    expect(b.profileId).toBe(a.profileId);
    const [decision] = await cc.profiles.decisions({ profileId: a.profileId });
    expect(decision).toMatchObject({ kind: "auto-merge", by: "fuzzy", at: iso(2), active: true });
    expect(decision?.reason).toMatch(/^fuzzy match [01]\.\d{3} \(/);
  });

  it("rejects a bad reference with invalid_input naming the field", async () => {
    const { cc } = setup();
    await expect(cc.profiles.decisions({ profileId: "" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["profileId"] })],
    });
  });
});

describe("profiles.revoke", () => {
  it("revoking a merge splits the profile back and re-stitches its conversations", async () => {
    const { cc, events } = setup();
    const a = await cc.identify({ identifiers: [email("jan@x.pl")], at: day(1) });
    const b = await cc.identify({ identifiers: [phone("601234567")], at: day(2) });
    await cc.record({ channel: "email", direction: "inbound", at: day(2, 10), customer: [email("jan@x.pl")] });
    await cc.record({ channel: "phone", direction: "inbound", at: day(2, 11), customer: [phone("601234567")] });
    await cc.profiles.merge(a.profileId, b.profileId, { reason: "same person" });
    expect((await cc.context({ profileId: a.profileId }))?.conversations).toHaveLength(1);
    const [decision] = await cc.profiles.decisions({ profileId: a.profileId });
    events.length = 0;
    const result = await cc.profiles.revoke(decision?.id as string, { reason: "merged by mistake", at: day(5) });
    expect(result).toEqual({
      decisionId: decision?.id,
      kind: "merge",
      profileIds: [a.profileId, b.profileId].sort(),
    });
    expect((await cc.profiles.find(phone("601234567")))?.id).toBe(b.profileId);
    expect((await cc.context({ profileId: a.profileId }))?.timeline.map((i) => i.channel)).toEqual(["email"]);
    expect((await cc.context({ profileId: b.profileId }))?.timeline.map((i) => i.channel)).toEqual(["phone"]);
    expect(await cc.profiles.decisions({ profileId: a.profileId })).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "profile.split",
        profileId: a.profileId,
        reason: "merged by mistake",
        at: iso(5),
      }),
    );
    // Revoking again changes nothing.
    const again = await cc.profiles.revoke(decision?.id as string, { reason: "merged by mistake" });
    expect(again).toEqual(result);
  });

  it("revoking an unmerge joins the parts again, and the separation no longer refuses links", async () => {
    const { cc } = setup();
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    await cc.profiles.unmerge(profileId, phone("601234567"), { reason: "family phone" });
    const refused = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(3) });
    expect(refused.refused.map((r) => r.reason)).toEqual(["unmerged"]);
    const [split] = await cc.profiles.decisions({ profileId });
    expect(split?.kind).toBe("unmerge");
    const { kind, profileIds } = await cc.profiles.revoke(split?.id as string, { reason: "it is his phone" });
    expect(kind).toBe("unmerge");
    expect(profileIds).toEqual([profileId]);
    expect((await cc.profiles.get({ profileId }))?.identifiers.map((i) => i.type)).toEqual(["email", "phone"]);
    const later = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(4) });
    expect(later.refused).toEqual([]);
  });

  it("revoking a merge restores the separation it lifted", async () => {
    const { cc } = setup();
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    const { detachedProfileId } = await cc.profiles.unmerge(profileId, phone("601234567"), { reason: "family" });
    await cc.profiles.merge(profileId, detachedProfileId, { reason: "it is his after all" });
    const merge = (await cc.profiles.decisions({ profileId })).find((d) => d.kind === "merge");
    expect((await cc.profiles.decisions({ profileId })).find((d) => d.kind === "unmerge")?.active).toBe(false);
    await cc.profiles.revoke(merge?.id as string, { reason: "no, it is not" });
    expect((await cc.profiles.find(phone("601234567")))?.id).toBe(detachedProfileId);
    const unmerge = (await cc.profiles.decisions({ profileId })).find((d) => d.kind === "unmerge");
    expect(unmerge?.active).toBe(true);
    const r = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(4) });
    expect(r.refused.map((x) => x.reason)).toEqual(["unmerged"]);
  });

  it("revoking an auto-merge is sticky: fuzzy matching does not merge the pair again, an operator can", async () => {
    const { cc } = setup({ identity: { fuzzy: { fields, autoMergeAbove: 0.95 } } });
    const a = await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(1) });
    await cc.identify({ identifiers: [phone("+48601234567")], traits: jan, at: day(2) });
    const [auto] = await cc.profiles.decisions({ profileId: a.profileId });
    const revoked = await cc.profiles.revoke(auto?.id as string, { reason: "twins" });
    expect(revoked.kind).toBe("auto-merge");
    expect(revoked.profileIds).toHaveLength(2);
    const again = await cc.identify({ identifiers: [phone("+48601234567")], traits: jan, at: day(3) });
    expect(again.profileId).not.toBe(a.profileId);
    expect(again.merged).toEqual([]);
    const touched = await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(4) });
    expect(touched.profileId).toBe(a.profileId);
    expect(touched.merged).toEqual([]);
    const other = revoked.profileIds.find((id) => id !== a.profileId) as string;
    const merged = await cc.profiles.merge(a.profileId, other, { reason: "the operator says so" });
    expect(merged.profileId).toBe(a.profileId);
    expect((await cc.profiles.decisions({ profileId: a.profileId })).map((d) => d.kind)).toEqual(["merge"]);
  });

  it("rejects unknown ids with not_found and bad input with invalid_input naming the field, writing nothing", async () => {
    const { cc, events } = setup();
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    await expect(cc.profiles.revoke("dec_nope", { reason: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(cc.profiles.revoke("", { reason: "x" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: [] })],
    });
    await expect(cc.profiles.revoke("dec_x", { reason: "" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["reason"], code: "too_small" })],
    });
    await expect(cc.profiles.revoke("dec_x", { reason: "x", at: "yesterday" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["at"] })],
    });
    await expect(cc.profiles.revoke("dec_x", { reason: "x", when: day(1) } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["when"], code: "unrecognized_key" })],
    });
    expect(events.filter((e) => e.type !== "profile.created")).toEqual([]);
    expect((await cc.profiles.get({ profileId }))?.identifiers).toHaveLength(2);
  });
});

describe("revoke in cc.ingest", () => {
  it("applies revoke items with an idempotency id: replaying is a duplicate, other content a conflict", async () => {
    const { cc } = setup();
    const a = await cc.identify({ identifiers: [email("jan@x.pl")], at: day(1) });
    const b = await cc.identify({ identifiers: [phone("601234567")], at: day(2) });
    await cc.profiles.merge(a.profileId, b.profileId, { reason: "same" });
    const [decision] = await cc.profiles.decisions({ profileId: a.profileId });
    const item = { kind: "revoke", decisionId: decision?.id as string, reason: "mistake", at: day(5), id: "rv-1" };
    const first = await cc.ingest([item]);
    expect(first).toMatchObject({ kept: 1, duplicates: 0, rejected: [] });
    expect((await cc.profiles.find(phone("601234567")))?.id).toBe(b.profileId);
    const replay = await cc.ingest([item]);
    expect(replay).toMatchObject({ kept: 1, duplicates: 1, rejected: [] });
    const conflict = await cc.ingest([{ ...item, reason: "other" }]);
    expect(conflict.rejected.map((r) => r.error.code)).toEqual(["conflict"]);
  });

  it("reports bad and unknown revoke items by index and keeps the rest", async () => {
    const { cc } = setup();
    const summary = await cc.ingest([
      { kind: "revoke", reason: "x" },
      { kind: "revoke", decisionId: "dec_unknown", reason: "x" },
      { kind: "identify", identifiers: [email("jan@x.pl")] },
    ]);
    expect(summary.kept).toBe(1);
    expect(summary.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [0, "invalid_input"],
      [1, "not_found"],
    ]);
    expect(summary.rejected[0]?.error.details).toEqual([expect.objectContaining({ path: ["decisionId"] })]);
  });
});

/** Everything a reader sees of the workload's people: profiles and contexts by identifier. */
async function view(cc: ReturnType<typeof createCustomerContext>, identifiers: readonly Identifier[]) {
  const out: Record<string, unknown> = {};
  for (const identifier of identifiers) {
    const key = `${identifier.type}:${identifier.value}`;
    out[key] = {
      profile: await cc.profiles.get({ identifier }),
      context: await cc.context({ identifier }),
    };
  }
  return out;
}

describe("I4 for decisions: revoking a decision equals never having made it", () => {
  it("holds for random workloads, a merge or an unmerge in the middle, and evidence after it", async () => {
    const workload = arbitraries.workload({
      customers: 3,
      maxItems: 14,
      duplicates: false,
      kinds: ["identify", "record", "consent"],
    });
    await fc.assert(
      fc.asyncProperty(
        workload,
        workload,
        fc.constantFrom("merge", "unmerge"),
        fc.nat(),
        fc.nat(),
        async (before, after, kind, pickA, pickB) => {
          const clock = () => new Date("2026-06-01T00:00:00Z");
          const withDecision = createCustomerContext({ identity: { defaultRegion: "PL" }, clock });
          const without = createCustomerContext({ identity: { defaultRegion: "PL" }, clock });
          // The second part happens later than the first and than the decision.
          const later = after.map((item) => ("at" in item ? { ...item, at: `2026-03${item.at.slice(7)}` } : item));
          await withDecision.ingest(before);
          await without.ingest(before);
          const identifiers = [...before, ...later].flatMap((item) =>
            "identifiers" in item ? item.identifiers : "customer" in item ? item.customer : [],
          );
          const profiles: string[] = [];
          for (const identifier of identifiers) {
            const p = await withDecision.profiles.get({ identifier });
            if (p && !profiles.includes(p.id)) profiles.push(p.id);
          }
          let made = false;
          if (kind === "merge" && profiles.length >= 2) {
            const a = profiles[pickA % profiles.length] as string;
            const b = profiles[(pickA + 1 + (pickB % (profiles.length - 1))) % profiles.length] as string;
            const summary = await withDecision.ingest([
              { kind: "merge", a, b, reason: "test", at: "2026-02-15T00:00:00Z" },
            ]);
            expect(summary.rejected.map((r) => r.error.code).filter((c) => c !== "refused")).toEqual([]);
            made = summary.rejected.length === 0;
          } else if (kind === "unmerge") {
            const candidates = [];
            for (const id of profiles) {
              const p = await withDecision.profiles.get({ profileId: id });
              if (p && p.identifiers.length > 1) candidates.push(p);
            }
            if (candidates.length > 0) {
              const p = candidates[pickA % candidates.length] as (typeof candidates)[number];
              const target = p.identifiers[pickB % p.identifiers.length] as Identifier;
              const summary = await withDecision.ingest([
                {
                  kind: "unmerge",
                  profileId: p.id,
                  identifier: { type: target.type, value: target.value },
                  reason: "test",
                  at: "2026-02-15T00:00:00Z",
                },
              ]);
              expect(summary.rejected).toEqual([]);
              made = true;
            }
          }
          await withDecision.ingest(later);
          await without.ingest(later);
          if (made) {
            const decisions = new Map<string, string>();
            for (const identifier of identifiers) {
              for (const d of await withDecision.profiles.decisions({ identifier })) decisions.set(d.id, d.kind);
            }
            expect([...decisions.values()]).toHaveLength(1);
            await withDecision.profiles.revoke([...decisions.keys()][0] as string, { reason: "undo" });
          }
          expect(await view(withDecision, identifiers)).toEqual(await view(without, identifiers));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
