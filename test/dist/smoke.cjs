// Runs against the built package (dist/), CommonJS entry.
const assert = require("node:assert/strict");
const { createCustomerContext, memoryAdapter } = require("../../dist/index.cjs");

(async () => {
  const cc = createCustomerContext({ storage: memoryAdapter() });
  const first = await cc.record({
    channel: "sms",
    direction: "inbound",
    at: "2026-04-01T09:00:00Z",
    customer: [{ type: "email", value: "a@poczta.pl" }],
    externalId: "x",
  });
  const again = await cc.record({
    channel: "sms",
    direction: "inbound",
    at: "2026-04-01T09:00:00Z",
    customer: [{ type: "email", value: "a@poczta.pl" }],
    externalId: "x",
  });
  assert.equal(again.duplicate, true);
  assert.equal(again.interactionId, first.interactionId);
  console.log("dist CJS smoke test: 1 passed, 0 failed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
