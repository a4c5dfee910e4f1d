/** How a trait is compared: names with Jaro-Winkler, dates by their parts, text by edit distance, exact by equality. */
export type FieldKind = "name" | "date" | "text" | "exact";

/** The agreement level of one field in a pair of records (`exact` kind fields have only `exact` and `far`). */
export type ComparisonLevel = "exact" | "close" | "similar" | "far";

/** A level of one compared field, or `missing` when either record has no value (weight 0). */
export type FieldOutcome = ComparisonLevel | "missing";

/** A record to match: an id and flat traits. Empty strings, `null` and `undefined` count as missing. */
export interface FuzzyRecord {
  id: string;
  traits: Record<string, string | number | boolean | null | undefined>;
}

/**
 * Fellegi–Sunter probabilities of one field: `m[level]` = P(level | same person),
 * `u[level]` = P(level | different people). Each sums to 1 over the levels the field kind has.
 */
export interface LevelProbabilities {
  m: Partial<Record<ComparisonLevel, number>>;
  u: Partial<Record<ComparisonLevel, number>>;
}

/** All model parameters. */
export interface FuzzyParameters {
  /** Prior probability that two records picked at random are the same person. */
  prior: number;
  /** Probabilities per field; a field without an entry uses the defaults of its kind. */
  fields: Record<string, LevelProbabilities>;
}

/** A blocking rule: records share a candidate key when every part agrees. A part is `field` or `field:transform`. */
export type BlockingRule = readonly string[];

/** Options of the fuzzy matcher; a superset of the `fuzzy` identity options. */
export interface FuzzyMatchOptions {
  /** Traits compared, with how. Default: `firstName`/`lastName` names, `dateOfBirth` date, `city` text, `postcode` exact. */
  fields?: Record<string, FieldKind>;
  /** Suggestions below this match probability are dropped. Default 0.8. */
  threshold?: number;
  /**
   * Model parameters; fields without an entry use the built-in tables (`DEFAULT_LEVEL_PROBABILITIES`),
   * and without a `prior` it is estimated from the records at match time (`suggestMatches`).
   */
  parameters?: { prior?: number; fields?: Record<string, LevelProbabilities> };
  /**
   * Blocking rules. Transforms: `value` (the cleaned value, the default), `metaphone` (Double Metaphone
   * key), `initial` (first character), `year` (of a date), `monthDay` (of a date). Default: derived from
   * `fields` (see `blockingKeys`).
   */
  blocking?: readonly BlockingRule[];
  /** Blocks with more records than this are skipped by `suggestMatches` (their keys are too common). Default 100. */
  maxBlockSize?: number;
  /**
   * Weight an exact agreement by how common the value is among the records (`suggestMatches`,
   * `estimateParameters`): log2(m_exact / share of records with that value). Default true.
   */
  termFrequency?: boolean;
  /**
   * Pairs of fields whose values are often entered swapped (given name / surname): the pair is also
   * compared crosswise and the better orientation counts. Default: the first two `name` fields;
   * `false` switches it off.
   */
  swapFields?: readonly (readonly [string, string])[] | false;
}

/** A suggested match between two records. */
export interface MatchSuggestion {
  /** Id of one record (the smaller in string order, in `suggestMatches`). */
  a: string;
  /** Id of the other record. */
  b: string;
  /** Match probability, 0..1. */
  score: number;
  /** Per-field log2 Bayes factor (0 when missing): positive is evidence for, negative against. */
  weights: Record<string, number>;
  /** Per-field comparison level. */
  levels: Record<string, FieldOutcome>;
  /** Whether a `swapFields` pair was compared crosswise. */
  swapped: boolean;
}
