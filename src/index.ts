/**
 * customer-context: one view of a customer across every channel.
 *
 * @module
 */

export { type MemoryAdapterOptions, memoryAdapter } from "./adapters/memory/index.js";
export {
  type CustomerContext,
  type CustomerContextListener,
  type CustomerContextOptions,
  createCustomerContext,
} from "./context.js";
export * from "./conversations/index.js";
export type {
  AcceptReviewResult,
  ChannelOf,
  ConsentRecordInput,
  CustomerContextTypes,
  DecisionActionInput,
  Explanation,
  ExplanationEdge,
  ExplanationSeparation,
  IdentifierTypeOf,
  IdentifyInput,
  MergeResult,
  OfferCheck,
  OfferDefinition,
  OperatorDecisionInput,
  PresentationRecordInput,
  PresentResult,
  RecordInput,
  ReviewFilterInput,
  TimeRange,
  TypedCustomer,
  TypedCustomerRef,
  TypedIdentifier,
  UnmergeResult,
} from "./customerContext.js";
export * from "./errors.js";
export { type FormatContextOptions, formatContext } from "./format/formatContext.js";
export { formatExplanation, type ProfileExplanation } from "./format/formatExplanation.js";
export { type FormatViolationsOptions, formatViolations } from "./format/formatViolations.js";
export * from "./identity/index.js";
export * from "./journeys/index.js";
export * from "./offers/index.js";
export * from "./schema/index.js";
export type { IngestOptions, IngestProgress, IngestRejection, IngestSummary } from "./shell/ingest.js";
export * from "./storage/index.js";
export {
  type CustomerStore,
  type CustomerStoreSnapshot,
  createCustomerStore,
  type ObservableCustomerContext,
} from "./store/createCustomerStore.js";
