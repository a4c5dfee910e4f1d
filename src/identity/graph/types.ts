import type { Scalar } from "../../schema/primitives.js";

/** One trait value as observed. */
export interface TraitObservation {
  value: Scalar | null;
  at: string;
  source?: string;
  channel?: string;
}

/** What is kept of one trait across repeated observations of the same identifier set. */
export interface TraitEvidence {
  first: TraitObservation;
  last: TraitObservation;
  /** Latest observation per source, for source-priority strategies. */
  bySource?: Record<string, TraitObservation>;
}

/**
 * Link evidence: a set of identifiers seen together. Repeated observations of the same set
 * are folded into one link (first/last seen, count) instead of being stored again.
 */
export interface LinkEvidence {
  /** Deterministic id derived from the sorted identifier keys. */
  id: string;
  /** Normalised identifier keys (`type:value`), sorted, deduplicated. */
  keys: string[];
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** Channel and source of the first and of the latest observation. */
  first: { channel?: string; source?: string };
  last: { channel?: string; source?: string };
  traits: Record<string, TraitEvidence>;
}

/** An operator decision stored as evidence. */
export type OperatorDecision =
  | {
      id: string;
      kind: "merge";
      /** Identifier keys of the two sides (each side's anchor at decision time). */
      keys: [string, string];
      at: string;
      reason: string;
      by?: string;
      /** Made by fuzzy matching above `autoMergeAbove`, not by a person. */
      auto?: true;
    }
  | {
      id: string;
      kind: "split";
      /** The identifier the operator detached. */
      key: string;
      /** The identifiers that went with it, and those that stayed: no link may join the two sides. */
      detached: string[];
      kept: string[];
      at: string;
      reason: string;
      by?: string;
      /** Set when a later operator merge lifted this separation. */
      liftedBy?: string;
    };

/** Per-identifier facts the resolver needs. */
export interface NodeInfo {
  key: string;
  type: string;
  firstSeen: string;
  lastSeen: string;
  /**
   * A compressed node stands for a whole known profile (its anchor): how many identifiers of
   * each type it holds. Absent for one identifier (one of its own type).
   */
  counts?: Readonly<Record<string, number>>;
}

/** Identity rules after defaults were applied. */
export interface IdentityRules {
  /** Most distinct values of a type per profile. */
  limit(type: string): number;
  /** Higher wins a conflict. */
  priority(type: string): number;
  /** Distinct values of another type above which an identifier stops linking; Infinity = off. */
  autoBlockThreshold: number;
}

/** Why a link did not join an identifier. */
export interface LinkRefusal {
  linkId: string;
  key: string;
  reason: "limit" | "unmerged" | "auto-blocked";
  /** The identifier it was refused against (the link's anchor). */
  against: string;
  /** For `limit`: the type whose limit would break. */
  type?: string;
}

/** One edge of the spanning forest the resolver built: evidence that joined `from` and `to`. */
export interface LinkEdge {
  kind: "observation" | "operator";
  /** Link or decision id. */
  id: string;
  /** The identifier the other side was joined to (the link's anchor). */
  from: string;
  /** The identifier whose part was joined. */
  to: string;
  at: string;
}

/** A profile as derived by the resolver. */
export interface ResolvedComponent {
  id: string;
  anchor: string;
  keys: string[];
  createdAt: string;
  updatedAt: string;
}

/** Output of {@link resolveIdentities}. */
export interface Resolution {
  components: ResolvedComponent[];
  /** Identifier key -> profile id. */
  profileOf: Map<string, string>;
  refusals: LinkRefusal[];
  /** Evidence edges that joined the parts of every component (a spanning forest). */
  edges: LinkEdge[];
  /** Identifiers that stopped linking because they were seen with too many values of another type. */
  autoBlocked: Set<string>;
  /** Operator merges that could not be applied (they would break a rule). */
  rejectedMerges: Array<{ decisionId: string; reason: LinkRefusal["reason"]; type?: string }>;
}
