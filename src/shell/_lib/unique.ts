/** The distinct items, in first-seen order. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
