/**
 * Deterministic ordering and time parsing shared by the journey functions.
 *
 * @module
 */

import { compareStrings } from "../../_lib/hash.js";
import { InvalidInputError } from "../../errors.js";

/** Epoch milliseconds of an ISO time; throws an {@link InvalidInputError} naming `path` when it is not a date. */
export function parseTime(value: string, what: string, path: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InvalidInputError(what, [
      { path: [path], code: "invalid_format", message: `is not a date: ${JSON.stringify(value)}` },
    ]);
  return ms;
}

/** Something with an id placed in time. */
export interface Timed {
  id: string;
  ms: number;
}

/** Orders by time, then by id, so that equal times have one stable order. */
export function compareTimed(a: Timed, b: Timed): number {
  return a.ms - b.ms || compareStrings(a.id, b.id);
}
