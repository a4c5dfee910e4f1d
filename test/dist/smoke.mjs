// Runs against the built package (dist/), ESM entry: the production build is tested too.
import assert from "node:assert/strict";
import { sqliteAdapter } from "../../dist/adapters/sqlite/index.js";
import { createCustomerContext, isCustomerContextError, renderTimelineSvg } from "../../dist/index.js";
import { runAdapterConformance } from "../../dist/testing/index.js";

assert.equal(typeof runAdapterConformance, "function");

for (const storage of [undefined, sqliteAdapter({ filename: ":memory:" })]) {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, ...(storage ? { storage } : {}) });
  await cc.identify({
    identifiers: [
      { type: "email", value: "a@poczta.pl" },
      { type: "phone", value: "601234567" },
    ],
  });
  await cc.offers.define({ id: "loan", name: "Loan", category: "marketing", terms: { apr: 5.9 } });
  await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:00:00Z",
    customer: [{ type: "email", value: "a@poczta.pl" }],
    caseRef: "LN-1",
  });
  await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-01T10:00:00Z",
    customer: [{ type: "phone", value: "+48601234567" }],
    caseRef: "LN-1",
  });
  const view = await cc.context({ identifier: { type: "phone", value: "601 234 567" } });
  assert.deepEqual(view.conversations[0].channels, ["web", "phone"]);
  assert.match(renderTimelineSvg(view), /^<svg/);
  const error = await cc.record({ channel: "web" }).catch((e) => e);
  assert.ok(isCustomerContextError(error, "invalid_input"));
  await cc.close();
}
console.log("dist ESM smoke test: 2 passed, 0 failed");
