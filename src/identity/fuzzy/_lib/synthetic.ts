/**
 * A seeded generator of person records with known truth, for the quality harness (tests and
 * bench; not part of the public API). Every record is a noisy copy of a latent person: names,
 * towns and postcodes are drawn from Zipf-like pools (a few very common values, a long tail), dates
 * of birth uniformly over 1940–2005, addresses as a house number and a street. Each field of each record gets a typo with `typoRate` and is
 * missing with `missingRate`; every duplicate (a person's second and later records) has at least
 * two corrupted fields. Same options, same data.
 */

import { mulberry32 } from "../../../_lib/random.js";
import type { FieldKind, FuzzyRecord } from "../types.js";
import type { LabelledData } from "./evaluation.js";

/** Options of {@link syntheticPeople}. */
export interface SyntheticOptions {
  /** Number of records. */
  records: number;
  /** Seed of everything random. */
  seed: number;
  /** Share of the records that are duplicates of an earlier record's person. Default 0.3. */
  duplicateShare?: number;
  /** Probability that a field of a record carries a typo or variant. Default 0.15. */
  typoRate?: number;
  /** Probability that a field of a record is empty. Default 0.12. */
  missingRate?: number;
  /** Whether records carry a national id (itself subject to typos and gaps). Default false. */
  uniqueId?: boolean;
}

/** Fields of the synthetic records and how they are compared. */
export const SYNTHETIC_FIELDS: Readonly<Record<string, FieldKind>> = Object.freeze({
  first_name: "name",
  surname: "name",
  dob: "date",
  address: "text",
  city: "text",
  postcode: "exact",
});

/** {@link SYNTHETIC_FIELDS} plus the national id, for sets generated with `uniqueId`. */
export const SYNTHETIC_FIELDS_WITH_ID: Readonly<Record<string, FieldKind>> = Object.freeze({
  ...SYNTHETIC_FIELDS,
  national_id: "exact",
});

const ONSET = [
  "b",
  "br",
  "c",
  "ch",
  "d",
  "f",
  "g",
  "gr",
  "h",
  "j",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "sh",
  "t",
  "v",
  "w",
  "z",
];
const VOWEL = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "y"];
const CODA = ["", "", "n", "l", "r", "s", "th", "m", "ck", "x", "nd", "rt"];
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

interface Pool {
  values: string[];
  cumulative: Float64Array;
}

function pool(next: () => number, size: number, exponent: number, syllables: readonly number[]): Pool {
  const seen = new Set<string>();
  const values: string[] = [];
  while (values.length < size) {
    const count = syllables[Math.floor(next() * syllables.length)]!;
    let word = "";
    for (let s = 0; s < count; s++) {
      word += ONSET[Math.floor(next() * ONSET.length)]! + VOWEL[Math.floor(next() * VOWEL.length)]!;
      if (s === count - 1 && next() < 0.6) word += CODA[Math.floor(next() * CODA.length)]!;
    }
    if (word.length >= 3 && !seen.has(word)) {
      seen.add(word);
      values.push(word.charAt(0).toUpperCase() + word.slice(1));
    }
  }
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) {
    total += 1 / (k + 1) ** exponent;
    cumulative[k] = total;
  }
  for (let k = 0; k < size; k++) cumulative[k]! /= total;
  return { values, cumulative };
}

function draw(next: () => number, p: Pool): number {
  const x = next();
  let lo = 0;
  let hi = p.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function typo(next: () => number, value: string, alphabet: string): string {
  if (value.length < 2) return value + alphabet[Math.floor(next() * alphabet.length)]!;
  const i = Math.floor(next() * value.length);
  const ch = alphabet[Math.floor(next() * alphabet.length)]!;
  const op = next();
  let out: string;
  if (op < 0.35) out = value.slice(0, i) + ch + value.slice(i + 1);
  else if (op < 0.6) out = value.slice(0, i) + value.slice(i + 1);
  else if (op < 0.85) out = value.slice(0, i) + ch + value.slice(i);
  else {
    const j = Math.min(i + 1, value.length - 1);
    const k = j === i ? i - 1 : i;
    out = value.slice(0, k) + value[j] + value[k] + value.slice(j + 1);
  }
  return out === value || out === "" ? `${value}${ch}` : out;
}

interface Person {
  first_name: string;
  surname: string;
  dob: string;
  address: string;
  city: number;
  postcode: string;
  national_id: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function corrupt(
  next: () => number,
  field: keyof Person,
  person: Person,
  postcodes: readonly string[][],
  cities: Pool,
): string {
  switch (field) {
    case "first_name":
      // A short form ("Robert" -> "Rob") or a typo.
      return next() < 0.2 && person.first_name.length > 4
        ? person.first_name.slice(0, 3 + Math.floor(next() * 2))
        : typo(next, person.first_name, LETTERS);
    case "surname":
      return typo(next, person.surname, LETTERS);
    case "dob": {
      const [y, m, d] = person.dob.split("-") as [string, string, string];
      const r = next();
      if (r < 0.25 && +d <= 12 && d !== m) return `${y}-${d}-${m}`;
      if (r < 0.45) return `${+y + (next() < 0.5 ? -1 : 1)}-${m}-${d}`;
      // One mistyped digit, kept a valid date.
      const digits = `${y}${m}${d}`.split("");
      for (let attempt = 0; attempt < 10; attempt++) {
        const copy = [...digits];
        const i = Math.floor(next() * 8);
        copy[i] = String(Math.floor(next() * 10));
        const s = copy.join("");
        const date = new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8)));
        if (s !== digits.join("") && date.toISOString().slice(0, 10).replaceAll("-", "") === s) {
          return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
        }
      }
      return `${y}-${m}-${pad(((+d % 28) + 1) % 28 || 1, 2)}`;
    }
    case "address": {
      // A typo in the street, or another house number.
      const space = person.address.indexOf(" ");
      return next() < 0.3
        ? `${1 + Math.floor(next() * 200)}${person.address.slice(space)}`
        : person.address.slice(0, space + 1) + typo(next, person.address.slice(space + 1), LETTERS);
    }
    case "city":
      return typo(next, cities.values[person.city]!, LETTERS);
    case "postcode": {
      // Moved within the town, or a mistyped digit.
      const inCity = postcodes[person.city]!;
      const other = inCity[Math.floor(next() * inCity.length)]!;
      return next() < 0.5 && other !== person.postcode ? other : typo(next, person.postcode, "0123456789");
    }
    case "national_id":
      return typo(next, person.national_id, "0123456789");
  }
}

/**
 * Generates `options.records` labelled person records.
 *
 * @returns The records, the true person of each record id, and no exact-match key.
 */
export function syntheticPeople(options: SyntheticOptions): LabelledData {
  const next = mulberry32(options.seed);
  const duplicateShare = options.duplicateShare ?? 0.3;
  const typoRate = options.typoRate ?? 0.15;
  const missingRate = options.missingRate ?? 0.12;
  const fieldNames: Array<keyof Person> = ["first_name", "surname", "dob", "address", "city", "postcode"];
  if (options.uniqueId) fieldNames.push("national_id");

  const scale = Math.max(1, options.records / 10_000);
  const firsts = pool(next, Math.round(800 * Math.sqrt(scale)), 0.8, [1, 2, 2]);
  const lasts = pool(next, Math.round(4000 * Math.sqrt(scale)), 0.7, [1, 2, 2, 3]);
  const cities = pool(next, 400, 1.0, [1, 2, 2, 3]);
  const streets = pool(next, Math.round(1500 * Math.sqrt(scale)), 0.6, [1, 2, 2, 3]);
  const suffixes = ["Street", "Road", "Lane", "Avenue", "Close", "Way"];
  const postcodes = cities.values.map((_, c) => Array.from({ length: 4 }, (_, k) => pad(10_000 + c * 100 + k * 7, 5)));

  const duplicates = Math.round(options.records * duplicateShare);
  const persons = options.records - duplicates;
  const people: Person[] = [];
  const start = Date.UTC(1940, 0, 1);
  const days = (Date.UTC(2005, 11, 31) - start) / 86_400_000;
  for (let p = 0; p < persons; p++) {
    const city = draw(next, cities);
    people.push({
      first_name: firsts.values[draw(next, firsts)]!,
      surname: lasts.values[draw(next, lasts)]!,
      dob: new Date(start + Math.floor(next() * days) * 86_400_000).toISOString().slice(0, 10),
      address: `${1 + Math.floor(next() * 200)} ${streets.values[draw(next, streets)]!} ${suffixes[Math.floor(next() * suffixes.length)]!}`,
      city,
      postcode: postcodes[city]![Math.floor(next() * 4)]!,
      national_id: pad(100_000_000 + p * 7919 + Math.floor(next() * 7919), 9),
    });
  }
  // Duplicates go to a subset of the people, so some have two or more.
  const owners: number[] = [];
  const duplicated = Math.max(1, Math.ceil(duplicates / 1.5));
  for (let k = 0; k < duplicates; k++) owners.push(Math.floor(next() * Math.min(duplicated, persons)));

  const rows: Array<{ person: number; traits: FuzzyRecord["traits"] }> = [];
  const emit = (person: number, duplicate: boolean) => {
    const p = people[person]!;
    const corrupted = new Set(fieldNames.filter(() => next() < typoRate));
    while (duplicate && corrupted.size < 2) corrupted.add(fieldNames[Math.floor(next() * fieldNames.length)]!);
    const traits: FuzzyRecord["traits"] = {};
    for (const field of fieldNames) {
      const clean = field === "city" ? cities.values[p.city]! : p[field];
      traits[field] = corrupted.has(field) ? corrupt(next, field, p, postcodes, cities) : clean;
    }
    // Given name and surname entered the wrong way round.
    if (duplicate && next() < 0.05) [traits.first_name, traits.surname] = [traits.surname, traits.first_name];
    const order = [...fieldNames].sort(() => next() - 0.5);
    let present = fieldNames.length;
    for (const field of order) {
      if (present > 2 && next() < missingRate) {
        traits[field] = "";
        present--;
      }
    }
    rows.push({ person, traits });
  };
  for (let p = 0; p < persons; p++) emit(p, false);
  for (const owner of owners) emit(owner, true);

  // Shuffle (Fisher–Yates) so duplicates do not sit next to their originals.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const records: FuzzyRecord[] = [];
  const truth = new Map<string, string>();
  rows.forEach((row, index) => {
    const id = `s${pad(index, 6)}`;
    records.push({ id, traits: row.traits });
    truth.set(id, `p${row.person}`);
  });
  return { records, truth, exact: new Map() };
}
