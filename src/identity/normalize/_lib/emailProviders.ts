/**
 * Mailbox providers whose addressing rules are applied when `providerRules` is on.
 *
 * - `gmail`: dots in the local part are ignored, `+tag` is a sub-address, and `googlemail.com`
 *   is the same mailbox as `gmail.com` (Google's documented behaviour).
 * - `plus`: `+tag` is a sub-address; dots are significant, so they are kept.
 */
export const EMAIL_PROVIDERS: ReadonlyMap<string, "gmail" | "plus"> = new Map<string, "gmail" | "plus">([
  ["gmail.com", "gmail"],
  ["googlemail.com", "gmail"],
  // Microsoft consumer mail
  ["outlook.com", "plus"],
  ["hotmail.com", "plus"],
  ["live.com", "plus"],
  // Apple iCloud Mail (me.com and mac.com are aliases of the same accounts, but they are kept distinct)
  ["icloud.com", "plus"],
  ["me.com", "plus"],
  ["mac.com", "plus"],
  // Fastmail
  ["fastmail.com", "plus"],
  ["fastmail.fm", "plus"],
  // Proton Mail
  ["proton.me", "plus"],
  ["protonmail.com", "plus"],
  ["protonmail.ch", "plus"],
  ["pm.me", "plus"],
]);

/** Applies the provider rules to an already normalised local part and domain. */
export function applyProviderRules(local: string, domain: string): { local: string; domain: string } {
  const rule = EMAIL_PROVIDERS.get(domain);
  if (rule === undefined) return { local, domain };
  const plus = local.indexOf("+");
  const untagged = plus === -1 ? local : local.slice(0, plus);
  if (rule === "plus") return { local: untagged, domain };
  return { local: untagged.replaceAll(".", ""), domain: "gmail.com" };
}
