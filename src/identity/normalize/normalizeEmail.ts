import { canonicalDomain } from "./_lib/domain.js";
import { applyProviderRules } from "./_lib/emailProviders.js";

/** Options of {@link normalizeEmail}. */
export interface NormalizeEmailOptions {
  /**
   * Apply mailbox-provider rules (off by default): for `gmail.com` / `googlemail.com` drop dots and
   * the `+tag` of the local part and map `googlemail.com` to `gmail.com`; for Outlook/Hotmail/Live,
   * iCloud (`icloud.com`, `me.com`, `mac.com`), Fastmail (`fastmail.com`, `fastmail.fm`) and Proton
   * (`proton.me`, `protonmail.com`, `protonmail.ch`, `pm.me`) drop the `+tag` only.
   */
  providerRules?: boolean;
}

// Whitespace, control characters and the specials that only appear in quoted or display forms.
const FORBIDDEN_IN_LOCAL = /[\s\u0000-\u001f\u007f<>()[\]\\,;:"]/u;

/**
 * Normalises an email address to one canonical form, or returns `null` when it is not a usable
 * address.
 *
 * The address is trimmed, Unicode-NFC-normalised and lower-cased; the domain is converted to
 * ASCII (punycode), so the Unicode and the punycode spelling of an internationalised domain give
 * the same result. Refused (`null`): no `@` or more than one, an empty local part or domain,
 * whitespace or control characters inside, quoted local parts, a local part over 64 characters,
 * an address over 254 characters, a domain that is not a public host name (IP literals, a single
 * label such as `localhost`, bad labels).
 *
 * @param value - The raw address, e.g. `" Jan.Kowalski@Example.COM "`.
 * @param options - {@link NormalizeEmailOptions}; `providerRules` is off by default.
 * @returns The normalised address, or `null` if `value` is not a valid address.
 *
 * @example
 * ```ts
 * normalizeEmail(" Jan.Kowalski@Example.COM ");                       // "jan.kowalski@example.com"
 * normalizeEmail("anna@münchen.de");                                  // "anna@xn--mnchen-3ya.de"
 * normalizeEmail("J.an+shop@GoogleMail.com", { providerRules: true }); // "jan@gmail.com"
 * normalizeEmail("not an email");                                     // null
 * ```
 */
export function normalizeEmail(value: string, options?: NormalizeEmailOptions): string | null {
  const trimmed = value.trim().normalize("NFC");
  const at = trimmed.indexOf("@");
  if (at <= 0 || at !== trimmed.lastIndexOf("@")) return null;
  let local = trimmed.slice(0, at).toLowerCase();
  const rawDomain = trimmed.slice(at + 1);
  if (local.length > 64 || FORBIDDEN_IN_LOCAL.test(local) || /\s/u.test(rawDomain)) return null;
  let domain = canonicalDomain(rawDomain);
  if (domain === null) return null;
  if (options?.providerRules === true) {
    ({ local, domain } = applyProviderRules(local, domain));
    if (local === "") return null;
  }
  const email = `${local}@${domain}`;
  return email.length > 254 ? null : email;
}
