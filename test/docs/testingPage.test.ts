/**
 * docs/testing.md cannot drift: every ```ts block of the page runs, with the machinery that runs
 * the JSDoc examples (test/docs/_examples.ts). The page's `it(...)` bodies run at once, and the
 * names it leaves to the reader (`myWebhookHandler`, `myAdapter`) are given a real value here.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CustomerContext, type InteractionInput, memoryAdapter } from "../../src/index.js";
import { ENTRY, pageExamples, runExample } from "./_examples.js";
import { settle } from "./_vitestShim.js";

const OUT = join(import.meta.dirname, ".generated-pages");
const SHIM = join(import.meta.dirname, "_vitestShim.ts");

/** The reader's own code that the page calls. */
const PAGE_FIXTURES = {
  /** A webhook handler: stores the SMS it receives. */
  myWebhookHandler: async (cc: CustomerContext, sms: InteractionInput) => {
    await cc.record(sms);
  },
  /** The reader's own adapter: here the memory adapter. */
  myAdapter: () => memoryAdapter(),
};

describe("docs/testing.md runs", () => {
  mkdirSync(OUT, { recursive: true });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));
  const blocks = pageExamples("docs/testing.md");

  it("finds the page's blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [b.where, b, i] as const))("%s", async (_where, block, i) => {
    const outcome = await runExample(
      block,
      join(OUT, `block${i}.ts`),
      { ...PAGE_FIXTURES, dispose: async () => {} },
      { entries: { ...ENTRY, vitest: SHIM }, fixtureNames: Object.keys(PAGE_FIXTURES), after: settle },
    );
    if (outcome !== null) throw outcome;
  });

  it("a block that does not hold fails (the runner is not a no-op)", async () => {
    const outcome = await runExample(
      { where: "broken", code: 'import { it, expect } from "vitest";\nit("x", () => { expect(1).toBe(2); });' },
      join(OUT, "broken.ts"),
      { dispose: async () => {} },
      { entries: { ...ENTRY, vitest: SHIM }, fixtureNames: [], after: settle },
    );
    expect(outcome).toBeInstanceOf(Error);
    const claim = await runExample(
      { where: "claim", code: "1 + 1; // 3" },
      join(OUT, "claim.ts"),
      { dispose: async () => {} },
      { fixtureNames: [] },
    );
    expect(claim).toBeInstanceOf(Error);
  });
});
