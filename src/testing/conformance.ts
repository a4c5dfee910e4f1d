import { afterEach, beforeEach, describe } from "vitest";
import type { StorageAdapter } from "../storage/port.js";
import { batchGroup } from "./conformance/batch.js";
import { closeGroup } from "./conformance/close.js";
import { concurrencyGroup } from "./conformance/concurrency.js";
import { documentsGroup } from "./conformance/documents.js";
import { eventsGroup } from "./conformance/events.js";
import { forgetGroup } from "./conformance/forget.js";
import { indexesGroup } from "./conformance/indexes.js";
import { isolationGroup } from "./conformance/isolation.js";
import { scanGroup } from "./conformance/scan.js";
import { shapeGroup } from "./conformance/shape.js";
import { transactionsGroup } from "./conformance/transactions.js";

/** Groups of the conformance suite; pass names in `skip` to leave groups out. */
export type ConformanceGroup =
  | "shape"
  | "documents"
  | "indexes"
  | "scan"
  | "isolation"
  | "batch"
  | "transactions"
  | "concurrency"
  | "events"
  | "forget"
  | "close";

/** Options of {@link runAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Name shown in the test report. */
  name: string;
  /** Returns a new adapter over an empty store. Called before every test. */
  createAdapter: () => StorageAdapter | Promise<StorageAdapter>;
  /** Called after every test with the adapter (after `close()` was called on it). */
  teardown?: (adapter: StorageAdapter) => void | Promise<void>;
  /** Groups to leave out. Groups of capabilities the adapter does not declare are skipped anyway. */
  skip?: ConformanceGroup[];
}

/**
 * Registers vitest suites that check a storage adapter against the port: null on a miss,
 * documents and indexes, ordering, commit and rollback, interleaved transactions, unicode and
 * large values, the batch methods (`findMany`, `putMany`, `deleteMany`, `appendEvents`), the
 * event log and close. Run it from your adapter's own test file.
 *
 * @example
 * ```ts
 * import { runAdapterConformance } from "customer-context/testing";
 * import { myAdapter } from "./my-adapter.js";
 * runAdapterConformance({ name: "my-adapter", createAdapter: () => myAdapter() });
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  const skip = new Set(options.skip ?? []);
  let adapter: StorageAdapter;
  let closed = false;
  const current = () => adapter;

  // One file per capability group (src/testing/conformance/), each registering its tests against
  // the adapter of the running test; a group is left out when skipped or not declared.
  const group = (name: ConformanceGroup, body: () => void, enabled = true) =>
    (skip.has(name) || !enabled ? describe.skip : describe)(name, body);

  describe(`storage adapter conformance: ${options.name}`, () => {
    beforeEach(async () => {
      adapter = await options.createAdapter();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await adapter.close();
      await options.teardown?.(adapter);
    });

    group("shape", () => shapeGroup(current));
    group("documents", () => documentsGroup(current));
    group("indexes", () => indexesGroup(current));
    group("scan", () => scanGroup(current));
    group("isolation", () => isolationGroup(current));
    group("transactions", () => transactionsGroup(current));
    group("concurrency", () => concurrencyGroup(current));
    group("events", () => eventsGroup(current));
    group("batch", () => batchGroup(current));
    group("forget", () => forgetGroup(current));
    group("close", () =>
      closeGroup(current, () => {
        closed = true;
      }),
    );
  });
}
