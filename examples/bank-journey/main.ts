/**
 * `npm run demo`: the bank journey, as a contact-centre agent sees it.
 *
 * Usage: `tsx examples/bank-journey/main.ts [--svg <file>]` (default: a file in the system's
 * temporary directory). Storage is the embedded in-memory default: there is no server to set up.
 *
 * @module
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatContext, formatExplanation, formatViolations } from "customer-context";
import { BANK_JOURNEY_NOW, CASE_REF, runBankJourney } from "./scenario.js";

const svgFlag = process.argv.indexOf("--svg");
const svgPath =
  svgFlag >= 0 && process.argv[svgFlag + 1] !== undefined
    ? resolve(process.argv[svgFlag + 1] as string)
    : join(mkdtempSync(join(tmpdir(), "bank-journey-")), "bank-journey-timeline.svg");

const journey = await runBankJourney();
try {
  const { view, explanation, violations, events, customer } = journey;
  const loan = view.conversations.find((c) => c.subject?.includes(CASE_REF));
  const merges = events.filter((e) => e.type === "profile.merged");
  const rule = "═".repeat(80);

  console.log(rule);
  console.log(
    `Incoming call from ${customer.phone.value} · agent view at ${BANK_JOURNEY_NOW.slice(0, 16).replace("T", " ")} UTC`,
  );
  console.log(rule);
  console.log(formatContext(view));
  console.log("");
  console.log(formatExplanation(explanation));
  console.log(
    `  ${merges.length} profile merge${merges.length === 1 ? "" : "s"}: the call first made a profile of its own;\n` +
      "  the agent's lookup (phone + email + CRM id) joined it to the web applicant.",
  );
  console.log("");
  console.log(`Offer violations (cc.offers.audit)\n${"─".repeat(34)}`);
  console.log(formatViolations(violations));
  console.log("");
  if (loan) console.log(`Case ${CASE_REF}: one conversation across ${loan.channels.join(", ")}.`);
  writeFileSync(svgPath, journey.svg);
  console.log(`Timeline picture written to ${svgPath}`);
} finally {
  await journey.cc.close();
}
