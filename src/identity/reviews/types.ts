import type { ReviewReason } from "../../schema/outputs.js";

/** The evidence of a review as stored: identifiers are normalised keys (`type:value`). */
export type ReviewCandidateEvidence =
  | { kind: "link"; linkId: string; keys: string[]; at: string; message: string }
  | { kind: "fuzzy"; score: number; weights: Record<string, number>; at: string; message: string };

/** A review the core wants raised: its deterministic id, why, the two identifiers and the evidence. */
export interface ReviewCandidate {
  id: string;
  reason: ReviewReason;
  /** The identifiers whose profiles accepting the review merges, sorted. */
  keys: [string, string];
  evidence: ReviewCandidateEvidence;
}
