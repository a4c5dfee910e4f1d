/**
 * `customer-context/testing`: the storage adapter conformance suite and helpers for testing
 * code that uses customer-context.
 *
 * @module
 */
export { type AdapterConformanceOptions, type ConformanceGroup, runAdapterConformance } from "./conformance.js";
export {
  FaultInjectedError,
  type FaultLocation,
  type FaultyAdapter,
  type FaultyAdapterOptions,
  faultyAdapter,
  type StorageDump,
} from "./faultyAdapter.js";
