/**
 * Starts the webhooks server on SQLite: `npx tsx examples/webhooks-server/main.ts`.
 * Environment: `PORT` (default 3000), `HOST` (default 127.0.0.1), `DB` (default
 * `./webhooks.sqlite`), `REGION` for phone numbers without a country code (default PL).
 *
 * @module
 */
import { resolve } from "node:path";
import { createCustomerContext } from "customer-context";
import { sqliteAdapter } from "customer-context/sqlite";
import { createWebhooksServer } from "./server.js";

const filename = resolve(process.env.DB ?? "webhooks.sqlite");
const cc = createCustomerContext({
  storage: sqliteAdapter({ filename }),
  identity: { defaultRegion: process.env.REGION ?? "PL" },
});
const app = await createWebhooksServer({ cc, closeContext: true, logger: true });
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "127.0.0.1" });
app.log.info(`storing customers in ${filename}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
