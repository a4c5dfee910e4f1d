import { compareStrings, stableId } from "../_lib/hash.js";
import type { Duration } from "../schema/primitives.js";
import { type StitchState, stitchStep } from "./stitchStep.js";

/** One interaction as the stitcher sees it. Times are ISO strings in UTC. */
export interface StitchInteraction {
  id: string;
  channel: string;
  direction: "inbound" | "outbound";
  at: string;
  /** Id of an interaction of the conversation this one explicitly continues (a handoff). */
  continuesVia?: string;
  /** Normalised Message-ID of an email. */
  messageId?: string;
  /** Normalised ids it refers to (References / In-Reply-To), closest ancestor first. */
  refs?: readonly string[];
  threadKey?: string;
  caseRef?: string;
  /** Base subject (reply prefixes removed), compared case-insensitively. */
  subject?: string;
  tags?: readonly string[];
}

/** An operator decision about conversations, made at `at`. */
export type StitchDecision =
  | { kind: "resolve"; id: string; interactionId: string; at: string }
  | { kind: "merge"; id: string; from: string; into: string; at: string };

/** Options of {@link stitchConversations}. */
export interface StitchOptions {
  /** How long after its last interaction an open conversation continues across channels. */
  window: Duration;
  /** How long after resolution an explicit link (rules 1–4) reopens a conversation. */
  reopenWindow: Duration;
}

/** A conversation as derived by {@link stitchConversations}. */
export interface StitchedConversation {
  id: string;
  status: "open" | "resolved";
  /** Interaction ids by (at, id). */
  interactionIds: string[];
  /** Channels in order of first appearance. */
  channels: string[];
  tags: string[];
  /** When each tag first appeared. */
  tagsSince: Record<string, string>;
  subject?: string;
  startedAt: string;
  lastAt: string;
  resolvedAt?: string;
  previousId?: string;
  /** Conversation ids an operator merged into this one. */
  absorbed: string[];
  /** How each interaction joined: the stitching rule that applied. */
  joinedBy: Record<string, StitchRule>;
}

/** The rule that put an interaction in its conversation. */
export type StitchRule = "continues" | "email-thread" | "thread-key" | "case-ref" | "time-window" | "new";

interface Conv extends StitchedConversation {
  subjectKey?: string;
  /** Sorted lazily: interactions are appended in time order, merges may interleave. */
  dirty: boolean;
}

/** The deterministic id of a conversation started by `firstInteractionId`. */
export function conversationIdFor(firstInteractionId: string): string {
  return stableId("conv", firstInteractionId);
}

/**
 * Stitches one customer's interactions into conversations: a fold of {@link stitchStep} over the
 * interactions, with the operator decisions applied between them. Interactions and operator decisions
 * are processed in time order (ties: interactions before decisions, then by id), so the result
 * depends only on the evidence, never on the order it arrived in. An interaction joins a
 * conversation by the first rule that applies:
 *
 * 1. an explicit `continuesVia` (a handoff: IVR to agent, bot to human, web to call);
 * 2. the email thread, by Message-ID / References / In-Reply-To;
 * 3. the channel's native thread key;
 * 4. a case reference;
 * 5. time-window continuation of the most recent open conversation (when both have subjects,
 *    their base subjects must match);
 * 6. otherwise it starts a new conversation.
 *
 * A resolved conversation reopens on an explicit link (1–4) within `reopenWindow` of its
 * resolution; later, a new conversation starts and links back through `previousId`.
 *
 * @param interactions - the customer's interactions, in any order
 * @param decisions - resolve and merge decisions, in any order
 * @param options - continuation and reopen windows
 * @returns conversations ordered by start time, then id
 *
 * @example
 * ```ts
 * const [conversation] = stitchConversations(
 *   [
 *     { id: "i1", channel: "web", direction: "inbound", at: "2026-04-01T09:00:00.000Z", caseRef: "LN-7781" },
 *     { id: "i2", channel: "phone", direction: "inbound", at: "2026-04-02T10:00:00.000Z", caseRef: "LN-7781" },
 *   ],
 *   [],
 *   { window: { days: 3 }, reopenWindow: { days: 14 } },
 * );
 * conversation.channels; // ["web", "phone"]
 * ```
 */
export function stitchConversations(
  interactions: readonly StitchInteraction[],
  decisions: readonly StitchDecision[],
  options: StitchOptions,
): StitchedConversation[] {
  type Step = { kind: 0; item: StitchInteraction } | { kind: 1; item: StitchDecision };
  const steps: Step[] = [
    ...interactions.map((item) => ({ kind: 0 as const, item })),
    ...decisions.map((item) => ({ kind: 1 as const, item })),
  ];
  steps.sort((a, b) => compareStrings(a.item.at, b.item.at) || a.kind - b.kind || compareStrings(a.item.id, b.item.id));

  const convs = new Map<string, Conv>();
  const redirect = new Map<string, string>();
  const byInteraction = new Map<string, string>();
  const byMessageId = new Map<string, string>();
  const byThread = new Map<string, string>();
  const byCase = new Map<string, string>();
  const find = (id: string): Conv => {
    let current = id;
    for (let next = redirect.get(current); next !== undefined; next = redirect.get(current)) current = next;
    return convs.get(current) as Conv;
  };
  const lookup = (map: Map<string, string>, key: string | undefined): Conv | undefined => {
    if (key === undefined) return undefined;
    const id = map.get(key);
    return id === undefined ? undefined : find(id);
  };

  for (const step of steps) {
    if (step.kind === 1) {
      const d = step.item;
      if (d.kind === "resolve") {
        const convId = byInteraction.get(d.interactionId);
        if (convId === undefined) continue;
        const conv = find(convId);
        if (conv.status === "open") {
          conv.status = "resolved";
          conv.resolvedAt = d.at;
        }
      } else {
        const fromId = byInteraction.get(d.from);
        const intoId = byInteraction.get(d.into);
        if (fromId === undefined || intoId === undefined) continue;
        const from = find(fromId);
        const into = find(intoId);
        if (from === into) continue;
        absorb(into, from);
        convs.delete(from.id);
        redirect.set(from.id, into.id);
      }
      continue;
    }

    const x = step.item;
    const firstRef = [...(x.messageId === undefined ? [] : [x.messageId]), ...(x.refs ?? [])].find((ref) =>
      byMessageId.has(ref),
    );
    const state: StitchState = {
      open: [...convs.values()].filter((c) => c.status === "open"),
    };
    const continued = x.continuesVia === undefined ? undefined : byInteraction.get(x.continuesVia);
    if (continued !== undefined) state.continues = find(continued);
    const thread = lookup(byMessageId, firstRef);
    if (thread) state.emailThread = thread;
    const byKey = x.threadKey === undefined ? undefined : lookup(byThread, `${x.channel}\u0000${x.threadKey}`);
    if (byKey) state.threadKey = byKey;
    const byRef = lookup(byCase, x.caseRef);
    if (byRef) state.caseRef = byRef;
    const decision = stitchStep(state, x, options);
    let target: Conv | undefined;
    let previousId: string | undefined;
    const rule: StitchRule = decision.rule;
    if (decision.join !== null) {
      target = convs.get(decision.join) as Conv;
      if (decision.reopen) {
        target.status = "open";
        delete target.resolvedAt;
      }
    } else {
      previousId = decision.previousId;
    }
    if (!target) {
      const id = conversationIdFor(x.id);
      target = {
        id,
        status: "open",
        interactionIds: [],
        channels: [],
        tags: [],
        tagsSince: {},
        startedAt: x.at,
        lastAt: x.at,
        absorbed: [],
        joinedBy: {},
        dirty: false,
      };
      if (previousId !== undefined) target.previousId = previousId;
      convs.set(id, target);
    }
    join(target, x, rule);
    byInteraction.set(x.id, target.id);
    if (x.messageId !== undefined) byMessageId.set(x.messageId, target.id);
    for (const ref of x.refs ?? []) if (!byMessageId.has(ref)) byMessageId.set(ref, target.id);
    if (x.threadKey !== undefined) byThread.set(`${x.channel}\u0000${x.threadKey}`, target.id);
    if (x.caseRef !== undefined) byCase.set(x.caseRef, target.id);
  }

  const order = new Map<string, string>();
  for (const x of interactions) order.set(x.id, x.at);
  const out: StitchedConversation[] = [];
  for (const conv of convs.values()) {
    if (conv.dirty) {
      conv.interactionIds.sort(
        (a, b) => compareStrings(order.get(a) ?? "", order.get(b) ?? "") || compareStrings(a, b),
      );
    }
    const { subjectKey: _key, dirty: _dirty, ...result } = conv;
    result.tags.sort(compareStrings);
    result.absorbed.sort(compareStrings);
    out.push(result);
  }
  return out.sort((a, b) => compareStrings(a.startedAt, b.startedAt) || compareStrings(a.id, b.id));
}

function join(conv: Conv, x: StitchInteraction, rule: StitchRule): void {
  conv.interactionIds.push(x.id);
  conv.joinedBy[x.id] = rule;
  if (compareStrings(x.at, conv.lastAt) > 0) conv.lastAt = x.at;
  if (!conv.channels.includes(x.channel)) conv.channels.push(x.channel);
  for (const tag of x.tags ?? []) {
    if (!conv.tags.includes(tag)) conv.tags.push(tag);
    if (conv.tagsSince[tag] === undefined) conv.tagsSince[tag] = x.at;
  }
  if (conv.subject === undefined && x.subject !== undefined && x.subject !== "") {
    conv.subject = x.subject;
    conv.subjectKey = x.subject.toLowerCase();
  }
}

function absorb(into: Conv, from: Conv): void {
  into.interactionIds.push(...from.interactionIds);
  into.dirty = true;
  Object.assign(into.joinedBy, from.joinedBy);
  for (const channel of from.channels) if (!into.channels.includes(channel)) into.channels.push(channel);
  for (const tag of from.tags) if (!into.tags.includes(tag)) into.tags.push(tag);
  for (const [tag, since] of Object.entries(from.tagsSince)) {
    const current = into.tagsSince[tag];
    if (current === undefined || compareStrings(since, current) < 0) into.tagsSince[tag] = since;
  }
  if (compareStrings(from.startedAt, into.startedAt) < 0) into.startedAt = from.startedAt;
  if (compareStrings(from.lastAt, into.lastAt) > 0) into.lastAt = from.lastAt;
  if (into.subject === undefined && from.subject !== undefined) {
    into.subject = from.subject;
    if (from.subjectKey !== undefined) into.subjectKey = from.subjectKey;
  }
  if (from.status === "open" && into.status === "resolved") {
    into.status = "open";
    delete into.resolvedAt;
  }
  into.absorbed.push(from.id, ...from.absorbed);
}
