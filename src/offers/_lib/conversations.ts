import type { DeepReadonly, FactsConversation } from "../types.js";

/**
 * When a conversation stopped being open: `resolvedAt`, or `lastAt` for a conversation marked
 * resolved without a resolution time; `undefined` while it is open.
 */
export function closedAt(conversation: DeepReadonly<FactsConversation>): string | undefined {
  if (conversation.resolvedAt !== undefined) return conversation.resolvedAt;
  return conversation.status === "resolved" ? conversation.lastAt : undefined;
}

/** Whether the conversation is open at `t`: started at or before `t` and not closed by then. */
export function isOpenAt(conversation: DeepReadonly<FactsConversation>, t: string): boolean {
  if (conversation.startedAt > t) return false;
  const closed = closedAt(conversation);
  return closed === undefined || closed > t;
}

/** When `tag` appeared on the conversation: `tagsSince[tag]`, else `startedAt`; `undefined` when it has no such tag. */
export function tagSince(conversation: DeepReadonly<FactsConversation>, tag: string): string | undefined {
  const since = conversation.tagsSince[tag];
  if (since !== undefined) return since;
  return conversation.tags.includes(tag) ? conversation.startedAt : undefined;
}
