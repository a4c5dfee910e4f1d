export { type MemoryAdapterOptions, memoryAdapter } from "./memory.js";
export * from "./port.js";
