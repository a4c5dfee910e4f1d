import type { FieldKind, FuzzyRecord } from "../types.js";
import { metaphone } from "./compare.js";

/** A record with every compared field cleaned once: `undefined` when missing. */
export interface PreparedRecord {
  id: string;
  values: Record<string, string | undefined>;
  /** Double Metaphone keys of the present `name` fields, computed once per record. */
  phonetic: Record<string, string>;
}

// Latin letters that Unicode does not decompose into a base letter and a mark.
const FOLD: Readonly<Record<string, string>> = {
  ł: "l",
  ø: "o",
  đ: "d",
  ħ: "h",
  ı: "i",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  þ: "th",
};

function stripMarks(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[łøđħıßæœþ]/g, (ch) => FOLD[ch] ?? ch);
}

/** Cleans one trait value for comparison; `undefined` when it is missing or empty after cleaning. */
export function cleanValue(kind: FieldKind, raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === "") return undefined;
  let out: string;
  switch (kind) {
    case "name":
      out = stripMarks(text).replace(/[^\p{L}\p{N}]/gu, "");
      break;
    case "date": {
      const iso = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(text);
      out = iso === null ? stripMarks(text).replace(/\s+/g, " ") : `${iso[1]}${iso[2]}${iso[3]}`;
      break;
    }
    case "text":
      out = stripMarks(text).replace(/\s+/g, " ");
      break;
    case "exact":
      out = text.toLowerCase();
      break;
  }
  return out === "" ? undefined : out;
}

/** Cleans the compared fields of a record. */
export function prepareRecord(record: FuzzyRecord, fields: Readonly<Record<string, FieldKind>>): PreparedRecord {
  const values: Record<string, string | undefined> = {};
  const phonetic: Record<string, string> = {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = Object.hasOwn(record.traits, field) ? cleanValue(kind, record.traits[field]) : undefined;
    values[field] = value;
    if (kind === "name" && value !== undefined) phonetic[field] = metaphone(value);
  }
  return { id: record.id, values, phonetic };
}
