/**
 * Issue 10: SQLite `getMany` binds up to 8 keys as parameters and sends more as one JSON array;
 * both give the same documents, for any count, with repeated, missing and non-BMP keys.
 */
import { describe, expect, it } from "vitest";
import { sqliteAdapter } from "../../src/adapters/sqlite/index.js";

const keys = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? `k${i}-\u{1F600}\uE000` : `k${i}`));

describe("sqlite getMany", () => {
  it.each([0, 1, 2, 7, 8, 9, 40])("finds the stored ones among %i keys, repeats and misses included", async (n) => {
    const adapter = sqliteAdapter({ filename: ":memory:" });
    await adapter.transaction(async (tx) => {
      await tx.putMany?.(
        "docs",
        keys.filter((_, i) => i % 2 === 0).map((key) => ({ key, value: { key } })),
      );
    });
    const asked = keys.slice(0, n);
    const withRepeats = n > 0 ? [...asked, asked[0] as string] : asked;
    const found = await adapter.transaction((tx) => tx.getMany<{ key: string }>("docs", withRepeats), {
      readOnly: true,
    });
    const expected = asked.filter((_, i) => i % 2 === 0);
    expect([...found.keys()].sort()).toEqual([...expected].sort());
    for (const [key, value] of found) expect(value).toEqual({ key });
    await adapter.close();
  });
});
