/**
 * `countProfiles` (the CLI's end-of-import summary): the distinct profiles a list of profile ids
 * is now, absorbed ids counted as their survivor, and those profiles' conversations, read in one
 * transaction whose calls do not grow with the number of profiles.
 */
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";
import { createCustomerContext } from "../../src/index.js";
import { countProfiles } from "../../src/shell/ingest.js";
import { faultyAdapter } from "../../src/testing/index.js";

const at = (minute: number) => new Date(Date.UTC(2026, 3, 1, 9, minute)).toISOString();

/** `n` customers, each with a conversation; customers 0 and 1 are then merged by a shared phone. */
async function store(n: number) {
  const storage = faultyAdapter(memoryAdapter());
  const cc = createCustomerContext({ storage });
  const ids: string[] = [];
  for (let c = 0; c < n; c++) {
    const email = { type: "email", value: `c${c}@x.pl` };
    ids.push((await cc.identify({ identifiers: [email], at: at(c) })).profileId);
    await cc.record({ channel: "chat", direction: "inbound", at: at(c), customer: [email], externalId: `chat-${c}` });
  }
  const phone = { type: "phone", value: "+48601234567" };
  await cc.identify({ identifiers: [{ type: "email", value: "c0@x.pl" }, phone], at: at(n) });
  const merge = await cc.identify({ identifiers: [{ type: "email", value: "c1@x.pl" }, phone], at: at(n + 1) });
  expect(merge.merged).toHaveLength(1);
  return { storage, cc, ids };
}

describe("countProfiles", () => {
  it("counts an absorbed id as the profile that absorbed it, and that profile's conversations", async () => {
    const { storage, cc, ids } = await store(3);
    // Three ids, two profiles now; the merged profile holds both chats (one conversation or two).
    const expected = (await cc.conversations.list({ profileId: ids[0] as string })).length;
    const third = (await cc.conversations.list({ profileId: ids[2] as string })).length;
    expect(await countProfiles(storage, ids)).toEqual({ profiles: 2, conversations: expected + third });
    expect(await countProfiles(storage, [ids[1] as string, ids[0] as string])).toEqual({
      profiles: 1,
      conversations: expected,
    });
    expect(await countProfiles(storage, ["prof_unknown"])).toEqual({ profiles: 0, conversations: 0 });
    expect(await countProfiles(storage, [])).toEqual({ profiles: 0, conversations: 0 });
  });

  it("makes the same number of storage calls for 4 profiles as for 200", async () => {
    const calls: number[] = [];
    for (const n of [4, 200]) {
      const { storage, ids } = await store(n);
      storage.inject({});
      await countProfiles(storage, ids);
      calls.push(storage.calls);
    }
    expect(calls[1]).toBe(calls[0]);
    expect(calls[0]).toBeLessThanOrEqual(4);
  });
});
