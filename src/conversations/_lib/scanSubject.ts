/**
 * The base-subject scanner behind `baseSubject` and the subject step of `threadEmails`: one pass
 * over a window `[pos, end)` of the tidied subject that only ever moves `pos` forward and `end`
 * backward, so its work is linear in the subject's length whatever the input.
 */
import type { SubjectPatterns } from "./subjectPatterns.js";

/** The result of {@link scanSubject}. */
export interface SubjectScan {
  /** The base subject, letter case kept. */
  base: string;
  /** True when a reply/forward prefix, a `[Fwd: …]` wrapper or a `(fwd)` trailer was removed. */
  reply: boolean;
}

/** Counts the scanner's work, for tests that prove it linear without timing anything. */
export interface ScanMeter {
  /** Characters examined plus regular-expression attempts. */
  steps: number;
}

const SPACE = 32;
const OPEN = 91; // [
const CLOSE = 93; // ]
const WHITESPACE = /\s+/gu;
const UNTIDY_WHITESPACE = /\s\s|[^\S ]/u;
const NON_ASCII = /[^\x00-\x7f]/;
const FWD_TRAILER = "(fwd)";

/**
 * RFC 5256 §2.1 base subject of `subject`, with the prefixes in `patterns`. See `baseSubject` for
 * the rules; this is the same algorithm as a forward scan instead of a loop of anchored regexes
 * (which rescanned the rest of the subject once per `[blob]`, quadratic on `[x][x][x]…`).
 */
export function scanSubject(subject: string, patterns: SubjectPatterns, meter?: ScanMeter): SubjectScan {
  let s = NON_ASCII.test(subject) ? subject.normalize("NFC") : subject;
  // After this every whitespace run is one ASCII space, so the scan below only looks for 32.
  if (UNTIDY_WHITESPACE.test(s)) s = s.replace(WHITESPACE, " ");
  let pos = 0;
  let end = s.length;
  while (pos < end && s.charCodeAt(pos) === SPACE) pos++;
  while (end > pos && s.charCodeAt(end - 1) === SPACE) end--;
  let steps = 0;
  let reply = false;
  const { prefix, forwardWrapper } = patterns;

  for (;;) {
    // Step 2: trailing "(fwd)" markers and whitespace.
    while (end - pos >= FWD_TRAILER.length && s.charCodeAt(end - 1) === 41 /* ) */) {
      steps++;
      if (s.slice(end - FWD_TRAILER.length, end).toLowerCase() !== FWD_TRAILER) break;
      end -= FWD_TRAILER.length;
      reply = true;
      while (end > pos && s.charCodeAt(end - 1) === SPACE) end--;
    }

    // Steps 3-5: leaders (blobs, a prefix, a colon), then a leading blob when text remains.
    for (;;) {
      // The blobs in front of a possible prefix, each with the space after it.
      let q = pos;
      let lastBlob = -1;
      while (q < end && s.charCodeAt(q) === OPEN) {
        let close = q + 1;
        while (close < end) {
          const code = s.charCodeAt(close);
          if (code === OPEN || code === CLOSE) break;
          close++;
        }
        steps += close - q + 1;
        if (close >= end || s.charCodeAt(close) !== CLOSE) break;
        lastBlob = q;
        q = close + 1;
        if (q < end && s.charCodeAt(q) === SPACE) q++;
      }
      if (prefix !== null && q < end) {
        const stop = matchAt(prefix, s, q, end);
        steps += 1 + (stop > q ? stop - q : 0);
        if (stop > q) {
          pos = stop;
          reply = true;
          continue;
        }
      }
      // No prefix after these blobs, so none after any of them: a leader starting at a later
      // blob would run over the same blobs to the same place. Drop every blob that has text
      // after it; a lone last blob stays (`[support]` is a subject).
      if (lastBlob >= 0) pos = q < end ? q : lastBlob;
      break;
    }

    // Step 6: a "[fwd: …]" wrapper, then start over on its inside.
    if (end - pos < 2 || s.charCodeAt(end - 1) !== CLOSE) break;
    const inner = matchAt(forwardWrapper, s, pos, end);
    steps++;
    if (inner <= pos || inner >= end) break;
    steps += inner - pos;
    reply = true;
    pos = inner;
    end--;
    while (pos < end && s.charCodeAt(pos) === SPACE) pos++;
    while (end > pos && s.charCodeAt(end - 1) === SPACE) end--;
  }
  if (meter !== undefined) meter.steps += steps + s.length;
  return { base: pos === 0 && end === s.length ? s : s.slice(pos, end), reply };
}

/**
 * Where a sticky `pattern` matching at `at` ends, or -1; the match must stay inside `[at, end)`.
 * A match that runs past `end` (into text the scan already removed) is retried on the window.
 */
function matchAt(pattern: RegExp, s: string, at: number, end: number): number {
  pattern.lastIndex = at;
  if (!pattern.test(s)) return -1;
  const stop = pattern.lastIndex;
  if (stop <= end) return stop;
  pattern.lastIndex = 0;
  const windowed = s.slice(at, end);
  return pattern.test(windowed) ? at + pattern.lastIndex : -1;
}
