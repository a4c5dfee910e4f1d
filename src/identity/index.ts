export { type CompiledIdentityOptions, compileIdentityOptions } from "./compileIdentityOptions.js";
export * from "./fuzzy/index.js";
export {
  compareEvidence,
  findAutoBlocked,
  type IdentityEvidence,
  keyType,
  linkAnchor,
  profileIdFor,
  resolveIdentities,
} from "./graph/resolveIdentities.js";
export { foldTrait, type MergedTraits, mergeTraits, type TraitRule } from "./graph/traits.js";
export type * from "./graph/types.js";
export * from "./normalize/index.js";
