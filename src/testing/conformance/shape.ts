import { expect, it } from "vitest";
import {
  REQUIRED_ADAPTER_MEMBERS,
  REQUIRED_TRANSACTION_METHODS,
  type StorageAdapter,
  type StorageTransaction,
} from "../../storage/port.js";

/**
 * The `shape` group: the adapter has every required member, declares its capabilities, and its
 * transactions have every required method.
 */
export function shapeGroup(adapter: () => StorageAdapter): void {
  const tx = <T>(fn: (t: StorageTransaction) => Promise<T>) => adapter().transaction<T>(fn);

  it("has every required member and declares its capabilities", async () => {
    for (const member of REQUIRED_ADAPTER_MEMBERS) expect(adapter()[member], member).toBeDefined();
    expect(typeof adapter().name).toBe("string");
    expect(adapter().capabilities.transactions).toBe(true);
    for (const flag of ["multiProcess", "events", "durable"] as const) {
      expect(typeof adapter().capabilities[flag], flag).toBe("boolean");
    }
    await tx(async (t) => {
      for (const method of REQUIRED_TRANSACTION_METHODS) expect(typeof t[method], method).toBe("function");
    });
  });
}
