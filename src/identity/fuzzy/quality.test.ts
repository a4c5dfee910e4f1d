import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  connectedComponents,
  exactLinks,
  FEBRL_FIELDS,
  febrl,
  measureQuality,
  pairwiseQuality,
  SPLINK_FIELDS,
  splinkFake1000,
} from "./_lib/evaluation.js";
import {
  SYNTHETIC_FIELDS,
  SYNTHETIC_FIELDS_WITH_ID,
  type SyntheticOptions,
  syntheticPeople,
} from "./_lib/synthetic.js";

// Labelled data lives beside the repository (../shared/data from the repo root), never inside it.
// A git worktree sits one level deeper (wt/<name>), so the next level up is tried too.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const data = (file: string) =>
  [path.join(root, "..", "shared", "data", file), path.join(root, "..", "..", "shared", "data", file)].find((f) =>
    existsSync(f),
  ) ?? path.join(root, "..", "shared", "data", file);
const SPLINK = data("splink-fake-1000/fake_1000.csv");
const FEBRL = data("febrl/dataset3.csv");

// The reported sets use seed 1; the defaults (cohesion, blocking, training rules) were chosen on
// seed 99, which no test or bench figure uses.
const SETS: Array<{
  name: string;
  options: Omit<SyntheticOptions, "records" | "seed">;
  fields: typeof SYNTHETIC_FIELDS;
}> = [
  { name: "with national id", options: { uniqueId: true }, fields: SYNTHETIC_FIELDS_WITH_ID },
  { name: "no unique id", options: {}, fields: SYNTHETIC_FIELDS },
];

describe("the synthetic generator", () => {
  it("is as hard as DECISIONS.md asks: >= 20% duplicates with >= 2 corrupted fields, >= 10% typos and gaps", () => {
    const d = syntheticPeople({ records: 2000, seed: 1 });
    const byPerson = new Map<string, number>();
    for (const p of d.truth.values()) byPerson.set(p, (byPerson.get(p) ?? 0) + 1);
    const duplicates = [...byPerson.values()].reduce((s, k) => s + k - 1, 0);
    expect(duplicates / d.records.length).toBeGreaterThanOrEqual(0.2);
    for (const field of Object.keys(SYNTHETIC_FIELDS)) {
      const missing = d.records.filter((r) => r.traits[field] === "").length / d.records.length;
      expect(missing, field).toBeGreaterThanOrEqual(0.1);
    }
    // Typos: among the records of a person, values that differ from the person's most common value.
    const groups = new Map<string, typeof d.records>();
    for (const r of d.records) {
      const p = d.truth.get(r.id)!;
      groups.set(p, [...(groups.get(p) ?? []), r]);
    }
    let corruptedDuplicates = 0;
    let multi = 0;
    const typos = new Map<string, number>();
    let compared = 0;
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const [first, ...rest] = group;
      for (const r of rest) {
        multi++;
        compared++;
        let changed = 0;
        for (const field of Object.keys(SYNTHETIC_FIELDS)) {
          const a = first!.traits[field];
          const b = r.traits[field];
          if (a !== "" && b !== "" && a !== b) {
            changed++;
            typos.set(field, (typos.get(field) ?? 0) + 1);
          } else if (a === "" || b === "") changed++;
        }
        if (changed >= 2) corruptedDuplicates++;
      }
    }
    expect(corruptedDuplicates / multi).toBeGreaterThan(0.95);
    for (const field of Object.keys(SYNTHETIC_FIELDS)) expect((typos.get(field) ?? 0) / compared).toBeGreaterThan(0.1);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    expect(syntheticPeople({ records: 300, seed: 5 })).toEqual(syntheticPeople({ records: 300, seed: 5 }));
    expect(syntheticPeople({ records: 300, seed: 5 }).records).not.toEqual(
      syntheticPeople({ records: 300, seed: 6 }).records,
    );
  });
});

describe.each([1000, 10_000])("fuzzy matching quality on synthetic people, %i records", (records) => {
  it.each(SETS)(
    "$name: F1 >= 0.90 at precision >= 0.95 with both parameter sources",
    ({ options, fields }) => {
      const d = syntheticPeople({ records, seed: 1, ...options });
      const defaults = measureQuality(d, fields, "default");
      const estimated = measureQuality(d, fields, "estimated");
      for (const q of [defaults, estimated]) {
        expect(q.precision).toBeGreaterThanOrEqual(0.95);
        expect(q.f1).toBeGreaterThanOrEqual(0.9);
      }
      expect(estimated.f1).toBeGreaterThanOrEqual(defaults.f1 - 0.02);
      // The prior scales with the data: about (duplicate pairs) / (all pairs).
      const byPerson = new Map<string, number>();
      for (const p of d.truth.values()) byPerson.set(p, (byPerson.get(p) ?? 0) + 1);
      const share = [...byPerson.values()].reduce((s, k) => s + (k * (k - 1)) / 2, 0) / ((records * (records - 1)) / 2);
      for (const q of [defaults, estimated]) {
        expect(q.prior).toBeGreaterThan(share / 2);
        expect(q.prior).toBeLessThan(share * 2);
      }
    },
    180_000,
  );
});

describe("precision as the data grows", () => {
  it.each(SETS)(
    "$name, built-in tables: precision at 10k records within 0.02 of 1k",
    ({ options, fields }) => {
      const [small, large] = [1000, 10_000].map(
        (records) => measureQuality(syntheticPeople({ records, seed: 1, ...options }), fields, "default").precision,
      );
      expect(large).toBeGreaterThanOrEqual((small as number) - 0.02);
    },
    180_000,
  );
});

// Regression floors on public labelled sets the code was not tuned on: the figures measured when
// this was written, minus a small margin (clusters by clusterMatches' rule, exact links included).
// splink fake_1000: default P 1.000 R 0.85 F1 0.92, estimated P 1.000 R 0.89 F1 0.94;
// FEBRL dataset3: default P 1.000 R 0.999, estimated P 1.000 R 1.000.
describe("fuzzy matching quality on labelled data", () => {
  it.skipIf(!existsSync(SPLINK))(
    "splink fake_1000: F1 >= 0.90 with precision >= 0.98, both parameter sources",
    () => {
      const d = splinkFake1000(readFileSync(SPLINK, "utf8"));
      const baseline = pairwiseQuality(
        connectedComponents(
          d.records.map((r) => r.id),
          exactLinks(d.exact),
        ),
        d.truth,
      );
      expect(baseline.f1).toBeCloseTo(0.503, 3);
      for (const source of ["default", "estimated"] as const) {
        const q = measureQuality(d, SPLINK_FIELDS, source);
        expect(q.precision, source).toBeGreaterThanOrEqual(0.98);
        expect(q.f1, source).toBeGreaterThanOrEqual(0.9);
      }
    },
    60_000,
  );

  it.skipIf(!existsSync(FEBRL))(
    "FEBRL dataset3: F1 >= 0.99, both parameter sources",
    () => {
      const d = febrl(readFileSync(FEBRL, "utf8"));
      for (const source of ["default", "estimated"] as const) {
        const q = measureQuality(d, FEBRL_FIELDS, source);
        expect(q.precision, source).toBeGreaterThanOrEqual(0.99);
        expect(q.f1, source).toBeGreaterThanOrEqual(0.99);
      }
    },
    120_000,
  );
});
