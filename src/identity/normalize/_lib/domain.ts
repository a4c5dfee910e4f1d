import { domainToASCII } from "node:url";

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Converts a domain name to its one canonical form: lower-case ASCII, internationalised labels in
 * punycode (`münchen.de` and `xn--mnchen-3ya.de` both give `xn--mnchen-3ya.de`), no trailing dot.
 * Returns `null` for anything that is not a public host name: fewer than two labels, an empty label,
 * a label over 63 characters or starting/ending with `-`, a numeric top-level label, an IP literal.
 */
export function canonicalDomain(domain: string): string | null {
  const withoutRoot = domain.endsWith(".") ? domain.slice(0, -1) : domain;
  if (withoutRoot === "" || withoutRoot.startsWith("[")) return null;
  const ascii = domainToASCII(withoutRoot);
  if (ascii === "" || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2) return null;
  for (const label of labels) if (!LABEL.test(label)) return null;
  return TLD.test(labels[labels.length - 1] as string) ? ascii : null;
}
