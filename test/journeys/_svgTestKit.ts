/**
 * Test helpers: parse an SVG string with a real XML parser and query it. Used by the renderer tests only.
 *
 * @module
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** A parsed element: its name, attributes (without prefix), text and children in document order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside the element and inside its descendants. */
  text: string;
}

type Ordered = Record<string, unknown> & { ":@"?: Record<string, string> };

/** Validates and parses `xml`; throws with the validator's message when it is not well-formed. */
export function parseSvg(xml: string): XmlElement {
  // fast-xml-parser's validator lets these through; an XML 1.0 parser (a browser) rejects them.
  const forbidden =
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
  const bad = forbidden.exec(xml);
  if (bad) throw new Error(`invalid XML: character U+${bad[0].charCodeAt(0).toString(16)} at offset ${bad.index}`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${valid.err.msg} at line ${valid.err.line}, col ${valid.err.col}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    preserveOrder: true,
    trimValues: false,
    parseAttributeValue: false,
    parseTagValue: false,
  });
  const nodes = parser.parse(xml) as Ordered[];
  const roots = nodes.map(convert).filter((node): node is XmlElement => node !== null);
  const root = roots.find((node) => node.name === "svg");
  if (!root) throw new Error("no <svg> root element");
  return root;
}

function convert(node: Ordered): XmlElement | null {
  const name = Object.keys(node).find((key) => key !== ":@");
  if (name === undefined || name === "#text") return null;
  const childNodes = (node[name] as Ordered[]) ?? [];
  const children = childNodes.map(convert).filter((child): child is XmlElement => child !== null);
  const ownText = childNodes
    .filter((child) => "#text" in child)
    .map((child) => String(child["#text"]))
    .join("");
  const text = ownText + children.map((child) => child.text).join("");
  return { name, attributes: { ...(node[":@"] ?? {}) }, children, text };
}

/** Every element below `root` (and `root` itself) that satisfies `test`, in document order. */
export function findAll(root: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    if (test(element)) found.push(element);
    for (const child of element.children) visit(child);
  };
  visit(root);
  return found;
}

/** Elements whose `class` attribute contains every given class. */
export function byClass(root: XmlElement, ...classes: string[]): XmlElement[] {
  return findAll(root, (element) => {
    const list = (element.attributes.class ?? "").split(/\s+/);
    return classes.every((c) => list.includes(c));
  });
}

/** The text of the element's `<title>` child, or `undefined`. */
export function titleOf(element: XmlElement): string | undefined {
  return element.children.find((child) => child.name === "title")?.text;
}
