import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryAdapter } from "../../src/adapters/memory/index.js";

/** Deep-freezes a JSON tree in place. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe("memory adapter without copies", () => {
  it("stores a deeply frozen JSON value as it is, and reads it back without a copy", async () => {
    const storage = memoryAdapter();
    const value = deepFreeze({ a: [1, { b: "x" }], c: null, d: true });
    await storage.transaction(async (tx) => {
      await tx.put("docs", "k", value);
      await tx.putMany?.("docs", [{ key: "m", value }]);
    });
    await storage.transaction(async (tx) => {
      expect(await tx.get("docs", "k")).toBe(value);
      expect((await tx.getMany("docs", ["m"])).get("m")).toBe(value);
    });
  });

  it("copies a value that is frozen only on top, so mutating its children changes nothing", async () => {
    const storage = memoryAdapter();
    const child = { n: 1, list: [1] };
    const value = Object.freeze({ child, when: new Date("2026-01-01T00:00:00Z") });
    await storage.transaction(async (tx) => tx.put("docs", "k", value));
    child.n = 2;
    child.list.push(2);
    const stored = await storage.transaction(async (tx) => tx.get("docs", "k"));
    expect(stored).toEqual({ child: { n: 1, list: [1] }, when: "2026-01-01T00:00:00.000Z" });
    expect(Object.isFrozen(stored)).toBe(true);
  });

  it("keeps keys named like Object.prototype members as plain keys", async () => {
    const storage = memoryAdapter();
    const value = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "toString": 2}');
    await storage.transaction(async (tx) => tx.put("docs", "k", value));
    const stored = (await storage.transaction(async (tx) => tx.get<Record<string, unknown>>("docs", "k"))) ?? {};
    expect(Object.keys(stored)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(JSON.stringify(stored)).toBe('{"__proto__":{"x":1},"constructor":"c","toString":2}');
  });

  it("writes nothing of a putMany whose values cannot all be stored", async () => {
    const storage = memoryAdapter();
    await storage.transaction(async (tx) => {
      await expect(
        tx.putMany?.("docs", [
          { key: "a", value: { ok: 1 } },
          { key: "b", value: undefined },
        ]),
      ).rejects.toThrow();
      expect(await tx.get("docs", "a")).toBeNull();
    });
  });

  it("returns what a JSON round trip would, for any JSON-like value, and never shares mutable state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const storage = memoryAdapter();
        const input = structuredClone(value);
        await storage.transaction(async (tx) => tx.put("docs", "k", input));
        const read = await storage.transaction(async (tx) => tx.get("docs", "k"));
        expect(JSON.stringify(read)).toBe(JSON.stringify(value));
        if (read !== null && typeof read === "object") expect(Object.isFrozen(read)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
