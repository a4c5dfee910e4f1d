import { type Cluster, clusterLinks } from "./_lib/cluster.js";
import { invalid } from "./_lib/resolve.js";

/** Default of `minCohesion`. */
export const DEFAULT_MIN_COHESION = 0.3;

import type { MatchSuggestion } from "./types.js";

/** Options of {@link clusterMatches}. */
export interface ClusterMatchesOptions {
  /**
   * Two groups are joined only when at least this share of the record pairs between them are
   * links. 0 gives connected components (one link chains two groups); 1 needs every pair linked.
   * Default 0.3 (chosen on a synthetic tuning set, seed 99, that no reported figure uses).
   */
  minCohesion?: number;
}

export type { Cluster };

/**
 * Groups records into likely people from pairwise links (`suggestMatches` output, plus any exact
 * links you add with score 1), without chaining errors: links are taken strongest first, and two
 * groups are joined only when the links between them cover at least `minCohesion` of their record
 * pairs. Connected components would join two large groups through one wrong link; here the weak
 * link is left out, and each cluster reports its cohesion (links over pairs) and its weakest link.
 * Pure and deterministic.
 *
 * @param ids - Every record id (records without a link stay alone and are not returned).
 * @param links - Links `{ a, b, score }`, e.g. the suggestions at or above the threshold.
 * @param options - {@link ClusterMatchesOptions}.
 * @returns The clusters of two or more records, each with sorted `ids`, `cohesion` and `weakest`,
 *   sorted by their first id.
 * @throws InvalidInputError when `ids`, a link or `minCohesion` is malformed.
 *
 * @example
 * ```ts
 * const links = [
 *   { a: "1", b: "2", score: 0.99 },
 *   { a: "3", b: "4", score: 0.99 },
 *   { a: "2", b: "3", score: 0.81 }, // one weak link between two pairs
 * ];
 * clusterMatches(["1", "2", "3", "4"], links).map((c) => c.ids);
 * // [["1", "2"], ["3", "4"]]
 * clusterMatches(["1", "2", "3", "4"], links, { minCohesion: 0 }).map((c) => c.ids);
 * // [["1", "2", "3", "4"]]
 * ```
 */
export function clusterMatches(
  ids: readonly string[],
  links: ReadonlyArray<Pick<MatchSuggestion, "a" | "b" | "score">>,
  options?: ClusterMatchesOptions,
): Cluster[] {
  const what = "clusterMatches input";
  if (!Array.isArray(ids)) invalid(what, "ids", "must be an array of record ids");
  ids.forEach((id, i) => {
    if (typeof id !== "string") invalid(what, `ids.${i}`, "must be a string");
  });
  if (!Array.isArray(links)) invalid(what, "links", "must be an array of links");
  links.forEach((link, i) => {
    if (link === null || typeof link !== "object") invalid(what, `links.${i}`, "must be an object");
    if (typeof link.a !== "string") invalid(what, `links.${i}.a`, "must be a string");
    if (typeof link.b !== "string") invalid(what, `links.${i}.b`, "must be a string");
    if (typeof link.score !== "number" || Number.isNaN(link.score)) {
      invalid(what, `links.${i}.score`, "must be a number");
    }
  });
  const minCohesion = options?.minCohesion ?? DEFAULT_MIN_COHESION;
  if (typeof minCohesion !== "number" || !(minCohesion >= 0 && minCohesion <= 1)) {
    invalid("clusterMatches options", "minCohesion", "must be between 0 and 1");
  }
  return clusterLinks(ids, links, minCohesion).clusters;
}
