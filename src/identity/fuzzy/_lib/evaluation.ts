/**
 * Quality measurement for the fuzzy matcher (used by the benchmark and the regression test; not
 * part of the public API): CSV parsing, clustering by connected components, pairwise metrics.
 */
import { DEFAULT_MIN_COHESION } from "../clusterMatches.js";
import { estimateParameters } from "../estimateParameters.js";
import { suggestMatches } from "../suggestMatches.js";
import type { FieldKind, FuzzyParameters, FuzzyRecord } from "../types.js";
import { clusterLinks } from "./cluster.js";
import { findRoot } from "./findRoot.js";

/** Parses CSV text (RFC 4180 quotes; cells trimmed) into rows of named cells. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell.trim());
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell.trim());
      if (row.length > 1 || row[0] !== "") rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell.trim()]);
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""])));
}

/** Groups ids into clusters: connected components of the given links. Returns id -> cluster root. */
export function connectedComponents(
  ids: readonly string[],
  links: Iterable<readonly [string, string]>,
): Map<string, string> {
  const parent = new Map<string, string>(ids.map((id) => [id, id]));
  const find = (x: string): string => findRoot(parent, x);
  for (const [a, b] of links) {
    const ra = find(a);
    const rb = find(b);
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  }
  return new Map(ids.map((id) => [id, find(id)]));
}

/** Pairwise precision, recall and F1 of a predicted clustering against the true one. */
export function pairwiseQuality(
  predicted: ReadonlyMap<string, string>,
  truth: ReadonlyMap<string, string>,
): { precision: number; recall: number; f1: number; truePairs: number; predictedPairs: number } {
  const pairsIn = (groups: Map<string, number>) => [...groups.values()].reduce((s, k) => s + (k * (k - 1)) / 2, 0);
  const count = (key: (id: string) => string) => {
    const groups = new Map<string, number>();
    for (const id of truth.keys()) groups.set(key(id), (groups.get(key(id)) ?? 0) + 1);
    return groups;
  };
  const predictedPairs = pairsIn(count((id) => predicted.get(id) ?? id));
  const truePairs = pairsIn(count((id) => truth.get(id)!));
  const both = pairsIn(count((id) => `${predicted.get(id) ?? id}\u0000${truth.get(id)!}`));
  const precision = predictedPairs === 0 ? 1 : both / predictedPairs;
  const recall = truePairs === 0 ? 1 : both / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs };
}

/** A labelled data set: records, the true cluster of each id, and an exact-match key per record. */
export interface LabelledData {
  records: FuzzyRecord[];
  truth: Map<string, string>;
  /** Exact identifier per record (email, social security id) for the exact-match baseline, if any. */
  exact: Map<string, string>;
}

/** How the splink `fake_1000` traits are compared. */
export const SPLINK_FIELDS: Readonly<Record<string, FieldKind>> = Object.freeze({
  first_name: "name",
  surname: "name",
  dob: "date",
  city: "text",
  email: "text",
});

/** How the FEBRL `dataset3` traits are compared. */
export const FEBRL_FIELDS: Readonly<Record<string, FieldKind>> = Object.freeze({
  given_name: "name",
  surname: "name",
  date_of_birth: "date",
  address: "text",
  suburb: "text",
  postcode: "exact",
  state: "exact",
  soc_sec_id: "exact",
});

/** The splink `fake_1000.csv` data set. */
export function splinkFake1000(csv: string): LabelledData {
  const records: FuzzyRecord[] = [];
  const truth = new Map<string, string>();
  const exact = new Map<string, string>();
  for (const row of parseCsv(csv)) {
    const id = row.unique_id!;
    records.push({
      id,
      traits: { first_name: row.first_name, surname: row.surname, dob: row.dob, city: row.city, email: row.email },
    });
    truth.set(id, row.cluster!);
    if (row.email) exact.set(id, row.email.toLowerCase());
  }
  return { records, truth, exact };
}

/** The FEBRL `dataset3.csv` data set: the true person is N of `rec-N-org` / `rec-N-dup-k`. */
export function febrl(csv: string): LabelledData {
  const records: FuzzyRecord[] = [];
  const truth = new Map<string, string>();
  const exact = new Map<string, string>();
  for (const row of parseCsv(csv)) {
    const id = row.rec_id!;
    records.push({
      id,
      traits: {
        given_name: row.given_name,
        surname: row.surname,
        address: [row.street_number, row.address_1].filter(Boolean).join(" "),
        address_2: row.address_2,
        suburb: row.suburb,
        postcode: row.postcode,
        state: row.state,
        date_of_birth: row.date_of_birth,
        soc_sec_id: row.soc_sec_id,
      },
    });
    truth.set(id, /^rec-(\d+)-/.exec(id)?.[1] ?? id);
    if (row.soc_sec_id) exact.set(id, row.soc_sec_id);
  }
  return { records, truth, exact };
}

/** Links between records that share the same exact key. */
export function exactLinks(exact: ReadonlyMap<string, string>): Array<[string, string]> {
  const first = new Map<string, string>();
  const links: Array<[string, string]> = [];
  for (const [id, key] of exact) {
    const seen = first.get(key);
    if (seen === undefined) first.set(key, id);
    else links.push([seen, id]);
  }
  return links;
}

/**
 * Cluster-level quality: the share of predicted groups (two or more records) that are exactly one
 * true person, and the share of true people with two or more records recovered exactly.
 */
export function clusterQuality(
  predicted: ReadonlyMap<string, string>,
  truth: ReadonlyMap<string, string>,
): { exactPredicted: number; exactTrue: number; predictedGroups: number; trueGroups: number } {
  const groups = (key: (id: string) => string) => {
    const g = new Map<string, string[]>();
    for (const id of truth.keys()) {
      const k = key(id);
      const list = g.get(k);
      if (list === undefined) g.set(k, [id]);
      else list.push(id);
    }
    return new Set([...g.values()].filter((l) => l.length > 1).map((l) => l.sort().join("\u0000")));
  };
  const p = groups((id) => predicted.get(id) ?? id);
  const t = groups((id) => truth.get(id)!);
  let both = 0;
  for (const g of p) if (t.has(g)) both++;
  return {
    exactPredicted: p.size === 0 ? 1 : both / p.size,
    exactTrue: t.size === 0 ? 1 : both / t.size,
    predictedGroups: p.size,
    trueGroups: t.size,
  };
}

/** One row of the quality table: pairwise and cluster-level quality of one run, and its time. */
export interface QualityRow {
  precision: number;
  recall: number;
  f1: number;
  /** Share of predicted groups that are exactly one person. */
  exactClusters: number;
  /** Share of people with two or more records found exactly. */
  foundClusters: number;
  /** Milliseconds: estimation (if any), matching and clustering. */
  ms: number;
  /** The prior used (estimated at match time, or by `estimateParameters`). */
  prior: number;
}

/**
 * Matches a labelled set with the built-in tables ("default") or with parameters from
 * `estimateParameters` over the same unlabelled records ("estimated"), clusters the suggestions
 * plus the exact links with `clusterMatches`' rule, and measures the result against the truth.
 */
export function measureQuality(
  d: LabelledData,
  fields: Readonly<Record<string, FieldKind>>,
  source: "default" | "estimated",
  minCohesion = DEFAULT_MIN_COHESION,
): QualityRow {
  const start = performance.now();
  let parameters: FuzzyParameters | undefined;
  if (source === "estimated") parameters = estimateParameters(d.records, { fields: { ...fields } });
  let prior = parameters?.prior ?? 0;
  const suggestions = suggestMatches(d.records, {
    fields: { ...fields },
    ...(parameters === undefined ? {} : { parameters }),
  });
  if (parameters === undefined) {
    // The prior suggestMatches estimated, recovered from one suggestion's score and weights.
    const s = suggestions[suggestions.length - 1];
    if (s !== undefined) {
      const total = Object.values(s.weights).reduce((a, w) => a + w, 0);
      const logOdds = Math.log2(s.score / (1 - s.score)) - total;
      prior = 1 / (1 + 2 ** -logOdds);
    }
  }
  const links = [...exactLinks(d.exact).map(([a, b]) => ({ a, b, score: 1 })), ...suggestions];
  const ids = d.records.map((r) => r.id);
  const { clusterOf } = clusterLinks(ids, links, minCohesion);
  const ms = performance.now() - start;
  const q = pairwiseQuality(clusterOf, d.truth);
  const c = clusterQuality(clusterOf, d.truth);
  return {
    precision: q.precision,
    recall: q.recall,
    f1: q.f1,
    exactClusters: c.exactPredicted,
    foundClusters: c.exactTrue,
    ms,
    prior,
  };
}
