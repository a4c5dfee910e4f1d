import { subjectPatterns } from "./_lib/subjectPatterns.js";

/**
 * The built-in reply and forward prefixes `baseSubject` strips, compared case-insensitively and
 * followed by `:` or the full-width `：`: English `Re`/`Fw`/`Fwd`, German `AW`/`WG`, Polish
 * `Odp`/`PD`, Russian `Ответ`/`Отв`/`Пересл`/`На`, French `Réf`/`Rép`/`TR`, Spanish and Italian
 * `RE`/`RV`/`R`, Nordic `SV`/`VS`, Dutch `Antw`/`Doorst`, Chinese `回复`/`转发`.
 *
 * @example
 * ```ts
 * DEFAULT_SUBJECT_PREFIXES.includes("AW"); // true
 * ```
 */
export const DEFAULT_SUBJECT_PREFIXES: readonly string[] = Object.freeze([
  "Re",
  "Fw",
  "Fwd",
  "AW",
  "WG",
  "Odp",
  "PD",
  "Ответ",
  "Отв",
  "Пересл",
  "На",
  "Réf",
  "Rép",
  "TR",
  "RV",
  "R",
  "SV",
  "VS",
  "Antw",
  "Doorst",
  "回复",
  "转发",
]);

/** Options of {@link baseSubject}. */
export interface BaseSubjectOptions {
  /**
   * Reply/forward prefixes to strip (without the colon), compared case-insensitively. Replaces
   * {@link DEFAULT_SUBJECT_PREFIXES}; pass `[...DEFAULT_SUBJECT_PREFIXES, "Rif"]` to extend it.
   */
  subjectPrefixes?: readonly string[] | undefined;
}

const WHITESPACE = /\s+/gu;
const UNTIDY_WHITESPACE = /\s\s|[^\S ]/u;
const NON_ASCII = /[^\x00-\x7f]/;
const LEADING_BLOB = /^\[[^[\]]*\]\s*/u;
const FWD_TRAILER = "(fwd)";

/**
 * The base subject of an email subject (RFC 5256 §2.1), with localised prefixes: whitespace is
 * collapsed; `(fwd)` trailers are removed; reply/forward prefixes such as `Re:`, `AW:`, `Odp:`,
 * `回复：`, counted forms `Re[2]:` and `Re^3:`, and `[list]` blobs in front of them are removed;
 * a leading `[list]` blob is removed when something remains after it; a `[Fwd: …]` wrapper is
 * unwrapped; all of this repeats until nothing changes. Prefixes are case-insensitive and are
 * only stripped at the start, followed by a colon, so `R` and `Na` never match inside words.
 * The result keeps its letter case; compare base subjects case-insensitively.
 *
 * @param subject - The subject as sent.
 * @param options - `subjectPrefixes` replaces the default prefix list.
 * @returns The base subject; an empty string when nothing but prefixes and blobs remains.
 *
 * @example
 * ```ts
 * baseSubject("Re: AW: [support] Fwd: Order 123 (fwd)"); // "Order 123"
 * baseSubject("Odp：  Re[2]: Umowa   kredytowa");          // "Umowa kredytowa"
 * baseSubject("[Fwd: Re: Invoice]");                      // "Invoice"
 * baseSubject("Rate: 5%");                                // "Rate: 5%"
 * baseSubject("Sv: Hei", { subjectPrefixes: ["Re"] });    // "Sv: Hei"
 * ```
 */
export function baseSubject(subject: string, options?: BaseSubjectOptions): string {
  const { leader, forwardWrapper } = subjectPatterns(options?.subjectPrefixes ?? DEFAULT_SUBJECT_PREFIXES);
  let s = NON_ASCII.test(subject) ? subject.normalize("NFC") : subject;
  if (UNTIDY_WHITESPACE.test(s)) s = s.replace(WHITESPACE, " ");
  s = s.trim();
  for (;;) {
    // Step 2: trailing "(fwd)" and whitespace.
    s = stripForwardTrailers(s);
    // Steps 3-5: leaders, then a leading blob when text remains, until stable.
    for (;;) {
      const before = s;
      if (leader !== null) {
        let match = leader.exec(s);
        while (match !== null && match[0].length > 0) {
          s = s.slice(match[0].length);
          match = leader.exec(s);
        }
      }
      const blob = LEADING_BLOB.exec(s);
      if (blob !== null && blob[0].length < s.length) s = s.slice(blob[0].length);
      if (s === before) break;
    }
    // Step 6: "[fwd: …]" wrapper, then start over.
    const wrapper = s.endsWith("]") ? forwardWrapper.exec(s) : null;
    if (wrapper === null || wrapper[0].length >= s.length) return s;
    s = s.slice(wrapper[0].length, -1).trim();
  }
}

/** Removes trailing `(fwd)` markers (case-insensitive) and whitespace, repeatedly. */
function stripForwardTrailers(s: string): string {
  for (;;) {
    const trimmed = s.trimEnd();
    if (
      trimmed.length >= FWD_TRAILER.length &&
      trimmed.charCodeAt(trimmed.length - 1) === 41 && // ")"
      trimmed.slice(trimmed.length - FWD_TRAILER.length).toLowerCase() === FWD_TRAILER
    ) {
      s = trimmed.slice(0, trimmed.length - FWD_TRAILER.length);
      continue;
    }
    return trimmed;
  }
}
