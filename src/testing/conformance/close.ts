import { expect, it } from "vitest";
import type { StorageAdapter } from "../../storage/port.js";

/**
 * The `close` group: no transaction after `close()`. `onClosed` tells the suite not to close the
 * adapter again after the test.
 */
export function closeGroup(adapter: () => StorageAdapter, onClosed: () => void): void {
  it("refuses transactions after close", async () => {
    await adapter().close();
    onClosed();
    await expect(adapter().transaction(async () => 1)).rejects.toThrow();
  });
}
