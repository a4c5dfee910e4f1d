export { stableId as stableIdForTests } from "../../src/_lib/hash.js";
export * from "../../src/index.js";
