import { compareStrings } from "../../../_lib/hash.js";
import { type InputIssueCode, type InputPathKey, InvalidInputError } from "../../../errors.js";
import type { ComparisonLevel, FieldKind, FuzzyMatchOptions, FuzzyRecord, LevelProbabilities } from "../types.js";

/**
 * Default m/u probabilities per field kind, used for every field without trained or given
 * parameters. They describe typical person data: a typo-level difference is common between
 * records of one person (m) and rare between different people (u); dates of birth are far more
 * specific than names, towns the least.
 *
 * @example
 * ```ts
 * const { m, u } = DEFAULT_LEVEL_PROBABILITIES.date;
 * Math.log2(m.exact! / u.exact!); // ≈ 10.6 bits of evidence for an identical date of birth
 * ```
 */
export const DEFAULT_LEVEL_PROBABILITIES: Readonly<Record<FieldKind, LevelProbabilities>> = Object.freeze({
  name: {
    m: { exact: 0.8, close: 0.1, similar: 0.05, far: 0.05 },
    u: { exact: 0.01, close: 0.005, similar: 0.03, far: 0.955 },
  },
  date: {
    m: { exact: 0.8, close: 0.12, similar: 0.03, far: 0.05 },
    u: { exact: 0.0005, close: 0.005, similar: 0.02, far: 0.9745 },
  },
  text: {
    m: { exact: 0.8, close: 0.1, similar: 0.03, far: 0.07 },
    u: { exact: 0.05, close: 0.005, similar: 0.01, far: 0.935 },
  },
  exact: {
    m: { exact: 0.9, far: 0.1 },
    u: { exact: 0.01, far: 0.99 },
  },
});

/** Fields compared when none are given. */
export const DEFAULT_FIELDS: Readonly<Record<string, FieldKind>> = Object.freeze({
  firstName: "name",
  lastName: "name",
  dateOfBirth: "date",
  city: "text",
  postcode: "exact",
});

/**
 * The prior `matchPair` uses when none is given: it scores one pair, so it has no data to estimate
 * one from. `suggestMatches` never uses it (it estimates the prior from its records); pass
 * `parameters.prior` (from `estimateParameters`) to calibrate `matchPair` for your data.
 */
export const SINGLE_PAIR_PRIOR = 1e-3;

/**
 * Throws the typed bad-input error for one option or argument. `path` is dotted
 * (`"records.3.id"`, numbers are array indexes) or already an array of keys.
 */
export function invalid(what: string, path: string | readonly InputPathKey[], message: string): never {
  const keys = typeof path === "string" ? path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [...path];
  const code: InputIssueCode = /^must be (a|an) /.test(message) ? "invalid_type" : "invalid_value";
  throw new InvalidInputError(what, [{ path: keys, code, message }]);
}

/** Checks one record: `{ id: string, traits: object }`. */
export function checkRecord(what: string, record: unknown, path: string): asserts record is FuzzyRecord {
  const r = record as Partial<FuzzyRecord> | null;
  if (r === null || typeof r !== "object") invalid(what, path, "must be an object");
  if (typeof r.id !== "string") invalid(what, `${path}.id`, "must be a string");
  if (r.traits === null || typeof r.traits !== "object") invalid(what, `${path}.traits`, "must be an object");
}

/** Checks the records of a fuzzy function: an array of records with unique ids. */
export function checkRecords(what: string, records: unknown): asserts records is readonly FuzzyRecord[] {
  if (!Array.isArray(records)) invalid(what, "records", "must be an array of records");
  const seen = new Set<string>();
  records.forEach((record: unknown, i) => {
    checkRecord(what, record, `records.${i}`);
    if (seen.has(record.id)) invalid(what, `records.${i}.id`, `duplicate id "${record.id}"`);
    seen.add(record.id);
  });
}

export type Transform = "value" | "metaphone" | "initial" | "year" | "monthDay";
const TRANSFORMS: ReadonlySet<string> = new Set(["value", "metaphone", "initial", "year", "monthDay"]);

/** A parsed blocking rule. */
export type ParsedRule = ReadonlyArray<{ field: string; transform: Transform }>;

/** Options with every default filled in and the weights precomputed. */
export interface ResolvedOptions {
  fields: ReadonlyArray<readonly [string, FieldKind]>;
  kinds: Readonly<Record<string, FieldKind>>;
  threshold: number;
  /** The prior given in `parameters.prior`; `undefined` when it is to be estimated from the data. */
  prior: number | undefined;
  /** Whether exact agreement is weighted by how common the value is (when the records are known). */
  termFrequency: boolean;

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
  // A town, a street or a postcode alone makes blocks too large to compare; with a name's sound it
  // finds the duplicates whose date of birth and other name are both wrong or missing.
  for (const o of others) for (const n of names) rules.push([`${n}:metaphone`, o]);
  return rules;
}

/** Parses one blocking rule; `option` names it in errors (`blocking`, `training`). */
export function parseRule(
  what: string,
  rule: readonly string[],
  index: number,
  kinds: Readonly<Record<string, FieldKind>>,
  option = "blocking",
): ParsedRule {
  if (!Array.isArray(rule) || rule.length === 0) invalid(what, `${option}.${index}`, "needs at least one field");
  return rule.map((part, k) => {
    const colon = part.lastIndexOf(":");
    const field = colon === -1 ? part : part.slice(0, colon);
    const transform = colon === -1 ? "value" : part.slice(colon + 1);
    if (!Object.hasOwn(kinds, field)) invalid(what, `${option}.${index}.${k}`, `names the unknown field "${field}"`);
    if (!TRANSFORMS.has(transform)) {
      invalid(what, `${option}.${index}.${k}`, `uses the unknown transform "${transform}"`);
    }
    return { field, transform: transform as Transform };
  });
}

const KINDS: ReadonlySet<string> = new Set(["name", "date", "text", "exact"]);
const isUnit = (x: unknown): x is number => typeof x === "number" && x >= 0 && x <= 1;

function checkProbabilities(what: string, field: string, p: LevelProbabilities): void {
  for (const side of ["m", "u"] as const) {
    const table = p?.[side];
    if (table === null || typeof table !== "object") invalid(what, `parameters.fields.${field}.${side}`, "is required");
    for (const [level, value] of Object.entries(table)) {
      if (!isUnit(value)) invalid(what, `parameters.fields.${field}.${side}.${level}`, "must be between 0 and 1");
    }
  }
}

/** Fills in the defaults of the fuzzy options, checks them, and precomputes weights and rules. */
export function resolveOptions(options: FuzzyMatchOptions | undefined, what = "fuzzy options"): ResolvedOptions {
  const kinds = options?.fields ?? DEFAULT_FIELDS;
  if (kinds === null || typeof kinds !== "object") invalid(what, "fields", "must map trait names to kinds");
  for (const [field, kind] of Object.entries(kinds)) {
    if (!KINDS.has(kind)) invalid(what, `fields.${field}`, "must be name, date, text or exact");
  }
  const fields = Object.entries(kinds).sort(([a], [b]) => compareStrings(a, b));
  if (fields.length === 0) invalid(what, "fields", "needs at least one field");
  const probabilities: Record<string, LevelProbabilities> = {};
  const weights: Record<string, Partial<Record<ComparisonLevel, number>>> = {};
  for (const [field, kind] of fields) {
    const given = options?.parameters?.fields?.[field];
    const p = given !== undefined && Object.hasOwn(options?.parameters?.fields ?? {}, field) ? given : undefined;
    if (p !== undefined) checkProbabilities(what, field, p);
    probabilities[field] = p ?? DEFAULT_LEVEL_PROBABILITIES[kind];
    weights[field] = levelWeights(probabilities[field]);
  }
  const prior = options?.parameters?.prior;
  if (prior !== undefined && !(typeof prior === "number" && prior > 0 && prior < 1)) {
    invalid(what, "parameters.prior", "must be between 0 and 1 (exclusive)");
  }
  const threshold = options?.threshold ?? 0.8;
  if (!isUnit(threshold)) invalid(what, "threshold", "must be between 0 and 1");
  const maxBlockSize = options?.maxBlockSize ?? 100;
  if (!Number.isInteger(maxBlockSize) || maxBlockSize < 2) invalid(what, "maxBlockSize", "must be an integer >= 2");

  const names = fields.filter(([, k]) => k === "name").map(([f]) => f);
  let swaps: ReadonlyArray<readonly [string, string]>;
  if (options?.swapFields === false) swaps = [];
  else if (options?.swapFields !== undefined) swaps = options.swapFields;
  else {
    const ordered = Object.entries(kinds).filter(([, k]) => k === "name");
    swaps = ordered.length >= 2 ? [[ordered[0]![0], ordered[1]![0]]] : [];
  }
  swaps.forEach(([x, y], i) => {
    if (!names.includes(x) || !names.includes(y)) invalid(what, `swapFields.${i}`, "must name two name fields");
  });
  return {
    fields,
    kinds,
    threshold,
    prior,
    termFrequency: options?.termFrequency ?? true,
    probabilities,
    weights,
    rules: (options?.blocking ?? defaultRules(fields)).map((r, i) => parseRule(what, r, i, kinds)),
    maxBlockSize,
    swaps,
  };
}
