/**
 * The root of `x` in a union-find forest kept as a parent map, compressing the path on the way
 * (every node visited is pointed straight at the root).
 */
export function findRoot(parent: Map<string, string>, x: string): string {
  let root = x;
  while (parent.get(root) !== root) root = parent.get(root) as string;
  let node = x;
  while (parent.get(node) !== root) {
    const next = parent.get(node) as string;
    parent.set(node, root);
    node = next;
  }
  return root;
}
