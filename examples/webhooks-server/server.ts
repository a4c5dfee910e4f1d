/**
 * An HTTP server that ingests signed webhooks from an email provider, an SMS gateway and a chat
 * widget into customer-context, and answers authenticated agent look-ups.
 *
 * Safe to copy: every webhook is HMAC-signed with its provider's shared secret (checked in constant
 * time, `401` and nothing written on a bad signature), every read needs an API token, no identifier
 * appears in a URL or a log line, and only identifiers a provider has verified link profiles.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { type CustomerContext, type InteractionInput, isCustomerContextError } from "customer-context";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import * as z from "zod";

/** The webhook sources; each signs with its own shared secret. */
export type WebhookSource = "email" | "sms" | "chat";

/** Options of {@link createWebhooksServer}. */
export interface WebhooksServerOptions {
  /** The customer context to write to (and to close with the server when `closeContext` is set). */
  cc: CustomerContext;
  /** The shared secret of each webhook source (at least 32 characters), as configured at the provider. */
  secrets: Record<WebhookSource, string>;
  /** API tokens that may read customers (`Authorization: Bearer <token>`); at least one, 32+ characters. */
  apiTokens: readonly string[];
  /** Close `cc` when the server closes. Default false. */
  closeContext?: boolean;
  /**
   * Fastify's logger: `true` for stdout, a stream for tests, default off. Log lines carry the method,
   * the route pattern and the status, never a URL, a parameter or a body.
   */
  logger?: boolean | { stream: { write(line: string): void } };
}

/** The header that carries `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = "x-signature";

/**
 * Signs a webhook body as a provider would: `sha256=` + the hex HMAC-SHA256 of the raw bytes.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "SM-1" });
 * await fetch(url, { method: "POST", body, headers: { "x-signature": signWebhook(secret, body) } });
 * ```
 */
export function signWebhook(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
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
  /** The provider's DMARC verdict for an inbound message; a `fail` is not recorded. */
  dmarc: z.enum(["pass", "fail", "none"]).optional(),
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

/**
 * A chat widget webhook. `visitor.id` is the widget's own visitor id; the email and phone a visitor
 * types are claims, and link profiles only when listed in `verified` (the widget confirmed them: a
 * logged-in session, a one-time code).
 */
export const ChatWebhook = z.object({
  id: z.string().min(1),
  threadId: z.string().min(1),
  author: z.enum(["visitor", "agent"]),
  visitor: z.object({
    id: z.string().min(1),
    email: z.string().min(1).optional(),
    phone: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    verified: z.array(z.enum(["email", "phone"])).default([]),
  }),
  agent: z.string().optional(),
  text: z.string(),
  sentAt: When,
});

/** A look-up: the identifier travels in the body, so it never lands in a URL or an access log. */
export const LookupRequest = z.strictObject({ type: z.string().min(1), value: z.string().min(1) });

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** SHA-256 first, so both sides have the same length and the compare itself leaks nothing. */
function sameSecret(given: string | Buffer, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function verifySignature(secret: string, raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function checkOptions(options: WebhooksServerOptions): void {
  for (const source of ["email", "sms", "chat"] as const) {
    const secret = options.secrets?.[source];
    if (typeof secret !== "string" || secret.length < 32) {
      throw new TypeError(`secrets.${source}: needs a shared secret of at least 32 characters`);
    }
  }
  if (!Array.isArray(options.apiTokens) || options.apiTokens.length === 0) {
    throw new TypeError("apiTokens: needs at least one API token");
  }
  options.apiTokens.forEach((token, index) => {
    if (typeof token !== "string" || token.length < 32) {
      throw new TypeError(`apiTokens[${index}]: needs at least 32 characters`);
    }
  });
}

/**
 * Builds the Fastify server (not yet listening). Routes:
 *
 * - `POST /webhooks/email`, `POST /webhooks/sms`, `POST /webhooks/chat`: signed with the source's
 *   secret in `x-signature`; record the message; `202 { interactionId, conversationId, profileId,
 *   duplicate }`. A bad or missing signature is a `401` and writes nothing; a redelivered message
 *   answers `duplicate: true` and changes nothing; a payload the library rejects is a `400` with the
 *   library's error (its `details` name the field).
 * - `POST /customers/lookup` `{ type, value }` and `GET /customers/:profileId`, with
 *   `Authorization: Bearer <token>`: the customer's context, `401` without a valid token, `404`
 *   for an unknown customer.
 *
 * @param options - the context, the webhook secrets, the API tokens, logging
 * @returns the Fastify instance; call `listen({ port, host })`
 *
 * @example
 * ```ts
 * const app = await createWebhooksServer({ cc: createCustomerContext(), secrets, apiTokens: [token] });
 * await app.listen({ port: 3000, host: "127.0.0.1" });
 * ```
 */
export async function createWebhooksServer(options: WebhooksServerOptions): Promise<FastifyInstance> {
  checkOptions(options);
  const { cc, secrets, apiTokens } = options;
  const serializers = {
    // The route pattern (`/customers/:profileId`), never the URL with its values.
    req: (request: FastifyRequest) => ({ method: request.method, route: request.routeOptions?.url ?? "(no route)" }),
    res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  };
  const logger =
    options.logger === true
      ? { serializers }
      : typeof options.logger === "object"
        ? { serializers, stream: options.logger.stream }
        : false;
  const app = Fastify({ logger, bodyLimit: 1024 * 1024 });

  // Webhook bodies stay raw bytes until their signature is checked; the HMAC covers exactly these bytes.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HttpError) {
      if (error.statusCode === 401) reply.header("www-authenticate", 'Bearer realm="customer-context"');
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
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
    const status = typeof statusCode === "number" && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
    // A 500 says nothing about the input it failed on.
    const message = status === 500 ? "Internal error" : error instanceof Error ? error.message : String(error);
    if (status === 500) reply.log.error({ code: (error as { code?: unknown }).code }, "request failed");
    return reply.status(status).send({ error: { code: "http", message } });
  });

  /** The verified JSON body of a webhook from `source`; throws 401 before anything is parsed. */
  const signedBody = (request: FastifyRequest, source: WebhookSource): unknown => {
    const raw = request.body;
    if (!Buffer.isBuffer(raw) || !verifySignature(secrets[source], raw, request.headers[SIGNATURE_HEADER])) {
      throw new HttpError(401, "bad_signature", `Missing or invalid ${SIGNATURE_HEADER} for the ${source} webhook`);
    }
    try {
      return JSON.parse(raw.toString("utf8")) as unknown;
    } catch {
      throw new HttpError(400, "invalid_json", "The body is not JSON");
    }
  };

  /** Throws 401 unless the request carries one of the API tokens. */
  const authenticate = async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : "";
    // Compare against every token, so the time taken does not tell which one nearly matched.
    let ok = false;
    for (const candidate of apiTokens) ok = sameSecret(token, candidate) || ok;
    if (!ok) throw new HttpError(401, "unauthorized", "A valid API token is required");
  };

  const record = (input: InteractionInput) => cc.record(input);

  app.post("/webhooks/email", async (request, reply) => {
    const mail = EmailWebhook.parse(signedBody(request, "email"));
    if (mail.direction === "inbound" && mail.dmarc === "fail") {
      throw new HttpError(422, "unauthenticated_sender", "The sender failed DMARC; the message is not recorded");
    }
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
    const sms = SmsWebhook.parse(signedBody(request, "sms"));
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
    const chat = ChatWebhook.parse(signedBody(request, "chat"));
    const { visitor } = chat;
    // The widget's visitor id links the chat's own messages; a typed email or phone links profiles
    // only once the widget has verified it. Unverified claims are kept as traits an agent can see.
    const identifiers = [
      { type: "chatVisitor", value: visitor.id },
      ...(visitor.email !== undefined && visitor.verified.includes("email")
        ? [{ type: "email", value: visitor.email }]
        : []),
      ...(visitor.phone !== undefined && visitor.verified.includes("phone")
        ? [{ type: "phone", value: visitor.phone }]
        : []),
    ];
    const traits = {
      ...(visitor.name !== undefined ? { name: visitor.name } : {}),
      ...(visitor.email !== undefined && !visitor.verified.includes("email") ? { unverifiedEmail: visitor.email } : {}),
      ...(visitor.phone !== undefined && !visitor.verified.includes("phone") ? { unverifiedPhone: visitor.phone } : {}),
    };
    if (Object.keys(traits).length > 0) {
      await cc.identify({ identifiers, traits, channel: "chat", at: chat.sentAt });
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

  app.post("/customers/lookup", { onRequest: authenticate }, async (request, reply) => {
    const raw = request.body;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.isBuffer(raw) ? raw.toString("utf8") : "null");
    } catch {
      throw new HttpError(400, "invalid_json", "The body is not JSON");
    }
    const identifier = LookupRequest.parse(body);
    const view = await cc.context({ identifier });
    if (view === null) return reply.status(404).send({ error: { code: "not_found", message: "No such customer" } });
    return view;
  });

  app.get<{ Params: { profileId: string } }>(
    "/customers/:profileId",
    { onRequest: authenticate },
    async (request, reply) => {
      const view = await cc.context({ profileId: request.params.profileId });
      if (view === null) return reply.status(404).send({ error: { code: "not_found", message: "No such customer" } });
      return view;
    },
  );

  if (options.closeContext) app.addHook("onClose", async () => cc.close());
  return app;
}

/** `"Jan Kowalski <jan@kowalski.pl>"` → `"jan@kowalski.pl"`. */
function addressOf(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle?.[1] ?? mailbox).trim();
}
