const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** A host name the host parser leaves as it is: lower-case LDH labels, a letter TLD, no punycode. */
const PLAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The WHATWG host parser (UTS #46 mapping, then punycode) through the `hostname` setter of a URL with
 * a special scheme: what Node's `url.domainToASCII` does internally, available in every runtime.
 * The setter ignores a host it cannot parse and keeps the placeholder `x`, a single label that
 * {@link canonicalDomain} refuses anyway.
 */
function domainToASCII(domain: string): string {
  const url = new URL("ws://x");
  url.hostname = domain;
  return url.hostname;
}

/**
 * Converts a domain name to its one canonical form: lower-case ASCII, internationalised labels in
 * punycode (`münchen.de` and `xn--mnchen-3ya.de` both give `xn--mnchen-3ya.de`), no trailing dot.
 * Returns `null` for anything that is not a public host name: fewer than two labels, an empty label,
 * a label over 63 characters or starting/ending with `-`, a numeric top-level label, an IP literal.
 */
export function canonicalDomain(domain: string): string | null {
  const withoutRoot = domain.endsWith(".") ? domain.slice(0, -1) : domain;
  if (withoutRoot === "" || withoutRoot.startsWith("[")) return null;
  // Most addresses are already canonical: skip the host parser for them (its result would be
  // the same string; a label with "xn--" still goes through it, to be checked).
  if (withoutRoot.length <= 253 && PLAIN.test(withoutRoot) && !withoutRoot.includes("xn--")) return withoutRoot;
  const ascii = domainToASCII(withoutRoot);
  if (ascii === "" || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2) return null;
  for (const label of labels) if (!LABEL.test(label)) return null;
  return TLD.test(labels[labels.length - 1] as string) ? ascii : null;
}
