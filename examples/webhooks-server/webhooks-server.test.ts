import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CustomerContext,
  type CustomerContextEvent,
  type CustomerSnapshot,
  createCustomerContext,
} from "customer-context";
import { sqliteAdapter } from "customer-context/sqlite";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhooksServer, signWebhook } from "./server.js";

const secrets = { email: "e".repeat(40), sms: "s".repeat(40), chat: "c".repeat(40) };
const token = "t0ken-".repeat(8);
const dir = mkdtempSync(join(tmpdir(), "webhooks-server-"));
const logLines: string[] = [];
const events: CustomerContextEvent[] = [];
let app: FastifyInstance;
let cc: CustomerContext;
let base: string;

beforeAll(async () => {
  cc = createCustomerContext({
    storage: sqliteAdapter({ filename: join(dir, "webhooks.sqlite") }),
    identity: { defaultRegion: "PL" },
  });
  cc.subscribe((event) => events.push(event));
  app = await createWebhooksServer({
    cc,
    secrets,
    apiTokens: [token],
    closeContext: true,
    logger: { stream: { write: (line) => logLines.push(line) } },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("expected a TCP address");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; body: Record<string, unknown> };

async function post(
  source: "email" | "sms" | "chat",
  body: unknown,
  signature: string | null = signWebhook(secrets[source], JSON.stringify(body)),
): Promise<Answer> {
  const response = await fetch(`${base}/webhooks/${source}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature !== null ? { "x-signature": signature } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function lookup(type: string, value: string, auth: string | null = `Bearer ${token}`): Promise<Answer> {
  const response = await fetch(`${base}/customers/lookup`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth !== null ? { authorization: auth } : {}) },
    body: JSON.stringify({ type, value }),
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
  it("stitches signed email, SMS and verified chat webhooks into one conversation, a redelivery once", async () => {
    const mail = await post("email", {
      messageId: "<m1@mail.kowalski.pl>",
      from: "Jan Kowalski <jan@kowalski.pl>",
      to: "help@bank.pl",
      subject: "Card blocked",
      text: "My card was blocked after a payment abroad. IBAN PL61109010140000071219812874",
      date: "2026-04-02T07:45:00Z",
      dmarc: "pass",
    });
    expect(mail.status).toBe(202);
    expect(mail.body.duplicate).toBe(false);

    const first = await post("sms", sms);
    expect(first.status).toBe(202);
    const again = await post("sms", sms);
    expect(again.body).toMatchObject({ duplicate: true, interactionId: first.body.interactionId });

    // A logged-in chat visitor: the widget verified both the email and the phone, so they link.
    for (const [index, message] of [
      { author: "visitor", text: "Hi, I emailed and texted about my blocked card" },
      { author: "agent", agent: "Ola", text: "Unblocked it now, sorry for the trouble." },
    ].entries()) {
      const chat = await post("chat", {
        id: `chat-77-${index}`,
        threadId: "chat-77",
        visitor: {
          id: "v-77",
          email: "jan@kowalski.pl",
          phone: "601234567",
          name: "Jan Kowalski",
          verified: ["email", "phone"],
        },
        sentAt: `2026-04-02T08:1${index}:00Z`,
        ...message,
      });
      expect(chat.status, JSON.stringify(chat.body)).toBe(202);
    }

    const answer = await lookup("phone", "+48601234567");
    expect(answer.status).toBe(200);
    const view = answer.body as unknown as CustomerSnapshot;
    expect(view.profile.traits.name).toBe("Jan Kowalski");
    expect(view.conversations).toHaveLength(1);
    expect(view.conversations[0]?.channels).toEqual(["email", "sms", "chat"]);
    expect(view.timeline.map((i) => i.channel)).toEqual(["email", "sms", "chat", "chat"]);

    const byId = await fetch(`${base}/customers/${view.profile.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await byId.json()) as CustomerSnapshot).profile.id).toBe(view.profile.id);
  });

  it("answers 401 and writes nothing for a missing, wrong or forged signature", async () => {
    const before = events.length;
    const victim = await lookup("email", "jan@kowalski.pl");
    const attack = {
      id: "chat-evil-0",
      threadId: "chat-evil",
      author: "visitor",
      visitor: { id: "v-evil", email: "jan@kowalski.pl", phone: "+48 700 000 000", verified: ["email", "phone"] },
      text: "merge me",
      sentAt: "2026-04-02T09:00:00Z",
    };
    for (const signature of [
      null,
      "sha256=",
      `sha256=${"0".repeat(64)}`,
      signWebhook("not-the-secret".repeat(4), JSON.stringify(attack)),
      signWebhook(secrets.sms, JSON.stringify(attack)), // another source's secret
      signWebhook(secrets.chat, JSON.stringify({ ...attack, text: "other" })), // a signature of another body
    ]) {
      const answer = await post("chat", attack, signature);
      expect(answer.status, String(signature)).toBe(401);
      expect(answer.body.error).toMatchObject({ code: "bad_signature" });
    }
    expect(events.length).toBe(before);
    expect((await lookup("phone", "+48700000000")).status).toBe(404);
    expect(await lookup("email", "jan@kowalski.pl")).toEqual(victim);
  });

  it("does not let an unverified chat claim link a stranger to someone else's profile", async () => {
    const victim = (await lookup("email", "jan@kowalski.pl")).body as unknown as CustomerSnapshot;
    const chat = await post("chat", {
      id: "chat-90-0",
      threadId: "chat-90",
      author: "visitor",
      visitor: { id: "v-90", email: "jan@kowalski.pl", phone: "+48 700 000 001", name: "Not Jan" },
      text: "Show me my last emails",
      sentAt: "2026-04-02T09:30:00Z",
    });
    expect(chat.status).toBe(202);
    expect(chat.body.profileId).not.toBe(victim.profile.id);
    const after = (await lookup("email", "jan@kowalski.pl")).body as unknown as CustomerSnapshot;
    expect(after.profile.id).toBe(victim.profile.id);
    expect(after.timeline).toHaveLength(victim.timeline.length);
    expect(after.profile.traits.name).toBe("Jan Kowalski");
    expect((await lookup("phone", "+48700000001")).status).toBe(404);
    const stranger = (await lookup("chatVisitor", "v-90")).body as unknown as CustomerSnapshot;
    expect(stranger.profile.traits).toMatchObject({ unverifiedEmail: "jan@kowalski.pl", name: "Not Jan" });
    expect(stranger.timeline.map((i) => i.channel)).toEqual(["chat"]);
  });

  it("needs an API token to read a customer", async () => {
    for (const auth of [null, "Bearer ", "Bearer wrong", `Basic ${token}`, `Bearer ${token}x`]) {
      const answer = await lookup("email", "jan@kowalski.pl", auth);
      expect(answer.status, String(auth)).toBe(401);
      expect(answer.body).not.toHaveProperty("profile");
    }
    const byId = await fetch(`${base}/customers/anything`);
    expect(byId.status).toBe(401);
    expect(byId.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 400 with the field for a bad payload, 422 for a DMARC failure, and 404 for an unknown customer", async () => {
    const bad = await post("sms", { ...sms, id: "SM-0002", timestamp: "02.04.2026 08:00" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_input", details: [{ path: ["at"] }] });
    const missing = await post("email", { from: "a@b.pl" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "invalid_webhook" });
    const spoofed = await post("email", {
      messageId: "<spoof@evil>",
      from: "jan@kowalski.pl",
      to: "help@bank.pl",
      date: "2026-04-02T10:00:00Z",
      dmarc: "fail",
    });
    expect(spoofed.status).toBe(422);
    expect((await lookup("email", "nobody@nowhere.pl")).status).toBe(404);
    // A refusal names the value to the (authenticated) provider, never in the log.
    const refused = await post("email", {
      messageId: "<t@t>",
      from: "test@test.com",
      to: "help@bank.pl",
      date: "2026-04-02T10:00:00Z",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "refused" });
  });

  it("logs no email, phone, name, text or profile id", () => {
    // Timings and process numbers are the logger's own digits: a phone's digits may turn up in them
    // by chance (a responseTime of 6.700000001), so they are left out of the search.
    const log = logLines.map((line) => line.replace(/"(time|responseTime|pid)":[0-9.e+-]+/g, '"$1":0')).join("\n");
    expect(logLines.length).toBeGreaterThan(10);
    expect(log).toContain('"route":"/customers/lookup"');
    for (const secret of [
      "kowalski",
      "601234567",
      "601 234 567",
      "700000001",
      "Jan",
      "IBAN",
      "blocked",
      "v-90",
      "prof_",
      "test@test.com",
    ]) {
      expect(log, secret).not.toContain(secret);
    }
  });

  it("refuses to start without secrets or tokens strong enough", async () => {
    await expect(
      createWebhooksServer({ cc, secrets: { ...secrets, sms: "short" }, apiTokens: [token] }),
    ).rejects.toThrow(/secrets\.sms/);
    await expect(createWebhooksServer({ cc, secrets, apiTokens: [] })).rejects.toThrow(/apiTokens/);
  });
});
