/**
 * Time-axis ticks in UTC at "nice" steps (seconds to years), labelled so that a reader can tell the date.
 *
 * @module
 */
import { formatUtcDay, formatUtcMonth, formatUtcTime } from "./format.js";

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
}

/**
 * Between 1 and `maxTicks` ticks inside `[start, end]`, at the smallest nice step that gives at most
 * `maxTicks` ticks. Labels show the time of day for sub-day steps (with the date under the first tick of
 * each day), the day for day steps (with the year under the first tick of each year), and the month for
 * month steps.
 */
export function timeTicks(start: number, end: number, maxTicks: number): Tick[] {
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
  for (const ms of times) {
    const date = new Date(ms);
    if ("ms" in step && step.ms < DAY) {
      const day = formatUtcDay(ms);
      const tick: Tick = { ms, label: formatUtcTime(ms, step.ms < MINUTE) };
      if (day !== previousDay) tick.sublabel = `${day} ${date.getUTCFullYear()}`;
      previousDay = day;
      ticks.push(tick);
    } else if ("ms" in step) {
      const tick: Tick = { ms, label: formatUtcDay(ms) };
      if (date.getUTCFullYear() !== previousYear) tick.sublabel = String(date.getUTCFullYear());
      previousYear = date.getUTCFullYear();
      ticks.push(tick);
    } else {
      ticks.push({ ms, label: step.months >= 12 ? String(date.getUTCFullYear()) : formatUtcMonth(ms) });
    }
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
