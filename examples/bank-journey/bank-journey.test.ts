import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatContext, formatExplanation, formatViolations, type StorageAdapter } from "customer-context";
import { sqliteAdapter } from "customer-context/sqlite";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { CASE_REF, runBankJourney } from "./scenario.js";

const dir = mkdtempSync(join(tmpdir(), "bank-journey-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const storages: Array<[string, () => StorageAdapter | undefined]> = [
  ["the in-memory default", () => undefined],
  ["SQLite in a temporary file", () => sqliteAdapter({ filename: join(dir, "journey.sqlite") })],
];

describe.each(storages)("the bank journey on %s", (_name, storage) => {
  it("shows one conversation across web, phone, email and store, both violations and a valid SVG", async () => {
    const adapter = storage();
    const journey = await runBankJourney(adapter ? { storage: adapter } : {});
    try {
      const { view, explanation, violations, events, svg } = journey;

      const loan = view.conversations.filter((c) => c.subject?.includes(CASE_REF));
      expect(loan).toHaveLength(1);
      expect(loan[0]?.channels).toEqual(["web", "phone", "email", "store"]);
      const complaint = view.conversations.find((c) => c.tags.includes("complaint"));
      expect(complaint?.channels).toEqual(["social"]);
      expect(complaint?.id).not.toBe(loan[0]?.id);

      // The caller's phone, the applicant's email, the CRM id and the loyalty card are one profile.
      const byPhone = await journey.cc.profiles.find({ type: "phone", value: "+48 601 234 567" });
      const byCard = await journey.cc.profiles.find(journey.customer.loyaltyCard);
      expect(byPhone?.id).toBe(view.profile.id);
      expect(byCard?.id).toBe(view.profile.id);
      expect(view.identifiers.map((i) => i.type).sort()).toEqual(["crmId", "email", "loyaltyCard", "phone", "twitter"]);
      // The link was made by the hotline agent's observation, and it merged two profiles.
      expect(explanation.edges.some((e) => e.kind === "observation" && e.source === "hotline-agent")).toBe(true);
      expect(events.filter((e) => e.type === "profile.merged")).toHaveLength(1);

      const rules = violations.map((v) => v.rule).sort();
      expect(rules).toEqual(["complaint-suppression", "honour"]);
      const honour = violations.find((v) => v.rule === "honour");
      expect(honour?.message).toBe("APR 6.9 on phone differs from 5.9 shown on web on 1 Apr");
      expect(violations.find((v) => v.rule === "complaint-suppression")?.offerId).toBe("cashback-card");
      expect(view.alerts.map((a) => a.kind)).toContain("open-complaint");

      // What the agent reads fits an 80-column terminal and names every channel of the case.
      const text = [formatContext(view), formatExplanation(explanation), formatViolations(violations)].join("\n");
      for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
      expect(text).toContain("web → phone → email → store");
      expect(text).toContain("APR 6.9 on phone differs from 5.9 shown on web on 1 Apr");
      expect(text).toContain("seen together on phone by hotline-agent");

      expect(XMLValidator.validate(svg)).toBe(true);
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg?: Record<string, unknown> };
      expect(parsed.svg?.["@_viewBox"]).toMatch(/^0 0 \d+ \d+$/);
      for (const channel of ["web", "phone", "email", "store", "social"]) expect(svg).toContain(`>${channel}<`);
    } finally {
      await journey.cc.close();
    }
  });
});
