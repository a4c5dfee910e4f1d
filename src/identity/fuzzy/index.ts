export { DEFAULT_LEVEL_PROBABILITIES } from "./_lib/resolve.js";
export { blockingKeys } from "./blockingKeys.js";
export { type Cluster, type ClusterMatchesOptions, clusterMatches } from "./clusterMatches.js";
export {
  type EstimateParametersOptions,
  type EstimationReport,
  estimateParameters,
} from "./estimateParameters.js";
export { matchPair } from "./matchPair.js";
export { suggestMatches } from "./suggestMatches.js";
export type {
  BlockingRule,
  ComparisonLevel,
  FieldKind,
  FieldOutcome,
  FuzzyMatchOptions,
  FuzzyParameters,
  FuzzyRecord,
  LevelProbabilities,
  MatchSuggestion,
} from "./types.js";
