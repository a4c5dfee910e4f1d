/**
 * An HTTP server that ingests webhooks from an email provider, an SMS gateway and a chat widget
 * into customer-context, and serves what an agent needs at `GET /customers/:type/:value`.
 *
 * @module
 */

import { type CustomerContext, type InteractionInput, isCustomerContextError } from "customer-context";
import Fastify, { type FastifyInstance } from "fastify";
import { z } from "zod";

/** Options of {@link createWebhooksServer}. */
export interface WebhooksServerOptions {
  /** The customer context to write to (and to close with the server when `closeContext` is set). */
  cc: CustomerContext;
  /** Close `cc` when the server closes. Default false. */
  closeContext?: boolean;
  /** Fastify's logger. Default false. */
  logger?: boolean;
}

const When = z.string().min(1);

/** An email webhook, as inbound-parse services post it (and as our outbound mailer reports sent mail). */
export const EmailWebhook = z.object({
  direction: z.enum(["inbound", "outbound"]).default("inbound"),
  messageId: z.string().min(1),
  inReplyTo: z.string().min(1).optional(),
  references: z.array(z.string().min(1)).optional(),
  from: z.string().min(1),
  to: z.string().min(1),
  subject: z.string().optional(),
  text: z.string().optional(),
  date: When,
});

/** An SMS gateway webhook: the gateway's message id makes redelivery harmless. */
export const SmsWebhook = z.object({
  id: z.string().min(1),
  direction: z.enum(["inbound", "outbound"]).default("inbound"),
  from: z.string().min(1),
  to: z.string().min(1),
  body: z.string(),
  timestamp: When,
});

/** A chat widget webhook: a pre-chat form gives the visitor's email and phone. */
export const ChatWebhook = z.object({
  id: z.string().min(1),
  threadId: z.string().min(1),
  author: z.enum(["visitor", "agent"]),
  visitor: z.object({
    email: z.string().min(1).optional(),
    phone: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
  }),
  agent: z.string().optional(),
  text: z.string(),
  sentAt: When,
});

/**
 * Builds the Fastify server (not yet listening). Routes:
 *
 * - `POST /webhooks/email`, `POST /webhooks/sms`, `POST /webhooks/chat`: record the message;
 *   `202 { interactionId, conversationId, profileId, duplicate }`; a redelivered message
 *   answers `duplicate: true` and changes nothing. A payload the library rejects is a `400`
 *   with the library's error (its `details` name the field).
 * - `GET /customers/:type/:value`: the customer's context, or `404`.
 *
 * @param options - the customer context, whether to close it with the server, logging
 * @returns the Fastify instance; call `listen({ port, host })`
 *
 * @example
 * ```ts
 * const app = await createWebhooksServer({ cc: createCustomerContext() });
 * await app.listen({ port: 3000, host: "127.0.0.1" });
 * ```
 */
export async function createWebhooksServer(options: WebhooksServerOptions): Promise<FastifyInstance> {
  const { cc } = options;
  const app = Fastify({ logger: options.logger ?? false });

  app.setErrorHandler((error, _request, reply) => {
    if (isCustomerContextError(error)) {
      const status =
        error.code === "invalid_input" || error.code === "refused" ? 400 : error.code === "not_found" ? 404 : 500;
      return reply.status(status).send({ error: error.toJSON() });
    }
    if (error instanceof z.ZodError) {
      const details = error.issues.map((issue) => ({ path: issue.path, code: issue.code, message: issue.message }));
      return reply
        .status(400)
        .send({ error: { code: "invalid_webhook", message: "Invalid webhook payload", details } });
    }
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    const status = typeof statusCode === "number" ? statusCode : 500;
    const message = error instanceof Error ? error.message : String(error);
    return reply.status(status).send({ error: { code: "http", message } });
  });

  const record = (input: InteractionInput) => cc.record(input);

  app.post("/webhooks/email", async (request, reply) => {
    const mail = EmailWebhook.parse(request.body);
    const customer = mail.direction === "inbound" ? mail.from : mail.to;
    const result = await record({
      channel: "email",
      direction: mail.direction,
      at: mail.date,
      customer: [{ type: "email", value: addressOf(customer) }],
      ...(mail.subject !== undefined ? { subject: mail.subject } : {}),
      ...(mail.text !== undefined ? { text: mail.text } : {}),
      email: {
        messageId: mail.messageId,
        ...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references !== undefined ? { references: mail.references } : {}),
      },
    });
    return reply.status(202).send(result);
  });

  app.post("/webhooks/sms", async (request, reply) => {
    const sms = SmsWebhook.parse(request.body);
    const result = await record({
      channel: "sms",
      direction: sms.direction,
      at: sms.timestamp,
      customer: [{ type: "phone", value: sms.direction === "inbound" ? sms.from : sms.to }],
      externalId: sms.id,
      text: sms.body,
    });
    return reply.status(202).send(result);
  });

  app.post("/webhooks/chat", async (request, reply) => {
    const chat = ChatWebhook.parse(request.body);
    const identifiers = [
      ...(chat.visitor.email !== undefined ? [{ type: "email", value: chat.visitor.email }] : []),
      ...(chat.visitor.phone !== undefined ? [{ type: "phone", value: chat.visitor.phone }] : []),
    ];
    if (identifiers.length === 0) {
      return reply.status(400).send({
        error: {
          code: "invalid_webhook",
          message: "visitor: needs an email or a phone",
          details: [{ path: ["visitor"] }],
        },
      });
    }
    if (chat.visitor.name !== undefined) {
      await cc.identify({ identifiers, traits: { name: chat.visitor.name }, channel: "chat", at: chat.sentAt });
    }
    const result = await record({
      channel: "chat",
      direction: chat.author === "visitor" ? "inbound" : "outbound",
      at: chat.sentAt,
      customer: identifiers,
      externalId: chat.id,
      threadKey: chat.threadId,
      text: chat.text,
      ...(chat.agent !== undefined ? { agent: chat.agent } : {}),
    });
    return reply.status(202).send(result);
  });

  app.get<{ Params: { type: string; value: string } }>("/customers/:type/:value", async (request, reply) => {
    const view = await cc.context({ identifier: { type: request.params.type, value: request.params.value } });
    if (view === null) return reply.status(404).send({ error: { code: "not_found", message: "No such customer" } });
    return view;
  });

  if (options.closeContext) app.addHook("onClose", async () => cc.close());
  return app;
}

/** `"Jan Kowalski <jan@kowalski.pl>"` → `"jan@kowalski.pl"`. */
function addressOf(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle?.[1] ?? mailbox).trim();
}
