/**
 * Time-axis ticks in a time zone (default UTC) at "nice" steps (seconds to years), labelled so that a
 * reader can tell the date. Day boundaries are the zone's midnights.
 *
 * @module
 */
import { fromWall, toWall } from "../../format/_lib/zone.js";
import { formatWallDay, formatWallMonth, formatWallTime } from "./format.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A step: a fixed length in ms, or a number of calendar months. */
type Step = { ms: number } | { months: number };

const STEPS: readonly Step[] = [
  { ms: SECOND },
  { ms: 5 * SECOND },
  { ms: 15 * SECOND },
  { ms: 30 * SECOND },
  { ms: MINUTE },
  { ms: 5 * MINUTE },
  { ms: 15 * MINUTE },
  { ms: 30 * MINUTE },
  { ms: HOUR },
  { ms: 3 * HOUR },
  { ms: 6 * HOUR },
  { ms: 12 * HOUR },
  { ms: DAY },
  { ms: 2 * DAY },
  { ms: 7 * DAY },
  { months: 1 },
  { months: 3 },
  { months: 6 },
  { months: 12 },
  { months: 24 },
  { months: 60 },
  { months: 120 },
];

/** A tick: where it is and its label lines (the second line, when present, names the day or year). */
export interface Tick {
  ms: number;
  label: string;
  sublabel?: string;
  /**
   * Set on a label at the start of the axis that names the first day when no tick falls on it: it
   * is drawn as text only, with no tick mark or grid line.
   */
  edge?: true;
}

/**
 * Between 1 and `maxTicks` ticks inside `[start, end]`, at the smallest nice step that gives at most
 * `maxTicks` ticks. Labels show the time of day for sub-day steps (with the date under the first tick of
 * each day), the day for day steps (with the year under the first tick of each year), and the month for
 * month steps.
 */
export function timeTicks(startMs: number, endMs: number, maxTicks: number, timeZone = "UTC"): Tick[] {
  // Work on wall-clock times, so that steps, midnights and labels are the zone's.
  const start = toWall(startMs, timeZone);
  const end = toWall(endMs, timeZone);
  const limit = Math.max(1, maxTicks);
  const span = Math.max(end - start, 1);
  // The smallest step giving at most `limit` ticks. When that step leaves no tick inside the range (it is
  // longer than the span), keep the previous step and use every k-th of its ticks instead.
  let step: Step = STEPS[STEPS.length - 1]!;
  let times: number[] = [];
  let previous: { step: Step; times: number[] } | null = null;
  for (const candidate of STEPS) {
    if (span / stepLength(candidate) > limit * 8) continue;
    const candidateTimes = ticksFor(candidate, start, end);
    if (candidateTimes.length <= limit) {
      if (candidateTimes.length === 0 && previous !== null) {
        const every = Math.ceil(previous.times.length / limit);
        step = previous.step;
        times = previous.times.filter((_, index) => index % every === 0);
      } else {
        step = candidate;
        times = candidateTimes;
      }
      break;
    }
    previous = { step: candidate, times: candidateTimes };
    step = candidate;
    times = candidateTimes.filter((_, index) => index % Math.ceil(candidateTimes.length / limit) === 0);
  }
  // A range shorter than a second, between two whole seconds: one tick at its start.
  if (times.length === 0) times = [start];
  const ticks: Tick[] = [];
  let previousDay = "";
  let previousYear = -1;
  for (const wall of times) {
    const date = new Date(wall);
    const ms = fromWall(wall, timeZone);
    if ("ms" in step && step.ms < DAY) {
      const day = formatWallDay(wall);
      const tick: Tick = { ms, label: formatWallTime(wall, step.ms < MINUTE) };
      if (day !== previousDay) tick.sublabel = `${day} ${date.getUTCFullYear()}`;
      previousDay = day;
      ticks.push(tick);
    } else if ("ms" in step) {
      const tick: Tick = { ms, label: formatWallDay(wall) };
      if (date.getUTCFullYear() !== previousYear) tick.sublabel = String(date.getUTCFullYear());
      previousYear = date.getUTCFullYear();
      ticks.push(tick);
    } else {
      ticks.push({ ms, label: step.months >= 12 ? String(date.getUTCFullYear()) : formatWallMonth(wall) });
    }
  }
  // The first day must be named: when the first tick is on a later day (ticks at midnights, or a
  // time tick after the first midnight), the axis starts with the first day's date.
  const firstTick = times[0];
  if (firstTick !== undefined && Math.floor(firstTick / DAY) !== Math.floor(start / DAY) && "ms" in step) {
    const first = new Date(start);
    ticks.unshift({ ms: startMs, label: formatWallDay(start), sublabel: String(first.getUTCFullYear()), edge: true });
  }
  return ticks;
}

function ticksFor(step: Step, start: number, end: number): number[] {
  return "ms" in step ? fixedTicks(start, end, step.ms) : monthTicks(start, end, step.months);
}

function stepLength(step: Step): number {
  return "ms" in step ? step.ms : step.months * 30.44 * DAY;
}

function fixedTicks(start: number, end: number, step: number): number[] {
  // Weeks start on Monday (the epoch was a Thursday); shorter steps align to UTC midnight.
  const offset = step === 7 * DAY ? 4 * DAY : 0;
  const ticks: number[] = [];
  for (let t = Math.ceil((start - offset) / step) * step + offset; t <= end; t += step) ticks.push(t);
  return ticks;
}

function monthTicks(start: number, end: number, months: number): number[] {
  const first = new Date(start);
  let index = first.getUTCFullYear() * 12 + first.getUTCMonth();
  index = Math.ceil(index / months) * months;
  const ticks: number[] = [];
  for (;;) {
    const t = Date.UTC(Math.floor(index / 12), index % 12, 1);
    if (t > end) break;
    if (t >= start) ticks.push(t);
    index += months;
  }
  return ticks;
}
