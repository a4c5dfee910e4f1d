import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CustomerSnapshot, createCustomerContext } from "customer-context";
import { sqliteAdapter } from "customer-context/sqlite";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhooksServer } from "./server.js";

const dir = mkdtempSync(join(tmpdir(), "webhooks-server-"));
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  const cc = createCustomerContext({
    storage: sqliteAdapter({ filename: join(dir, "webhooks.sqlite") }),
    identity: { defaultRegion: "PL" },
  });
  app = await createWebhooksServer({ cc, closeContext: true });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("expected a TCP address");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sms = {
  id: "SM-0001",
  from: "+48 601 234 567",
  to: "+48 800 100 100",
  body: "My card is blocked, please call me",
  timestamp: "2026-04-02T08:00:00Z",
};

describe("the webhooks server", () => {
  it("stitches email, SMS and chat webhooks into one conversation, counting a redelivered SMS once", async () => {
    const mail = await post("/webhooks/email", {
      messageId: "<m1@mail.kowalski.pl>",
      from: "Jan Kowalski <jan@kowalski.pl>",
      to: "help@bank.pl",
      subject: "Card blocked",
      text: "My card was blocked after a payment abroad.",
      date: "2026-04-02T07:45:00Z",
    });
    expect(mail.status).toBe(202);
    expect(mail.body.duplicate).toBe(false);

    const first = await post("/webhooks/sms", sms);
    expect(first.status).toBe(202);
    const again = await post("/webhooks/sms", sms);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ duplicate: true, interactionId: first.body.interactionId });

    // The chat's pre-chat form names both the email and the phone: the two profiles become one.
    for (const [index, message] of [
      { author: "visitor", text: "Hi, I emailed and texted about my blocked card" },
      { author: "agent", agent: "Ola", text: "Unblocked it now, sorry for the trouble." },
    ].entries()) {
      const chat = await post("/webhooks/chat", {
        id: `chat-77-${index}`,
        threadId: "chat-77",
        visitor: { email: "jan@kowalski.pl", phone: "601234567", name: "Jan Kowalski" },
        sentAt: `2026-04-02T08:1${index}:00Z`,
        ...message,
      });
      expect(chat.status).toBe(202);
    }

    const response = await fetch(`${base}/customers/phone/${encodeURIComponent("+48601234567")}`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as CustomerSnapshot;
    expect(view.profile.traits.name).toBe("Jan Kowalski");
    expect(view.conversations).toHaveLength(1);
    expect(view.conversations[0]?.channels).toEqual(["email", "sms", "chat"]);
    expect(view.timeline.map((i) => i.channel)).toEqual(["email", "sms", "chat", "chat"]);
    expect(view.conversations[0]?.interactionIds).toHaveLength(4);

    const byEmail = (await (await fetch(`${base}/customers/email/jan@kowalski.pl`)).json()) as CustomerSnapshot;
    expect(byEmail.profile.id).toBe(view.profile.id);
  });

  it("answers 400 with the field for a bad payload, and 404 for an unknown customer", async () => {
    const bad = await post("/webhooks/sms", { ...sms, id: "SM-0002", timestamp: "02.04.2026 08:00" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_input", details: [{ path: ["at"] }] });
    const missing = await post("/webhooks/email", { from: "a@b.pl" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "invalid_webhook" });
    const unknown = await fetch(`${base}/customers/email/nobody@nowhere.pl`);
    expect(unknown.status).toBe(404);
  });
});
