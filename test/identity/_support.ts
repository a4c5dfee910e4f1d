export { stableId as stableIdForTests } from "../../src/_lib/hash.js";
// Internal: the properties build the resolver's rules the way the context does.
export { compileIdentityOptions } from "../../src/identity/compileIdentityOptions.js";
export * from "../../src/index.js";
