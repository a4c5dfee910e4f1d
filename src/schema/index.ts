export * from "./inputs.js";
export * from "./options.js";
export type * from "./outputs.js";
export { parseInput, toInputIssues } from "./parse.js";
export * from "./primitives.js";
