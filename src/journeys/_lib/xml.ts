/**
 * Building SVG text safely: escaping, removing characters XML cannot carry, truncating, numbers.
 *
 * @module
 */

// Characters XML 1.0 forbids (C0 controls except tab/newline/return, U+FFFE/U+FFFF) and lone surrogates.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that cannot appear in an XML document (they would make the SVG unparseable). */
export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, "\uFFFD");
}

/** Escapes text for use in XML content or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Collapses whitespace runs (newlines, tabs) into single spaces and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Shortens text to at most `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Rough rendered width of `text` in a sans-serif font of `fontSize` pixels. */
export function textWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * 0.58;
}

/** A coordinate or length for markup: finite, at most two decimals, never `NaN` or `-0`. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** An XML element with escaped attribute values; `children` is inserted as is (already markup). */
export function element(name: string, attributes: Record<string, string | number | undefined>, children = ""): string {
  let markup = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    markup += ` ${key}="${typeof value === "number" ? num(value) : escapeXml(value)}"`;
  }
  return children === "" ? `${markup}/>` : `${markup}>${children}</${name}>`;
}

/** A `<title>` tooltip element with escaped text. */
export function tooltip(text: string): string {
  return `<title>${escapeXml(text)}</title>`;
}

/**
 * Breaks text into lines of at most `maxChars` characters at spaces (a longer word is cut), keeping at
 * most `maxLines` lines; the last kept line ends with "…" when text was left out.
 */
export function wrap(text: string, maxChars: number, maxLines: number): string[] {
  const limit = Math.max(1, maxChars);
  const lines: string[] = [];
  let current = "";
  // Split at ordinary spaces only: a no-break space (as in "7\u00A0d") keeps a number with its unit.
  for (const word of text
    .replace(/[ \t\n\r]+/g, " ")
    .trim()
    .split(" ")) {
    if (word === "") continue;
    const candidate = current === "" ? word : `${current} ${word}`;
    if (Array.from(candidate).length <= limit) {
      current = candidate;
      continue;
    }
    if (current !== "") lines.push(current);
    current = truncate(word, limit);
  }
  if (current !== "") lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]!} …`, limit).replace(/ …$/, "…");
  return kept;
}
