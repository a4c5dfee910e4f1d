/**
 * Child process of postgres.chaos.test.ts: identifies customers through its own context and pool
 * until the parent sends "stop", while the parent terminates backends and restarts the server.
 * Every operation either resolves (committed) or rejects; the worker reports both to the parent.
 * After "stop" it runs one last identify, which must succeed: the server is back by then.
 * argv: connection string, schema, worker number.
 */

import { postgresAdapter } from "../../../src/adapters/postgres/index.js";
import { createCustomerContext, isCustomerContextError } from "../../../src/index.js";

const [url = "", schema = "", worker = "0"] = process.argv.slice(2);
/** Observations that committed: the identifier values of each. */
const committed: string[][] = [];
const failures: Record<string, number> = {};
const untyped: string[] = [];
/** Identifiers refused by identity rules: none are expected (the limits are high). */
let refused = 0;

const storage = postgresAdapter({ connectionString: url }, { schema, poolSize: 2, maxRetries: 2 });
const cc = createCustomerContext({
  storage,
  identity: { types: { email: { limit: 1000 }, cookie: { limit: 10 } }, autoBlock: false },
  onListenerError: () => undefined,
});

let stopping = false;
process.on("message", (message) => {
  if (message === "stop") stopping = true;
});

/** One observation: a new email with a cookie, or two cookies of one group of four (a merge). */
function observation(i: number): string[] {
  const cookie = Math.floor(Math.random() * 40);
  if (i % 5 === 4) {
    const other = Math.floor(cookie / 4) * 4 + Math.floor(Math.random() * 4);
    return [`cookie:c${cookie}`, `cookie:c${other}`];
  }
  return [`email:w${worker}-${i}@chaos-shop.pl`, `cookie:c${cookie}`];
}

async function identify(values: string[]): Promise<void> {
  const result = await cc.identify({
    identifiers: values.map((v) => {
      const [type = "", value = ""] = v.split(":");
      return { type, value };
    }),
    channel: "web",
  });
  refused += result.refused.length;
}

for (let i = 0; !stopping; i++) {
  const values = observation(i);
  try {
    await identify(values);
    committed.push(values);
    if (committed.length === 1) process.send?.("ready");
  } catch (error) {
    if (isCustomerContextError(error)) failures[error.code] = (failures[error.code] ?? 0) + 1;
    else untyped.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

let finalError = "";
const last = [`email:w${worker}-final@chaos-shop.pl`, "cookie:c0"];
try {
  await identify(last);
  committed.push(last);
} catch (error) {
  finalError = error instanceof Error ? error.message : String(error);
}
await cc.close();
process.send?.({ committed, failures, untyped, refused, finalError }, () => process.exit(0));
