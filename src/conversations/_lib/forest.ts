/**
 * Operations on a forest stored as a parent array (`parent[i]` is the parent container of `i`, or
 * -1 for a root). All of them are linear in the number of containers.
 */

/**
 * Removes every cycle from a functional graph given as a parent array, in place: in each cycle the
 * parent link of the node that sorts first by `before` is cut, so that node becomes the top.
 * Afterwards `parent` describes a forest. Self-links are cut too. Returns the nodes whose link
 * was cut.
 */
export function breakCycles(parent: Int32Array, count: number, before: (a: number, b: number) => boolean): number[] {
  const cuts: number[] = [];
  // 0 = unvisited, otherwise the walk number (1-based) that first reached the node.
  const walk = new Int32Array(count);
  for (let start = 0; start < count; start++) {
    if (walk[start] !== 0) continue;
    const id = start + 1;
    let node = start;
    while (node !== -1 && walk[node] === 0) {
      walk[node] = id;
      node = parent[node] as number;
    }
    // Reached a node seen in this same walk: the path closed a cycle starting at `node`.
    if (node === -1 || walk[node] !== id) continue;
    let cut = node;
    for (let other = parent[node] as number; other !== node; other = parent[other] as number) {
      if (before(other, cut)) cut = other;
    }
    parent[cut] = -1;
    cuts.push(cut);
  }
  return cuts;
}

/** Per-container facts about a forest, computed in one linear pass. */
export interface ForestFacts {
  /** The top container of each container's tree. */
  root: Int32Array;
  /** Number of ancestors (0 for a root). */
  depth: Int32Array;
  /** 1 when some proper ancestor is a real message (index below `realCount`). */
  realAbove: Uint8Array;
}

/**
 * Root, depth and "has a real ancestor" for every container of an acyclic parent array. Containers
 * with an index below `realCount` are real messages; the others are phantoms.
 */
export function describeForest(parent: Int32Array, count: number, realCount: number): ForestFacts {
  const root = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count);
  const realAbove = new Uint8Array(count);
  const path: number[] = [];
  for (let start = 0; start < count; start++) {
    if (root[start] !== -1) continue;
    let node = start;
    while (root[node] === -1) {
      const up = parent[node] as number;
      if (up === -1) {
        root[node] = node;
        depth[node] = 0;
        realAbove[node] = 0;
        break;
      }
      path.push(node);
      node = up;
    }
    // Unwind from the known node down to `start`.
    while (path.length > 0) {
      const child = path.pop() as number;
      const up = parent[child] as number;
      root[child] = root[up] as number;
      depth[child] = (depth[up] as number) + 1;
      realAbove[child] = up < realCount || realAbove[up] === 1 ? 1 : 0;
    }
  }
  return { root, depth, realAbove };
}
