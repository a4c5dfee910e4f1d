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
export * from "./errors.js";
export * from "./identity/index.js";
export * from "./journeys/index.js";
export * from "./offers/index.js";
export * from "./schema/index.js";
export * from "./storage/index.js";
