/**
 * The outer `<svg>` element shared by the renderers.
 *
 * @module
 */

import { FONT, INK } from "./palette.js";
import { escapeXml, num } from "./xml.js";

/** Wraps `body` in a standalone SVG document of the given size, with a `<title>` and a white background. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  const w = num(width);
  const h = num(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `role="img" aria-label="${escapeXml(title)}" font-family="${escapeXml(FONT)}" fill="${INK.text}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#FFFFFF"/>` +
    body +
    "</svg>"
  );
}
