import type { InputIssue } from "../errors.js";
import { checkOptionalStrings, checkOptionsObject, throwIfIssues, wrongType } from "./_lib/check.js";
import { scanSubject } from "./_lib/scanSubject.js";
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

/**
 * The base subject of an email subject (RFC 5256 §2.1), with localised prefixes: whitespace is
 * collapsed; `(fwd)` trailers are removed; reply/forward prefixes such as `Re:`, `AW:`, `Odp:`,
 * `回复：`, counted forms `Re[2]:` and `Re^3:`, and `[list]` blobs in front of them are removed;
 * a leading `[list]` blob is removed when something remains after it; a `[Fwd: …]` wrapper is
 * unwrapped; all of this repeats until nothing changes. Prefixes are case-insensitive and are
 * only stripped at the start, followed by a colon, so `R` and `Na` never match inside words.
 * The result keeps its letter case; compare base subjects case-insensitively.
 *
 * It runs in time linear in the subject's length: one forward scan, never a rescan per blob.
 *
 * @param subject - The subject as sent.
 * @param options - `subjectPrefixes` replaces the default prefix list.
 * @returns The base subject; an empty string when nothing but prefixes and blobs remains.
 * @throws {InvalidInputError} when `subject` is not a string or `subjectPrefixes` is not a list
 *   of strings.
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
  if (typeof subject !== "string" || (options !== undefined && !validPrefixOptions(options))) {
    const issues: InputIssue[] = [];
    if (typeof subject !== "string") wrongType(issues, ["subject"], "a string", subject);
    checkOptionsObject(issues, options, (o) =>
      checkOptionalStrings(issues, ["options", "subjectPrefixes"], o.subjectPrefixes),
    );
    throwIfIssues("baseSubject input", issues);
  }
  return scanSubject(subject, subjectPatterns(options?.subjectPrefixes ?? DEFAULT_SUBJECT_PREFIXES)).base;
}

/** Fast path of the options check: an object whose `subjectPrefixes` is absent or a frozen/plain string list. */
function validPrefixOptions(options: unknown): boolean {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return false;
  const prefixes = (options as BaseSubjectOptions).subjectPrefixes;
  if (prefixes === undefined || prefixes === DEFAULT_SUBJECT_PREFIXES) return true;
  if (!Array.isArray(prefixes)) return false;
  for (const prefix of prefixes) if (typeof prefix !== "string") return false;
  return true;
}
