/**
 * `customer-context/testing`: the storage adapter conformance suite and helpers for testing
 * code that uses customer-context: fast-check arbitraries, the documented journeys as scenarios,
 * a controllable clock and vitest matchers.
 *
 * @module
 */

// The port's required and batch members, for adapter authors' own checks (the suite uses them).
export {
  BATCH_TRANSACTION_METHODS,
  REQUIRED_ADAPTER_MEMBERS,
  REQUIRED_TRANSACTION_METHODS,
} from "../storage/port.js";
export {
  type ArbitraryIdentifier,
  type ArbitraryOptions,
  arbitraries,
  CHANNELS,
  type PhoneRegion,
  type WorkloadItem,
  type WorkloadKind,
  type WorkloadOptions,
} from "./arbitraries.js";
export { type AdapterConformanceOptions, type ConformanceGroup, runAdapterConformance } from "./conformance.js";
export {
  FaultInjectedError,
  type FaultLocation,
  type FaultyAdapter,
  type FaultyAdapterOptions,
  faultyAdapter,
  type StorageDump,
} from "./faultyAdapter.js";
export {
  type CustomerContextMatchers,
  type MatcherCustomerRef,
  type MatcherIdentifier,
  type MatcherResult,
  matchers,
} from "./matchers.js";
export { scenarioOutcome } from "./scenarioOutcome.js";
export {
  type Scenario,
  type ScenarioExpectation,
  type ScenarioIdentifier,
  type ScenarioItem,
  scenarios,
} from "./scenarios.js";
export { type TestClock, testClock } from "./testClock.js";
