import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { type Browser, launch } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle, ROOT } from "../bundle/bundle.js";
import type { BrowserResults } from "./page.js";

/**
 * DESIGN.md §1.7 and §6: the context with the memory adapter runs in a real browser. The page is
 * bundled with esbuild for the browser, then opened in Debian's headless Chromium through
 * puppeteer-core (never a browser a tool downloads). In CI a missing Chromium fails the run.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const PAGE = join(ROOT, "test/browser/page.ts");
const ALIAS = { "customer-context": join(ROOT, "src/index.ts") };

describe("the browser build", () => {
  it("is found, or this is not CI", () => {
    if (process.env.CI) expect(hasChromium, `Chromium is required in CI at ${CHROMIUM}`).toBe(true);
  });

  it("bundles the whole root entry for a neutral (edge) platform with no Node built-in", async () => {
    const result = await bundle('export * from "customer-context";');
    expect(result.bytes).toBeGreaterThan(100_000);
    expect(result.nodeBuiltins).toEqual([]);
    expect(result.text).not.toMatch(/\brequire\(["'](node:)?(crypto|url|fs|path|buffer)["']\)/);
  });

  it("would notice a Node built-in in the neutral bundle", async () => {
    await expect(bundle('import { createHash } from "node:crypto"; export const h = createHash;')).rejects.toThrow(
      /node:crypto/,
    );
  });
});

describe.skipIf(!hasChromium && !process.env.CI)("in headless Chromium", () => {
  let browser: Browser;
  let profileDir: string;
  let results: BrowserResults;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const script = await build({
      entryPoints: [PAGE],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      alias: ALIAS,
      logLevel: "silent",
    });
    const code = script.outputFiles[0]?.text ?? "";
    profileDir = mkdtempSync(join(tmpdir(), "cc-chromium-"));
    browser = await launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profileDir,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${profileDir}`,
      ],
    });
    const page = await browser.newPage();
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    // A script inside a document that has no Node anywhere near it; `</script` cannot occur in the bundle
    // unescaped, esbuild escapes it.
    await page.setContent(
      `<!doctype html><meta charset="utf-8"><title>cc</title><script type="module">${code}</script>`,
    );
    const raw = await page.evaluate(async () => {
      // Runs in the page: wait for the context to finish and hand back its plain-JSON results.
      const win = globalThis as unknown as { customerContextResults?: Promise<unknown> };
      for (let i = 0; i < 200 && !win.customerContextResults; i++) await new Promise((r) => setTimeout(r, 10));
      return JSON.stringify(await win.customerContextResults);
    });
    const parsed = JSON.parse(raw ?? "null") as BrowserResults | { ok: false; error: string } | null;
    if (!parsed?.ok) throw new Error(`the page failed: ${parsed ? parsed.error : "no results"}`);
    results = parsed;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it("runs in Chromium itself, not in Node", () => {
    expect(results.userAgent).toMatch(/HeadlessChrome|Chromium|Chrome/);
    expect(consoleErrors).toEqual([]);
  });

  it("resolves one customer across email and phone", () => {
    expect(results.created).toBe(true);
    expect(results.sameProfile).toBe(true);
    expect(results.profileId).toMatch(/^[a-z]+_[0-9a-hjkmnp-tv-z]{20}$/);
    expect(results.identifierTypes).toEqual(["email", "phone"]);
  });

  it("stitches the web and phone interactions into one conversation", () => {
    expect(results.interactions.map((i) => i.channel)).toEqual(["web", "phone"]);
    expect(new Set(results.interactions.map((i) => i.conversationId)).size).toBe(1);
    expect(results.conversationChannels).toEqual([["web", "phone"]]);
  });

  it("flags a phone offer that differs from what the web showed, and writes nothing on check", () => {
    expect(results.offerOk).toBe(false);
    expect(results.offerRules).toContain("honour");
    expect(results.writesNothing).toBe(true);
  });

  it("rejects bad input with a typed error naming the field", () => {
    expect(results.badInput?.code).toBe("invalid_input");
    expect(results.badInput?.path.length).toBeGreaterThan(0);
  });

  it("renders a timeline SVG that the browser parses as XML", () => {
    expect(results.svg.root).toBe("svg");
    expect(results.svg.parseError).toBe(false);
    expect(results.svg.circles).toBeGreaterThanOrEqual(2);
    expect(results.svg.hasSubject).toBe(true);
  });
});
