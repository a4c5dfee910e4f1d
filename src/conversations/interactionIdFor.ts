import { stableId } from "../_lib/hash.js";

/** What identifies an interaction across deliveries: its channel and the channel's own id, or an email Message-ID. */
export type InteractionIdParts = { channel: string; externalId: string } | { messageId: string };

/**
 * The deterministic id of an interaction delivered with an `externalId` (per channel) or with a
 * normalised email Message-ID, so a redelivery maps to the same interaction on every adapter.
 *
 * @example
 * ```ts
 * interactionIdFor({ channel: "sms", externalId: "42" }) === interactionIdFor({ channel: "sms", externalId: "42" }); // true
 * ```
 */
export function interactionIdFor(parts: InteractionIdParts): string {
  return "messageId" in parts
    ? stableId("int", "msg", parts.messageId)
    : stableId("int", parts.channel, "ext", parts.externalId);
}
