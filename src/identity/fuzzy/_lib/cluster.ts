import { findRoot } from "./findRoot.js";

/** A link between two records with its strength (a match probability; deterministic links are 1). */
export interface Link {
  a: string;
  b: string;
  score: number;
}

/** One cluster of two or more records. */
export interface Cluster {
  /** The member ids, sorted. */
  ids: string[];
  /** Links among the members over member pairs (1 when every pair is linked). */
  cohesion: number;
  /** The lowest score among the links that joined the cluster. */
  weakest: number;
}

/**
 * Groups records by their links, strongest first, joining two groups only when the links between
 * them cover at least `minCohesion` of their record pairs (average-linkage on the link graph). A
 * single weak link therefore cannot chain two large groups, as connected components would.
 * Deterministic: links are taken by score, then ids.
 */
export function clusterLinks(
  ids: readonly string[],
  links: readonly Link[],
  minCohesion: number,
): { clusterOf: Map<string, string>; clusters: Cluster[] } {
  const parent = new Map<string, string>(ids.map((id) => [id, id]));
  const size = new Map<string, number>(ids.map((id) => [id, 1]));
  const inner = new Map<string, number>(ids.map((id) => [id, 0]));
  const weakest = new Map<string, number>();
  // Links between groups, by root: adjacency[root][otherRoot] = count.
  const adjacency = new Map<string, Map<string, number>>();
  const find = (x: string): string => findRoot(parent, x);
  const unique = new Map<string, Link>();
  for (const link of links) {
    if (link.a === link.b || !parent.has(link.a) || !parent.has(link.b)) continue;
    const [a, b] = link.a < link.b ? [link.a, link.b] : [link.b, link.a];
    const key = `${a}\u0000${b}`;
    const seen = unique.get(key);
    if (seen === undefined || seen.score < link.score) unique.set(key, { a, b, score: link.score });
  }
  const sorted = [...unique.values()].sort(
    (p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0),
  );
  const bump = (x: string, y: string, by: number) => {
    let row = adjacency.get(x);
    if (row === undefined) {
      row = new Map();
      adjacency.set(x, row);
    }
    row.set(y, (row.get(y) ?? 0) + by);
  };
  for (const { a, b } of sorted) {
    bump(a, b, 1);
    bump(b, a, 1);
  }
  for (const { a, b, score } of sorted) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const between = adjacency.get(ra)?.get(rb) ?? 0;
    if (between < minCohesion * size.get(ra)! * size.get(rb)!) continue;
    const [keep, gone] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(gone, keep);
    size.set(keep, size.get(ra)! + size.get(rb)!);
    inner.set(keep, inner.get(ra)! + inner.get(rb)! + between);
    weakest.set(keep, Math.min(weakest.get(ra) ?? 1, weakest.get(rb) ?? 1, score));
    const row = adjacency.get(keep)!;
    row.delete(gone);
    for (const [other, count] of adjacency.get(gone) ?? []) {
      if (other === keep) continue;
      row.set(other, (row.get(other) ?? 0) + count);
      const back = adjacency.get(other)!;
      back.delete(gone);
      back.set(keep, (back.get(keep) ?? 0) + count);
    }
    adjacency.delete(gone);
  }
  const clusterOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const id of ids) {
    const root = find(id);
    clusterOf.set(id, root);
    if (size.get(root)! > 1) {
      const list = members.get(root);
      if (list === undefined) members.set(root, [id]);
      else list.push(id);
    }
  }
  const clusters: Cluster[] = [...members].map(([root, list]) => {
    const k = list.length;
    return {
      ids: [...list].sort(),
      cohesion: inner.get(root)! / ((k * (k - 1)) / 2),
      weakest: weakest.get(root) ?? 1,
    };
  });
  clusters.sort((p, q) => (p.ids[0]! < q.ids[0]! ? -1 : 1));
  return { clusterOf, clusters };
}
