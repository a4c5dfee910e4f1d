import type { FieldKind, LevelProbabilities } from "./types.js";

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
