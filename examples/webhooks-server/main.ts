/**
 * Starts the webhooks server on SQLite: `npx tsx examples/webhooks-server/main.ts`.
 *
 * Environment (the secrets are required; generate each with `openssl rand -hex 32`):
 * `EMAIL_WEBHOOK_SECRET`, `SMS_WEBHOOK_SECRET`, `CHAT_WEBHOOK_SECRET`, the secrets your providers
 * sign with; `API_TOKENS`, comma-separated tokens that may read customers; `PORT` (default 3000),
 * `HOST` (default 127.0.0.1), `DB` (default `./webhooks.sqlite`), `REGION` for phone numbers
 * without a country code (default PL).
 *
 * @module
 */
import { resolve } from "node:path";
import { createCustomerContext } from "customer-context";
import { sqliteAdapter } from "customer-context/sqlite";
import { createWebhooksServer } from "./server.js";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    console.error(`${name} is not set; generate one with: openssl rand -hex 32`);
    process.exit(1);
  }
  return value;
}

const secrets = {
  email: required("EMAIL_WEBHOOK_SECRET"),
  sms: required("SMS_WEBHOOK_SECRET"),
  chat: required("CHAT_WEBHOOK_SECRET"),
};
const apiTokens = required("API_TOKENS")
  .split(",")
  .map((token) => token.trim())
  .filter((token) => token !== "");

const filename = resolve(process.env.DB ?? "webhooks.sqlite");
const cc = createCustomerContext({
  storage: sqliteAdapter({ filename }),
  identity: { defaultRegion: (process.env.REGION ?? "PL") as "PL" },
});
const app = await createWebhooksServer({ cc, secrets, apiTokens, closeContext: true, logger: true });
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? "127.0.0.1" });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
