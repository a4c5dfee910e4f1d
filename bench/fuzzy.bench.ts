/**
 * Fuzzy-matching quality: pairwise precision, recall and F1 of clusters (connected components of
 * suggestions at or above the threshold, plus exact-identifier links) against the true person, on
 * splink's fake_1000 and FEBRL dataset3 (read from ../shared/data, never copied into the repo).
 * Rows: the exact-identifier baseline, the default parameters, and EM-estimated parameters.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  connectedComponents,
  exactLinks,
  FEBRL_FIELDS,
  febrl,
  type LabelledData,
  pairwiseQuality,
  SPLINK_FIELDS,
  splinkFake1000,
} from "../src/identity/fuzzy/_lib/evaluation.js";
import { candidatePairs } from "../src/identity/fuzzy/_lib/keys.js";
import { prepareRecord } from "../src/identity/fuzzy/_lib/prepare.js";
import { resolveOptions } from "../src/identity/fuzzy/_lib/resolve.js";
import { estimateParameters } from "../src/identity/fuzzy/estimateParameters.js";
import { suggestMatches } from "../src/identity/fuzzy/suggestMatches.js";
import type { FieldKind, FuzzyMatchOptions } from "../src/identity/fuzzy/types.js";
import { type BenchReport, type BenchRow, round, time } from "./lib.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const data = (file: string) => path.join(root, "..", "shared", "data", file);

interface DataSet {
  name: string;
  file: string;
  load: (csv: string) => LabelledData;
  exactName: string;
  fields: Readonly<Record<string, FieldKind>>;
}

const SETS: DataSet[] = [
  {
    name: "splink fake_1000",
    file: data("splink-fake-1000/fake_1000.csv"),
    load: splinkFake1000,
    exactName: "exact email",
    fields: SPLINK_FIELDS,
  },
  {
    name: "FEBRL dataset3",
    file: data("febrl/dataset3.csv"),
    load: febrl,
    exactName: "exact soc_sec_id",
    fields: FEBRL_FIELDS,
  },
];

function row(
  set: string,
  method: string,
  d: LabelledData,
  links: Array<readonly [string, string]>,
  extra: BenchRow,
): BenchRow {
  const q = pairwiseQuality(
    connectedComponents(
      d.records.map((r) => r.id),
      links,
    ),
    d.truth,
  );
  return {
    dataset: set,
    method,
    precision: round(q.precision, 3),
    recall: round(q.recall, 3),
    f1: round(q.f1, 3),
    ...extra,
  };
}

export async function run(): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const targets: NonNullable<BenchReport["targets"]> = [];
  for (const set of SETS) {
    if (!existsSync(set.file)) {
      notes.push(`${set.name}: ${path.relative(root, set.file)} not found, skipped`);
      continue;
    }
    const d = set.load(readFileSync(set.file, "utf8"));
    const n = d.records.length;
    const exact = exactLinks(d.exact);
    rows.push(row(set.name, set.exactName, d, exact, { "pairs compared": 0, "time ms": 0 }));

    const resolved = resolveOptions({ fields: set.fields });
    const kinds = Object.fromEntries(resolved.fields);
    const compared = candidatePairs(
      d.records.map((r) => prepareRecord(r, kinds)),
      resolved.rules,
      resolved.maxBlockSize,
    ).length;

    const score = async (method: string, options: FuzzyMatchOptions, extraMs = 0) => {
      suggestMatches(d.records, options); // warm-up
      let suggestions: ReturnType<typeof suggestMatches> = [];
      const ms = await time(() => {
        suggestions = suggestMatches(d.records, options);
      });
      const links = [...exact, ...suggestions.map((s) => [s.a, s.b] as const)];
      const r = row(set.name, method, d, links, { "pairs compared": compared, "time ms": round(ms + extraMs, 0) });
      rows.push(r);
      return r;
    };

    const defaults = await score(`${set.exactName} + fuzzy (default parameters)`, { fields: set.fields });
    let parameters: ReturnType<typeof estimateParameters> | undefined;
    const emMs = await time(() => {
      parameters = estimateParameters(d.records, { fields: set.fields });
    });
    await score(
      `${set.exactName} + fuzzy (EM-estimated parameters)`,
      { fields: set.fields, parameters: parameters! },
      emMs,
    );
    notes.push(
      `${set.name}: ${n} records, ${compared} candidate pairs of ${(n * (n - 1)) / 2} (${round((100 * compared) / ((n * (n - 1)) / 2), 2)}%); EM prior ${parameters!.prior.toExponential(2)}, EM time included in its row`,
    );
    if (set.name.startsWith("splink")) {
      targets.push({
        target: "splink fake_1000: F1 >= 0.90 with precision >= 0.95 (default parameters)",
        measured: `P ${defaults.precision} R ${defaults.recall} F1 ${defaults.f1}`,
        met: Number(defaults.f1) >= 0.9 && Number(defaults.precision) >= 0.95,
      });
    }
  }
  return { name: "fuzzy", rows, targets, notes };
}
