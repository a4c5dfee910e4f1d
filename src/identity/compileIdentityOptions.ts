import type { IdentityOptions, TraitStrategy } from "../schema/options.js";
import type { FuzzyMatchOptions } from "./fuzzy/types.js";
import type { TraitRule } from "./graph/traits.js";
import type { IdentityRules } from "./graph/types.js";
import { type BlockList, createBlockList } from "./normalize/createBlockList.js";
import type { NormalizeOptions } from "./normalize/normalizeIdentifier.js";

/** Built-in priorities: stable business ids outrank contact points, which outrank device ids. */
const DEFAULT_PRIORITY: Record<string, number> = {
  crmId: 100,
  userId: 90,
  loyaltyId: 80,
  email: 70,
  phone: 60,
  social: 50,
  deviceId: 40,
  cookie: 30,
};

/** Types that identify exactly one customer: at most one value per profile. */
const SINGLE_VALUE_TYPES = new Set(["userId", "crmId"]);

/** Default limit of every other type. */
export const DEFAULT_TYPE_LIMIT = 5;
/** Default auto-block threshold. */
export const DEFAULT_AUTO_BLOCK_THRESHOLD = 5;

/** Everything identity resolution needs, compiled once from the options. */
export interface CompiledIdentityOptions {
  rules: IdentityRules;
  /** Fuzzy matching options, or null when fuzzy matching is off (the default). */
  fuzzy: (FuzzyMatchOptions & { autoMergeAbove?: number }) | null;
  normalize: NormalizeOptions;
  blockList: BlockList;
  traitRule(name: string): TraitRule;
}

/**
 * Compiles validated `identity` options: limits (`userId`, `crmId`: 1, others 5), priorities (the
 * order of `types`, first highest, then built-in defaults), blocked values, auto-block and trait rules.
 *
 * @param options - parsed `identity` options
 * @returns the compiled rules
 *
 * @example
 * ```ts
 * const { rules } = compileIdentityOptions({ types: { crmId: {}, email: { limit: 3 } } });
 * rules.limit("email"); // 3
 * ```
 */
export function compileIdentityOptions(options: IdentityOptions = {}): CompiledIdentityOptions {
  const types = options.types ?? {};
  const listed = Object.keys(types);
  const priority = (type: string): number => {
    const explicit = Object.hasOwn(types, type) ? types[type]?.priority : undefined;
    if (explicit !== undefined) return explicit;
    const i = listed.indexOf(type);
    if (i >= 0) return 1000 + (listed.length - i);
    return Object.hasOwn(DEFAULT_PRIORITY, type) ? (DEFAULT_PRIORITY[type] ?? 0) : 0;
  };
  // Own keys only: a type or trait named `constructor` must not pick up Object.prototype members.
  const limit = (type: string): number =>
    (Object.hasOwn(types, type) ? types[type]?.limit : undefined) ??
    (SINGLE_VALUE_TYPES.has(type) ? 1 : DEFAULT_TYPE_LIMIT);
  const autoBlock = options.autoBlock;
  const normalizers: NonNullable<NormalizeOptions["normalizers"]> = {};
  for (const [type, t] of Object.entries(types)) if (t.normalize) normalizers[type] = t.normalize;
  const normalize: NormalizeOptions = { normalizers };
  if (options.defaultRegion !== undefined) normalize.defaultRegion = options.defaultRegion;
  if (options.emailProviderRules !== undefined) normalize.emailProviderRules = options.emailProviderRules;
  if (options.strictTypes === true) normalize.knownTypes = listed;
  const traits: Record<string, TraitStrategy> = options.traits ?? {};
  return {
    rules: {
      limit,
      priority,
      autoBlockThreshold:
        autoBlock === false ? Number.POSITIVE_INFINITY : (autoBlock?.threshold ?? DEFAULT_AUTO_BLOCK_THRESHOLD),
    },
    normalize,
    blockList: createBlockList(options.blocked ?? [], { defaults: options.blockedDefaults !== false }),
    traitRule: (name) => (Object.hasOwn(traits, name) ? (traits[name] ?? "latest") : "latest"),
    fuzzy: options.fuzzy ? (options.fuzzy as FuzzyMatchOptions & { autoMergeAbove?: number }) : null,
  };
}
