/**
 * Plain-text building blocks for the terminal views: fixed-width wrapping, truncation, headings
 * and times in a time zone. Isomorphic: no Node APIs.
 *
 * @module
 */
import { toWall, zoneLabel } from "./zone.js";

/** Options shared by the text formatters. */
export interface TextOptions {
  /** Line width in columns. Default 80, at least 40. */
  width?: number;
  /** IANA time zone for the times shown, such as `"Europe/Warsaw"`. Default `"UTC"`. */
  timeZone?: string;
}

/** The width to use: the option, at least 40, default 80. */
export function widthOf(options: TextOptions): number {
  return Math.max(40, Math.floor(options.width ?? 80));
}

/** An ISO time as `2026-04-01 09:12` in `timeZone`. */
export function stamp(iso: string, timeZone = "UTC"): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const wall = new Date(toWall(ms, timeZone)).toISOString();
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

/** An ISO time's date (`2026-04-01`) in `timeZone`. */
export function day(iso: string, timeZone = "UTC"): string {
  return stamp(iso, timeZone).slice(0, 10);
}

/** `UTC` or the zone's IANA name, to write after times. */
export { zoneLabel };

/** Collapses whitespace and cuts `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** Word-wraps `text` to `width` columns, every line prefixed with `indent`. Over-long words are cut. */
export function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    if (word === "") continue;
    const room = width - (empty ? line.length : line.length + 1);
    if (word.length <= room) {
      line += empty ? word : ` ${word}`;
      empty = false;
      continue;
    }
    if (!empty) lines.push(line);
    line = lines.length === 0 && empty ? first : indent;
    let rest = word;
    while (rest.length > width - line.length) {
      const cut = Math.max(1, width - line.length);
      lines.push(line + rest.slice(0, cut));
      line = indent;
      rest = rest.slice(cut);
    }
    line += rest;
    empty = rest === "";
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

/** A title underlined with `─`. */
export function heading(title: string, width: number): string {
  return `${title}\n${"─".repeat(Math.min(width, title.length))}`;
}

/** `1 interaction`, `2 interactions`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Letters A, B, … Z, AA, AB … naming conversations in a view. */
export function letter(index: number): string {
  let out = "";
  let n = index;
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}
