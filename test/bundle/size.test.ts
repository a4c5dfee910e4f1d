import { describe, expect, it } from "vitest";
import { bundle } from "./bundle.js";

/** DESIGN.md §5: `import { threadEmails }` bundled and minified stays within 20 KB. */
const THREAD_EMAILS_BUDGET = 20 * 1024;
/** The whole context (libphonenumber's full metadata is 156 KB of it); a regression guard, not a goal. */
const CONTEXT_BUDGET = 520 * 1024;

/** Pure functions that must not bring zod (the context's edge validation) into a user's bundle. */
const ZOD_FREE = [
  "threadEmails",
  "baseSubject",
  "findCaseRef",
  "parseMessageIds",
  "renderTimelineSvg",
  "journeyMetrics",
  "resolveIdentities",
  "stitchConversations",
  "normalizeIdentifier",
  "evaluateRules",
] as const;

describe("bundle sizes", () => {
  it("keeps import { threadEmails } within 20 KB minified, without zod or date-fns", async () => {
    const result = await bundle('export { threadEmails } from "customer-context";');
    console.info(`import { threadEmails }: ${(result.bytes / 1024).toFixed(1)} KB minified`);
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.bytes).toBeLessThanOrEqual(THREAD_EMAILS_BUDGET);
    expect(result.packages).toEqual([]);
  });

  it.each(ZOD_FREE)("does not pull zod into import { %s }", async (name) => {
    const result = await bundle(`export { ${name} } from "customer-context";`);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.packages).not.toContain("zod");
  });

  it("reports the size of createCustomerContext and keeps zod's locales out", async () => {
    const result = await bundle('export { createCustomerContext } from "customer-context";');
    console.info(`import { createCustomerContext }: ${(result.bytes / 1024).toFixed(1)} KB minified`);
    expect(result.packages).toContain("zod");
    // zod's locale messages (264 KB) must not ride along; our own messages replace them.
    expect(result.text).not.toContain("Nieprawidłowe");
    expect(result.text).not.toContain("Неверный");
    expect(result.bytes).toBeLessThanOrEqual(CONTEXT_BUDGET);
  });

  it("measures something real: a bundle of zod's whole namespace is far over budget", async () => {
    const result = await bundle('import { z } from "zod"; export const s = z.string();');
    expect(result.bytes).toBeGreaterThan(THREAD_EMAILS_BUDGET * 4);
  });
});
