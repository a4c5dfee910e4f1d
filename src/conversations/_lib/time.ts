/**
 * Milliseconds since the epoch for a `Date` or a date string; `Infinity` when the value is not a
 * valid date, so invalid dates sort after every valid one instead of breaking the order.
 */
export function toTime(date: string | Date): number {
  const ms = typeof date === "string" ? Date.parse(date) : date instanceof Date ? date.getTime() : Number.NaN;
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Three-way comparison of numbers or strings by `<` (code-unit order for strings, locale-free). */
export function compare<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
