/**
 * The in-memory storage adapter, the default of `createCustomerContext`.
 *
 * @module
 */
export { type MemoryAdapterOptions, memoryAdapter } from "./adapter.js";
