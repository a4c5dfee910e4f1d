import { mulberry32 } from "../../_lib/random.js";
import { keysOf } from "./_lib/keys.js";
import { type PreparedRecord, prepareRecord } from "./_lib/prepare.js";
import { priorFromWeights } from "./_lib/prior.js";
import {
  checkRecords,
  invalid,
  levelWeights,
  parseRule,
  type ResolvedOptions,
  resolveOptions,
} from "./_lib/resolve.js";
import { comparePrepared, termFrequencies, valueShare } from "./_lib/score.js";
import type {
  BlockingRule,
  ComparisonLevel,
  FuzzyMatchOptions,
  FuzzyParameters,
  FuzzyRecord,
  LevelProbabilities,
} from "./types.js";

/** What {@link estimateParameters} did, for `onReport`. */
export interface EstimationReport {
  /** The prior estimated with the learnt parameters over these records. */
  prior: number;
  /** One EM training session per blocking rule, over the pairs that rule blocks together. */
  sessions: Array<{
    /** The blocking rule, as given or derived. */
    rule: string;
    /** Candidate pairs the session trained on. */
    pairs: number;
    /** Fields whose m probabilities it trained (those the rule does not use). */
    trained: string[];
    iterations: number;
    /** Share of matches among its pairs when it stopped. */
    share: number;
    /** `used`, or why its estimates were thrown away. */
    status: "used" | "not converged" | "collapsed" | "exploded" | "too few pairs";
  }>;
  /** Per field: the share of records that have it, and where its m and u come from. */
  fields: Record<string, { presence: number; m: "trained" | "start"; u: "sampled" | "start" }>;
}

/** Options of {@link estimateParameters}, on top of the matcher options (fields, blocking, start parameters). */
export interface EstimateParametersOptions extends FuzzyMatchOptions {
  /** Random pairs sampled to estimate the u probabilities (all pairs when there are fewer). Default 50 000. */
  samplePairs?: number;
  /** Most EM iterations per training session. Default 100. */
  iterations?: number;
  /** A session has converged when no m probability moves by more than this in an iteration. Default 1e-4. */
  tolerance?: number;
  /** Most candidate pairs one session trains on (a seeded sample beyond that). Default 100 000. */
  maxTrainingPairs?: number;
  /**
   * Blocking rules of the EM training sessions, one session each. Default: the blocking rules,
   * and of the derived ones only those on names and dates (a postcode or a town shared by
   * different people implies agreement on other location fields, which EM would take for a match).
   */
  training?: readonly BlockingRule[];
  /** Seed of the samplers, so the estimate is reproducible. Default 1. */
  seed?: number;
  /** Receives the {@link EstimationReport}: sessions, convergence, where each field's values come from. */
  onReport?: (report: EstimationReport) => void;
}

const LEVELS: Record<string, readonly ComparisonLevel[]> = {
  name: ["exact", "close", "similar", "far"],
  date: ["exact", "close", "similar", "far"],
  text: ["exact", "close", "similar", "far"],
  exact: ["exact", "far"],
};
const MISSING = 255;
/** Probabilities are kept within [CAP, 1 - CAP], so no level is impossible and no weight infinite. */
const CAP = 1e-5;
/** Fewer random pairs with a field present than this, and its u stays at the start values. */
const MIN_U_PAIRS = 100;
/** A session that expects more than this many times the matches of the whole set under the start parameters explodes. */
const EXPLODED = 2;
/** Fewer expected matches with a field present than this in a session, and it does not train that field. */
const MIN_M_PAIRS = 10;

function randomPairs(n: number, wanted: number, next: () => number): Array<[number, number]> {
  const total = (n * (n - 1)) / 2;
  const pairs: Array<[number, number]> = [];
  if (total <= wanted) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    return pairs;
  }
  while (pairs.length < wanted) {
    const i = Math.floor(next() * n);
    const j = Math.floor(next() * n);
    if (i !== j) pairs.push(i < j ? [i, j] : [j, i]);
  }
  return pairs;
}

function capped(levels: readonly ComparisonLevel[], mass: ArrayLike<number>): Partial<Record<ComparisonLevel, number>> {
  const total = levels.reduce((s, _, k) => s + mass[k]!, 0);
  const raw = levels.map((_, k) => (total > 0 ? mass[k]! / total : 1 / levels.length));
  const clamped = raw.map((p) => Math.min(Math.max(p, CAP), 1 - CAP));
  const sum = clamped.reduce((s, p) => s + p, 0);
  return Object.fromEntries(levels.map((l, k) => [l, clamped[k]! / sum]));
}

/** Level codes (index into LEVELS[kind], MISSING) per field, one byte per pair. */
function levelCodes(
  prepared: readonly PreparedRecord[],
  pairs: ReadonlyArray<readonly [number, number]>,
  r: ResolvedOptions,
): Record<string, Uint8Array> {
  const codes: Record<string, Uint8Array> = {};
  for (const [field] of r.fields) codes[field] = new Uint8Array(pairs.length);
  pairs.forEach(([i, j], k) => {
    const { levels } = comparePrepared(prepared[i]!, prepared[j]!, r);
    for (const [field, kind] of r.fields) {
      const level = levels[field]!;
      codes[field]![k] = level === "missing" ? MISSING : LEVELS[kind]!.indexOf(level);
    }
  });
  return codes;
}

/**
 * Estimates the Fellegi–Sunter parameters from unlabelled records, the way Splink does:
 *
 * - **u** from the level frequencies among randomly sampled pairs (seeded), almost all of which are
 *   different people;
 * - **m** by expectation–maximisation over blocked pairs, one training session per training rule
 *   (`training`; by default the name and date blocking rules), each training only the fields its
 *   rule does not use (a rule on the date of birth says nothing
 *   about how often dates agree among matches); a field's m is the mean over the sessions that
 *   trained it;
 * - the **prior** from these records with the learnt parameters, as `suggestMatches` estimates it.
 *
 * Guards: a session whose share of matches collapses (< 1e-5 or fewer than 10 expected matches) or
 * explodes (nearly every pair a match, or more matches among its pairs than twice the matches the
 * starting parameters find in the whole set: a shared postcode taken for a match), or that has not converged (an m probability still moving by more than
 * `tolerance` after `iterations` rounds), is thrown away. A field that no session could train (it
 * is used by every rule, or missing from most records so that too few matched pairs have it)
 * keeps its starting m (the built-in table, or `parameters.fields`); a field present in fewer than
 * 100 sampled pairs keeps its starting u. Every probability is kept within [1e-5, 1 − 1e-5].
 * `onReport` says which of this happened. Deterministic for a given seed. Needs no labels.
 *
 * @param records - The records to learn from; ids must be unique.
 * @param options - {@link EstimateParametersOptions}: fields, blocking, start parameters, sample
 *   sizes, iterations, tolerance, seed, `onReport`.
 * @returns Parameters to pass as `options.parameters` to `suggestMatches` or `matchPair`. The prior
 *   fits data of this size; to match a larger or smaller set pass only `fields`, and
 *   `suggestMatches` estimates the prior for that set.
 * @throws InvalidInputError when a record or an option is malformed (`details` names it).
 *
 * @example
 * ```ts
 * const fields = { first: "name", last: "name", dob: "date" } as const;
 * // 200 records of 100 people: each twice, the second time with a typo in the surname.
 * const records = Array.from({ length: 200 }, (_, i) => {
 *   const p = i % 100;
 *   const last = ["Nowak", "Kowalski", "Wojcik", "Lewandowski", "Zielinski"][p % 5]!;
 *   return {
 *     id: String(i),
 *     traits: { first: `Anna${p}`, last: i < 100 ? last : `${last}a`, dob: `19${50 + (p % 50)}-0${1 + (p % 9)}-1${p % 10}` },
 *   };
 * });
 * let report: EstimationReport | undefined;
 * const parameters = estimateParameters(records, { fields, onReport: (r) => (report = r) });
 * const suggestions = suggestMatches(records, { fields, parameters });
 * parameters.prior;       // ≈ 100 / 19,900 pairs, the share of matching pairs
 * report!.fields.last!.m; // "trained"
 * ```
 */
export function estimateParameters(
  records: readonly FuzzyRecord[],
  options?: EstimateParametersOptions,
): FuzzyParameters {
  checkRecords("estimateParameters input", records);
  const r = resolveOptions(options, "estimateParameters options");
  const what = "estimateParameters options";
  const positive = (name: keyof EstimateParametersOptions, fallback: number, integer: boolean) => {
    const value = options?.[name] ?? fallback;
    if (typeof value !== "number" || !(value > 0) || (integer && !Number.isInteger(value))) {
      invalid(what, name, integer ? "must be a positive integer" : "must be a positive number");
    }
    return value;
  };
  const samplePairs = positive("samplePairs", 50_000, true);
  const iterations = positive("iterations", 100, true);
  const tolerance = positive("tolerance", 1e-4, false);
  const maxTrainingPairs = positive("maxTrainingPairs", 100_000, true);
  const seed = options?.seed ?? 1;
  if (!Number.isInteger(seed)) invalid(what, "seed", "must be an integer");

  const kinds = Object.fromEntries(r.fields);
  const prepared = records.map((record) => prepareRecord(record, kinds));
  const n = prepared.length;
  const next = mulberry32(seed);
  const report: EstimationReport = { prior: 0, sessions: [], fields: {} };
  for (const [field] of r.fields) {
    const present = prepared.reduce((s, p) => s + Number(p.values[field] !== undefined), 0);
    report.fields[field] = { presence: n === 0 ? 0 : present / n, m: "start", u: "start" };
  }
  const start: Record<string, LevelProbabilities> = {};
  for (const [field] of r.fields) start[field] = r.probabilities[field]!;

  // u: level frequencies among random pairs.
  const u: Record<string, Partial<Record<ComparisonLevel, number>>> = {};
  const random = n < 2 ? [] : randomPairs(n, samplePairs, next);
  const randomCodes = levelCodes(prepared, random, r);
  for (const [field, kind] of r.fields) {
    const levels = LEVELS[kind]!;
    const counts = new Float64Array(levels.length);
    let present = 0;
    for (const code of randomCodes[field]!) {
      if (code === MISSING) continue;
      counts[code]!++;
      present++;
    }
    if (present >= MIN_U_PAIRS) {
      for (let k = 0; k < levels.length; k++) counts[k]! += 0.5;
      u[field] = capped(levels, counts);
      report.fields[field]!.u = "sampled";
    } else u[field] = { ...start[field]!.u };
  }

  // Training rules, then candidate pairs and which rules block each of them (the candidates of
  // r.rules give the prior; the training rules' pairs give the m probabilities).
  let training = (options?.training ?? []).map((rule, i) => parseRule(what, rule, i, kinds, "training"));
  if (options?.training === undefined) {
    training =
      options?.blocking === undefined
        ? r.rules.filter((rule) => rule.every((part) => kinds[part.field] === "name" || kinds[part.field] === "date"))
        : [...r.rules];
    if (training.length === 0) training = [...r.rules];
  }
  const allRules = [...r.rules, ...training];
  const blocks = allRules.map(() => new Map<string, number[]>());
  prepared.forEach((record, index) => {
    for (const key of keysOf(record, allRules)) {
      const rule = Number(key.slice(0, key.indexOf(":")));
      const block = blocks[rule]!.get(key);
      if (block === undefined) blocks[rule]!.set(key, [index]);
      else block.push(index);
    }
  });
  const pairId = new Map<number, number>();
  const pairs: Array<[number, number]> = [];
  const byRule: number[][] = allRules.map(() => []);
  blocks.forEach((ruleBlocks, rule) => {
    for (const block of ruleBlocks.values()) {
      if (block.length < 2 || block.length > r.maxBlockSize) continue;
      for (let x = 0; x < block.length; x++) {
        for (let y = x + 1; y < block.length; y++) {
          const i = Math.min(block[x]!, block[y]!);
          const j = Math.max(block[x]!, block[y]!);
          const code = i * n + j;
          let id = pairId.get(code);
          if (id === undefined) {
            id = pairs.length;
            pairId.set(code, id);
            pairs.push([i, j]);
          }
          byRule[rule]!.push(id);
        }
      }
    }
  });
  const candidates = new Uint8Array(pairs.length);
  for (let rule = 0; rule < r.rules.length; rule++) for (const id of byRule[rule]!) candidates[id] = 1;
  const codes = levelCodes(prepared, pairs, r);
  const tf = r.termFrequency ? termFrequencies(prepared, r) : undefined;
  /** Match weight of every candidate pair under the given probabilities, from the level codes. */
  const matchWeights = (probabilities: Readonly<Record<string, LevelProbabilities>>): Float64Array => {
    const totals = new Float64Array(pairs.length);
    for (const [field, kind] of r.fields) {
      const p = probabilities[field]!;
      const weight = levelWeights(p);
      const levels = LEVELS[kind]!.map((l) => weight[l] ?? 0);
      const mExact = Math.max(p.m.exact ?? CAP, CAP);
      const uExact = p.u.exact ?? CAP;
      const column = codes[field]!;
      pairs.forEach(([i], k) => {
        const code = column[k]!;
        if (code === MISSING) return;
        const value = prepared[i]!.values[field];
        totals[k]! +=
          code === 0 && tf !== undefined && value !== undefined
            ? Math.log2(mExact / valueShare(tf, field, value, uExact))
            : levels[code]!;
      });
    }
    return totals;
  };
  // Expected matches under the starting parameters: a session that finds far more than this among
  // its own pairs has taken a common agreement (a shared postcode) for a match, so it explodes.
  const candidateWeights = (probabilities: Readonly<Record<string, LevelProbabilities>>) =>
    matchWeights(probabilities).filter((_, k) => candidates[k] === 1);
  const startMatches = priorFromWeights(candidateWeights(start), (n * (n - 1)) / 2).prior * ((n * (n - 1)) / 2);

  // m: one EM session per blocking rule, u fixed.
  const trainedM: Record<string, Array<Partial<Record<ComparisonLevel, number>>>> = {};
  for (const [field] of r.fields) trainedM[field] = [];
  training.forEach((rule, t) => {
    const index = r.rules.length + t;
    const used = new Set(rule.map((part) => part.field));
    const trained = r.fields.filter(([field]) => !used.has(field));
    let ids = byRule[index]!;
    if (ids.length > maxTrainingPairs) {
      const copy = [...ids];
      for (let k = copy.length - 1; k > 0; k--) {
        const j = Math.floor(next() * (k + 1));
        [copy[k], copy[j]] = [copy[j]!, copy[k]!];
      }
      ids = copy.slice(0, maxTrainingPairs);
    }
    const session: EstimationReport["sessions"][number] = {
      rule: rule.map((p) => (p.transform === "value" ? p.field : `${p.field}:${p.transform}`)).join(" & "),
      pairs: ids.length,
      trained: [],
      iterations: 0,
      share: 0,
      status: "too few pairs",
    };
    report.sessions.push(session);
    if (trained.length === 0 || ids.length < MIN_M_PAIRS) return;
    const m: Record<string, Float64Array> = {};
    const logU: Record<string, Float64Array> = {};
    for (const [field, kind] of trained) {
      const levels = LEVELS[kind]!;
      m[field] = Float64Array.from(levels, (l) => start[field]!.m[l] ?? CAP);
      logU[field] = Float64Array.from(levels, (l) => Math.log(u[field]![l] ?? CAP));
    }
    let share = 0.1;
    let converged = false;
    const support: Record<string, number> = {};
    for (let iteration = 0; iteration < iterations && !converged; iteration++) {
      session.iterations = iteration + 1;
      const mass: Record<string, Float64Array> = {};
      const logM: Record<string, Float64Array> = {};
      for (const [field, kind] of trained) {
        mass[field] = new Float64Array(LEVELS[kind]!.length);
        logM[field] = m[field]!.map((p) => Math.log(p));
        support[field] = 0;
      }
      const logPrior = Math.log(share / (1 - share));
      let matched = 0;
      for (const id of ids) {
        let logOdds = logPrior;
        for (const [field] of trained) {
          const code = codes[field]![id]!;
          if (code !== MISSING) logOdds += logM[field]![code]! - logU[field]![code]!;
        }
        const p = logOdds > 50 ? 1 : 1 / (1 + Math.exp(-logOdds));
        matched += p;
        for (const [field] of trained) {
          const code = codes[field]![id]!;
          if (code === MISSING) continue;
          mass[field]![code]! += p;
          support[field]! += p;
        }
      }
      share = matched / ids.length;
      let moved = 0;
      for (const [field, kind] of trained) {
        const updated = capped(LEVELS[kind]!, mass[field]!);
        const values = Float64Array.from(LEVELS[kind]!, (l) => updated[l]!);
        for (let k = 0; k < values.length; k++) moved = Math.max(moved, Math.abs(values[k]! - m[field]![k]!));
        m[field] = values;
      }
      converged = moved <= tolerance;
      if (share < 1e-5 || share > 0.999) break;
    }
    session.share = share;
    if (share < 1e-5 || share * ids.length < MIN_M_PAIRS) session.status = "collapsed";
    else if (share > 0.999 || share * byRule[index]!.length > EXPLODED * Math.max(startMatches, MIN_M_PAIRS)) {
      session.status = "exploded";
    } else if (!converged) session.status = "not converged";
    else {
      session.status = "used";
      for (const [field, kind] of trained) {
        if (support[field]! < MIN_M_PAIRS) continue;
        session.trained.push(field);
        trainedM[field]!.push(Object.fromEntries(LEVELS[kind]!.map((l, k) => [l, m[field]![k]!])));
      }
    }
  });

  const fields: FuzzyParameters["fields"] = {};
  for (const [field, kind] of r.fields) {
    const runs = trainedM[field]!;
    let mField = start[field]!.m;
    if (runs.length > 0) {
      const levels = LEVELS[kind]!;
      mField = capped(
        levels,
        levels.map((l) => runs.reduce((s, run) => s + run[l]!, 0) / runs.length),
      );
      report.fields[field]!.m = "trained";
    }
    fields[field] = { m: mField, u: u[field]! };
  }

  // The prior: estimated over these records with the learnt parameters, as suggestMatches does.
  const prior = priorFromWeights(candidateWeights(fields), (n * (n - 1)) / 2).prior;
  report.prior = prior;
  options?.onReport?.(report);
  return { prior, fields };
}
