/**
 * customer-context: one view of a customer across every channel.
 *
 * @module
 */
export * from "./errors.js";
export * from "./schema/index.js";
export * from "./storage/index.js";
