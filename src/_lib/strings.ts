import { compareStrings } from "./hash.js";

/** The later of two ISO times (or any strings, by code unit). */
export function maxString(a: string, b: string): string {
  return compareStrings(a, b) >= 0 ? a : b;
}

/** The earlier of two ISO times (or any strings, by code unit). */
export function minString(a: string, b: string): string {
  return compareStrings(a, b) <= 0 ? a : b;
}
