import { DEFAULT_LEVEL_PROBABILITIES } from "../DEFAULT_LEVEL_PROBABILITIES.js";
import type { ComparisonLevel, FieldKind, FuzzyMatchOptions, LevelProbabilities } from "../types.js";

/** Fields compared when none are given. */
export const DEFAULT_FIELDS: Readonly<Record<string, FieldKind>> = Object.freeze({
  firstName: "name",
  lastName: "name",
  dateOfBirth: "date",
  city: "text",
  postcode: "exact",
});

/**
 * Default prior: one random pair in a thousand is the same person — about one duplicate per record
 * in a batch of a thousand records. Pass `parameters.prior` for other data (`estimateParameters`
 * estimates it).
 */
export const DEFAULT_PRIOR = 1e-3;

export type Transform = "value" | "metaphone" | "initial" | "year" | "monthDay";
const TRANSFORMS: ReadonlySet<string> = new Set(["value", "metaphone", "initial", "year", "monthDay"]);

/** A parsed blocking rule. */
export type ParsedRule = ReadonlyArray<{ field: string; transform: Transform }>;

/** Options with every default filled in and the weights precomputed. */
export interface ResolvedOptions {
  fields: ReadonlyArray<readonly [string, FieldKind]>;
  kinds: Readonly<Record<string, FieldKind>>;
  threshold: number;
  prior: number;
  probabilities: Readonly<Record<string, LevelProbabilities>>;
  /** log2(m/u) per field and level. */
  weights: Readonly<Record<string, Partial<Record<ComparisonLevel, number>>>>;
  rules: readonly ParsedRule[];
  maxBlockSize: number;
  swaps: ReadonlyArray<readonly [string, string]>;
}

const MIN_P = 1e-6;

/** log2 Bayes factor of each level from m/u probabilities. */
export function levelWeights(p: LevelProbabilities): Partial<Record<ComparisonLevel, number>> {
  const out: Partial<Record<ComparisonLevel, number>> = {};
  for (const level of ["exact", "close", "similar", "far"] as const) {
    const m = p.m[level];
    const u = p.u[level];
    if (m !== undefined && u !== undefined) out[level] = Math.log2(Math.max(m, MIN_P) / Math.max(u, MIN_P));
  }
  return out;
}

function defaultRules(fields: ReadonlyArray<readonly [string, FieldKind]>): string[][] {
  const names = fields.filter(([, k]) => k === "name").map(([f]) => f);
  const dates = fields.filter(([, k]) => k === "date").map(([f]) => f);
  const others = fields.filter(([, k]) => k === "text" || k === "exact").map(([f]) => f);
  const rules: string[][] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) rules.push([`${names[i]}:metaphone`, `${names[j]}:metaphone`]);
  }
  for (const d of dates) {
    rules.push([d]);
    for (const n of names) rules.push([`${n}:metaphone`, `${d}:year`]);
    for (const n of names) rules.push([`${n}:initial`, `${d}:monthDay`]);
  }
  for (const o of others) rules.push([o]);
  return rules;
}

function parseRule(rule: readonly string[], kinds: Readonly<Record<string, FieldKind>>): ParsedRule {
  if (rule.length === 0) throw new TypeError("a blocking rule needs at least one field");
  return rule.map((part) => {
    const colon = part.lastIndexOf(":");
    const field = colon === -1 ? part : part.slice(0, colon);
    const transform = colon === -1 ? "value" : part.slice(colon + 1);
    if (!Object.hasOwn(kinds, field)) throw new TypeError(`blocking rule names the unknown field "${field}"`);
    if (!TRANSFORMS.has(transform)) throw new TypeError(`blocking rule uses the unknown transform "${transform}"`);
    return { field, transform: transform as Transform };
  });
}

/** Fills in the defaults of the fuzzy options and precomputes weights and rules. */
export function resolveOptions(options: FuzzyMatchOptions | undefined): ResolvedOptions {
  const kinds = options?.fields ?? DEFAULT_FIELDS;
  const fields = Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const probabilities: Record<string, LevelProbabilities> = {};
  const weights: Record<string, Partial<Record<ComparisonLevel, number>>> = {};
  for (const [field, kind] of fields) {
    const given = options?.parameters?.fields?.[field];
    const p = given !== undefined && Object.hasOwn(options?.parameters?.fields ?? {}, field) ? given : undefined;
    probabilities[field] = p ?? DEFAULT_LEVEL_PROBABILITIES[kind];
    weights[field] = levelWeights(probabilities[field]);
  }
  const prior = options?.parameters?.prior ?? DEFAULT_PRIOR;
  if (!(prior > 0 && prior < 1)) throw new RangeError("parameters.prior must be between 0 and 1 (exclusive)");
  const names = fields.filter(([, k]) => k === "name").map(([f]) => f);
  let swaps: ReadonlyArray<readonly [string, string]>;
  if (options?.swapFields === false) swaps = [];
  else if (options?.swapFields !== undefined) swaps = options.swapFields;
  else {
    const ordered = Object.entries(kinds).filter(([, k]) => k === "name");
    swaps = ordered.length >= 2 ? [[ordered[0]![0], ordered[1]![0]]] : [];
  }
  for (const [x, y] of swaps) {
    if (!names.includes(x) || !names.includes(y))
      throw new TypeError(`swapFields [${x}, ${y}] must name two name fields`);
  }
  return {
    fields,
    kinds,
    threshold: options?.threshold ?? 0.8,
    prior,
    probabilities,
    weights,
    rules: (options?.blocking ?? defaultRules(fields)).map((r) => parseRule(r, kinds)),
    maxBlockSize: options?.maxBlockSize ?? 100,
    swaps,
  };
}
