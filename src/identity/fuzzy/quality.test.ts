import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  connectedComponents,
  exactLinks,
  FEBRL_FIELDS,
  febrl,
  type LabelledData,
  pairwiseQuality,
  SPLINK_FIELDS,
  splinkFake1000,
} from "./_lib/evaluation.js";
import { suggestMatches } from "./suggestMatches.js";
import type { FuzzyMatchOptions } from "./types.js";

// Labelled data lives beside the repository (../shared/data from the repo root), never inside it.
// A git worktree sits one level deeper (wt/<name>), so the next level up is tried too.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const data = (file: string) =>
  [path.join(root, "..", "shared", "data", file), path.join(root, "..", "..", "shared", "data", file)].find((f) =>
    existsSync(f),
  ) ?? path.join(root, "..", "shared", "data", file);
const SPLINK = data("splink-fake-1000/fake_1000.csv");
const FEBRL = data("febrl/dataset3.csv");

function quality(d: LabelledData, options: FuzzyMatchOptions) {
  const ids = d.records.map((r) => r.id);
  const links = [...exactLinks(d.exact), ...suggestMatches(d.records, options).map((s) => [s.a, s.b] as const)];
  return pairwiseQuality(connectedComponents(ids, links), d.truth);
}

// Regression floors: the figures measured when this was written, minus a small margin
// (splink: P 1.000, R 0.871, F1 0.931; FEBRL dataset3: P 0.998, R 0.999, F1 0.999).
describe("fuzzy matching quality on labelled data", () => {
  it.skipIf(!existsSync(SPLINK))("splink fake_1000: default parameters keep F1 >= 0.91 with precision >= 0.98", () => {
    const d = splinkFake1000(readFileSync(SPLINK, "utf8"));
    const baseline = pairwiseQuality(
      connectedComponents(
        d.records.map((r) => r.id),
        exactLinks(d.exact),
      ),
      d.truth,
    );
    expect(baseline.f1).toBeCloseTo(0.503, 3);
    const q = quality(d, { fields: SPLINK_FIELDS });
    expect(q.precision).toBeGreaterThanOrEqual(0.98);
    expect(q.f1).toBeGreaterThanOrEqual(0.91);
  });

  it.skipIf(!existsSync(FEBRL))("FEBRL dataset3: default parameters keep F1 >= 0.99", () => {
    const d = febrl(readFileSync(FEBRL, "utf8"));
    const q = quality(d, { fields: FEBRL_FIELDS });
    expect(q.precision).toBeGreaterThanOrEqual(0.99);
    expect(q.f1).toBeGreaterThanOrEqual(0.99);
  });
});
