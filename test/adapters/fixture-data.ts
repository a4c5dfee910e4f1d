import { expect } from "vitest";
import type { StorageAdapter } from "../../src/storage/port.js";

/** Asserts that the documents, index entries and events of the v1 fixtures are all readable. */
export async function expectV1FixtureData(adapter: StorageAdapter): Promise<void> {
  await adapter.transaction(async (t) => {
    expect(await t.get("profiles", "p2")).toEqual({ id: "p2", traits: { name: "Zażółć Gęślą" } });
    expect((await t.scan("profiles")).map((d) => d.key)).toEqual(["p1", "p2"]);
    expect((await t.scan("identifiers")).map((d) => d.key)).toEqual([
      "email:jan@x.pl",
      "email:zg@x.pl",
      "phone:+48123456789",
    ]);
    expect(await t.find("identifiers", "profile", "p1")).toEqual([
      { key: "email:jan@x.pl", value: { profileId: "p1" } },
      { key: "phone:+48123456789", value: { profileId: "p1" } },
    ]);
    expect([...(await t.getMany("identifiers", ["email:zg@x.pl", "nope"])).keys()]).toEqual(["email:zg@x.pl"]);
  });
  const events = (await adapter.readEvents?.(0, 10)) ?? [];
  expect(events.map((e) => [e.seq, e.type, e.payload])).toEqual([
    [1, "profile.created", { profileId: "p1" }],
    [2, "profile.created", { profileId: "p2" }],
  ]);
  // The upgraded store keeps working: writes, index replacement, new events after the old ones.
  await adapter.transaction(async (t) => {
    await t.put("identifiers", "email:jan@x.pl", { profileId: "p2" }, { index: { profile: "p2" } });
    expect(await t.appendEvent?.("profile.merged", "2026-02-01T00:00:00.000Z", { from: "p1" })).toBe(3);
  });
  await adapter.transaction(async (t) => {
    expect((await t.find("identifiers", "profile", "p1")).map((d) => d.key)).toEqual(["phone:+48123456789"]);
    expect((await t.find("identifiers", "profile", "p2")).map((d) => d.key)).toEqual([
      "email:jan@x.pl",
      "email:zg@x.pl",
    ]);
  });
}
