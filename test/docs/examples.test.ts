import { mkdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENTRY, publicNames, runExample, sourceExamples } from "./_examples.js";
import { createFixtures } from "./_fixtures.js";
import { NOT_RUNNABLE, NOT_YET_TRUE } from "./_knownExamples.js";

const ROOT = join(import.meta.dirname, "../..");
const OUT = join(import.meta.dirname, ".generated");

describe("every @example in the sources runs", () => {
  mkdirSync(OUT, { recursive: true });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));
  // The public API: what the entries export (an internal name needs no example), and the members
  // and module comments, which belong to what they sit in.
  const names = publicNames(Object.values(ENTRY).map((path) => relative(ROOT, path)));
  const examples = sourceExamples().filter((e) => e.declares === undefined || names.has(e.declares));

  it("finds the examples, and the lists of exceptions name only examples that exist", () => {
    expect(examples.length).toBeGreaterThan(50);
    const keys = new Set(examples.map((e) => e.key));
    expect([...NOT_YET_TRUE, ...NOT_RUNNABLE.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });

  it.each(examples.map((e, i) => [e.where, e, i] as const))("%s", async (_where, example, i) => {
    if (NOT_RUNNABLE.has(example.key)) return;
    const outcome = await runExample(example, join(OUT, `example${i}.ts`), await createFixtures());
    if (NOT_YET_TRUE.has(example.key)) {
      // A ratchet: an example listed as not yet true must still fail; once fixed, drop it from the list.
      expect(outcome, `${example.key} runs now: remove it from NOT_YET_TRUE`).not.toBeNull();
    } else if (outcome !== null) {
      throw outcome;
    }
  });
});
