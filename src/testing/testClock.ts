import { add, type Duration } from "date-fns";
import { type InputIssue, InvalidInputError } from "../errors.js";
import { parseInput } from "../schema/parse.js";
import { When } from "../schema/primitives.js";

/**
 * A clock a test controls. Call it (it is a `() => Date`, so it can be passed as `clock` to
 * `createCustomerContext`), read it with `now()`, move it with `advance()` or `set()`.
 */
export interface TestClock {
  /** The current time of this clock, as a new `Date` each call. */
  (): Date;
  /** The current time of this clock, as a new `Date`. */
  now(): Date;
  /** Moves the clock forward (or back, with negative amounts) by a date-fns `Duration`. */
  advance(duration: Duration): TestClock;
  /** Sets the clock to a point in time (a `Date` or an ISO 8601 string with an offset). */
  set(when: Date | string): TestClock;
}

const DURATION_UNITS = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"] as const;

/**
 * A controllable clock for tests: SLA alerts, continuation windows, complaint suppression and
 * every default `at` then follow the test, not the wall clock.
 *
 * @param start - where the clock starts: a `Date` or an ISO 8601 string with an offset
 * @returns a function usable as `clock`, with `now`, `advance` and `set`
 * @throws InvalidInputError naming `start`, `duration` or `when` when one is not a valid time or duration
 *
 * @example
 * ```ts
 * import { createCustomerContext } from "customer-context";
 * import { testClock } from "customer-context/testing";
 *
 * const clock = testClock("2026-04-01T09:00:00Z");
 * const cc = createCustomerContext({ clock });
 * clock.advance({ hours: 25 });
 * clock.now().toISOString(); // "2026-04-02T10:00:00.000Z"
 * ```
 */
export function testClock(start: Date | string): TestClock {
  let ms = toMs(start, "start");
  const clock = (() => new Date(ms)) as TestClock;
  clock.now = () => new Date(ms);
  clock.advance = (duration: Duration) => {
    checkDuration(duration);
    const next = add(new Date(ms), duration).getTime();
    if (!Number.isFinite(next) || Math.abs(next) > MAX_MS) {
      throw new InvalidInputError("test clock duration", [
        { path: ["duration"], code: "too_big", message: "moves the clock outside the years 0001–9999" },
      ]);
    }
    ms = next;
    return clock;
  };
  clock.set = (when: Date | string) => {
    ms = toMs(when, "when");
    return clock;
  };
  return clock;
}

/** 9999-12-31T23:59:59.999Z: the last instant the library accepts. */
const MAX_MS = 253_402_300_799_999;

function toMs(when: Date | string, field: string): number {
  let parsed: Date | string;
  try {
    parsed = parseInput(When, when, `test clock ${field}`);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      `test clock ${field}`,
      error.details.map((issue) => ({ ...issue, path: [field, ...issue.path] })),
    );
  }
  const ms = (parsed instanceof Date ? parsed : new Date(parsed)).getTime();
  if (!Number.isFinite(ms)) {
    throw new InvalidInputError(`test clock ${field}`, [
      { path: [field], code: "invalid_value", message: "is not a valid time" },
    ]);
  }
  return ms;
}

function checkDuration(duration: unknown): void {
  if (typeof duration !== "object" || duration === null || Array.isArray(duration)) {
    throw new InvalidInputError("test clock duration", [
      { path: ["duration"], code: "invalid_type", message: "must be a date-fns Duration such as { hours: 2 }" },
    ]);
  }
  const issues = Object.entries(duration).flatMap(([unit, amount]): InputIssue[] => {
    if (!(DURATION_UNITS as readonly string[]).includes(unit)) {
      return [{ path: ["duration", unit], code: "unrecognized_key", message: `unknown unit "${unit}"` }];
    }
    if (typeof amount !== "number" || !Number.isFinite(amount)) {
      return [{ path: ["duration", unit], code: "invalid_type", message: "must be a finite number" }];
    }
    return [];
  });
  if (issues.length > 0) throw new InvalidInputError("test clock duration", issues);
}
