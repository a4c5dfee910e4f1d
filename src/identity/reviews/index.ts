export { describeSuggestion, type FuzzyPlan, planFuzzyMatches } from "./planFuzzyMatches.js";
export { earlierEvidence, type RefusedKey, refusalReviews } from "./refusalReviews.js";
export { reviewIdFor } from "./reviewIdFor.js";
export type { ReviewCandidate, ReviewCandidateEvidence } from "./types.js";
