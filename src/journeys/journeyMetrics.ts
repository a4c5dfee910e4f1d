import { compareStrings } from "../_lib/hash.js";
import { InvalidInputError } from "../errors.js";
import type { Conversation, Interaction } from "../schema/outputs.js";
import { checkMetricsInput } from "./_lib/checkInput.js";
import { compareTimed, parseTime, type Timed } from "./_lib/order.js";
import { quantile } from "./_lib/quantile.js";

/** What {@link journeyMetrics} measures: conversations, their interactions, and an optional range. */
export interface JourneyMetricsInput {
  /** Conversations to measure; those whose `startedAt` is outside `[from, to)` are left out. */
  conversations: readonly Conversation[];
  /**
   * Interactions, linked to conversations by `conversationId`. Interactions of conversations outside the
   * range are still used to detect repeat contacts (a customer may come back after `to`).
   */
  interactions: readonly Interaction[];
  /** Inclusive lower bound on a conversation's `startedAt` (ISO 8601 with offset, or a `Date`). */
  from?: string | Date;
  /** Exclusive upper bound on a conversation's `startedAt` (ISO 8601 with offset, or a `Date`). */
  to?: string | Date;
}

/** Options of {@link journeyMetrics}. */
export interface JourneyMetricsOptions {
  /**
   * How long after a conversation was resolved a new inbound contact from the same customer counts as a
   * repeat contact, in days (fractions allowed). Default `7`.
   */
  repeatWindowDays?: number;
}

/** How often conversations moved from one channel to the next. */
export interface ChannelTransition {
  from: string;
  to: string;
  count: number;
}

/** First-response times, in seconds, of the conversations whose first inbound interaction used `channel`. */
export interface FirstResponseStats {
  /** Conversations with an inbound interaction (for `byChannel` rows: whose first inbound used this channel). */
  conversations: number;
  /** Of those, conversations with an outbound interaction after the first inbound one. */
  responded: number;
  /** Median first-response time in seconds over the responded conversations; `null` when none. */
  medianSeconds: number | null;
  /** 90th percentile first-response time in seconds over the responded conversations; `null` when none. */
  p90Seconds: number | null;
}

/** Inbound interactions that no outbound interaction followed in the same conversation. */
export interface UnansweredInboundStats {
  inbound: number;
  unanswered: number;
  /** `unanswered / inbound`; `null` when there is no inbound interaction. */
  rate: number | null;
}

/**
 * Journey metrics computed from recorded conversations and interactions. Every array is sorted
 * (channels by UTF-16 code units), every value is a string, a finite number, `null`, an array or a plain
 * object, so `JSON.stringify` round-trips it and equal inputs give identical output.
 */
export interface JourneyMetrics {
  /** The range the conversations were selected by, as ISO strings; `null` for an open end. */
  range: { from: string | null; to: string | null };
  /** Conversations measured (those whose `startedAt` is in the range). */
  conversations: number;
  /** Interactions belonging to the measured conversations. */
  interactions: number;
  /** Every channel used by the measured conversations, sorted. */
  channels: string[];
  /**
   * The channel-transition matrix as a sparse list: for each ordered pair of different channels, how often
   * an interaction on `to` directly followed one on `from` in the same conversation. Sorted by `from`, `to`.
   */
  transitions: ChannelTransition[];
  /** Sum of `transitions[].count`: every change of channel between consecutive interactions. */
  totalTransitions: number;
  /** Conversations that used more than one channel. */
  multiChannel: { conversations: number; multiChannel: number; share: number | null };
  /**
   * Resolved conversations after which the same customer contacted us again (an inbound interaction in any
   * conversation) within `windowDays` of the resolution.
   */
  repeatContact: { windowDays: number; resolved: number; repeated: number; rate: number | null };
  /** Time from a conversation's first inbound interaction to the first outbound one after it. */
  firstResponse: FirstResponseStats & { byChannel: Array<FirstResponseStats & { channel: string }> };
  /** Share of inbound interactions with no later outbound interaction in the same conversation. */
  unansweredInbound: UnansweredInboundStats & { byChannel: Array<UnansweredInboundStats & { channel: string }> };
  /** Channel changes per resolved conversation: the mean and how many conversations had each count. */
  switchesPerResolved: {
    resolved: number;
    mean: number | null;
    distribution: Array<{ switches: number; conversations: number }>;
  };
}

interface TimedInteraction extends Timed {
  channel: string;
  direction: "inbound" | "outbound";
}

const DAY_MS = 86_400_000;

/**
 * Measures customer journeys from the data instead of opinion: the channel-transition matrix, the share of
 * multi-channel conversations, the repeat-contact rate, first-response times and unanswered inbound
 * contacts per channel, and channel switches per resolved conversation. Definitions are in
 * `docs/journeys.md`. Interactions are ordered by time, then id; the result does not depend on the order
 * of the input arrays.
 *
 * @param input - Conversations and interactions (for example from `cc.context(ref)` or a whole store), and
 *   an optional `[from, to)` range on the conversations' `startedAt`.
 * @param options - `repeatWindowDays` (default 7).
 * @returns The metrics, JSON-serialisable and deterministic.
 * @throws {InvalidInputError} naming the field when the input is malformed (for example an interaction
 *   without `conversationId`) or an option or range bound is invalid.
 * @throws {InvalidInputError} When `from`, `to` or an interaction's `at` is not a date, or the window is
 *   not a non-negative finite number.
 *
 * @example
 * ```ts
 * const base = { profileId: "p1", conversationId: "c1", identifiers: [], tags: [] };
 * const metrics = journeyMetrics({
 *   conversations: [{
 *     id: "c1", profileId: "p1", status: "resolved", channels: ["web", "phone"], interactionIds: ["i1", "i2", "i3"],
 *     tags: [], startedAt: "2026-04-02T10:00:00.000Z", lastAt: "2026-04-02T10:05:00.000Z",
 *     resolvedAt: "2026-04-02T10:05:00.000Z",
 *   }],
 *   interactions: [
 *     { ...base, id: "i1", channel: "web", direction: "inbound", at: "2026-04-02T10:00:00.000Z" },
 *     { ...base, id: "i2", channel: "phone", direction: "inbound", at: "2026-04-02T10:02:00.000Z" },
 *     { ...base, id: "i3", channel: "phone", direction: "outbound", at: "2026-04-02T10:05:00.000Z" },
 *   ],
 * });
 * metrics.transitions;                  // [{ from: "web", to: "phone", count: 1 }]
 * metrics.multiChannel.share;           // 1
 * metrics.firstResponse.medianSeconds;  // 300 (web inbound at 10:00, first reply at 10:05)
 * metrics.unansweredInbound.rate;       // 0
 * ```
 */
export function journeyMetrics(input: JourneyMetricsInput, options: JourneyMetricsOptions = {}): JourneyMetrics {
  checkMetricsInput(input, "journey metrics input");
  const windowDays = options.repeatWindowDays ?? 7;
  if (!Number.isFinite(windowDays) || windowDays < 0) {
    throw new InvalidInputError("journey metrics options", [
      { path: ["repeatWindowDays"], code: "invalid_value", message: "must be a non-negative finite number of days" },
    ]);
  }
  const fromMs = boundMs(input.from, "from");
  const toMs = boundMs(input.to, "to");

  const conversations = uniqueById(input.conversations)
    .map((conversation) => ({
      conversation,
      ms: parseTime(conversation.startedAt, "journey metrics input", `conversations[${conversation.id}].startedAt`),
    }))
    .filter(({ ms }) => (fromMs === null || ms >= fromMs) && (toMs === null || ms < toMs))
    .map(({ conversation }) => conversation)
    .sort((a, b) => compareStrings(a.id, b.id));

  // Every interaction, grouped by conversation and ordered by (at, id); also by customer, for repeats.
  const byConversation = new Map<string, TimedInteraction[]>();
  const inboundByProfile = new Map<string, number[]>();
  for (const interaction of uniqueById(input.interactions)) {
    const timed: TimedInteraction = {
      id: interaction.id,
      ms: parseTime(interaction.at, "journey metrics input", `interactions[${interaction.id}].at`),
      channel: interaction.channel,
      direction: interaction.direction,
    };
    pushTo(byConversation, interaction.conversationId, timed);
    if (interaction.direction === "inbound") pushTo(inboundByProfile, interaction.profileId, timed.ms);
  }
  for (const list of byConversation.values()) list.sort(compareTimed);
  for (const list of inboundByProfile.values()) list.sort((a, b) => a - b);

  const channels = new Set<string>();
  const transitions = new Map<string, Map<string, number>>();
  let totalTransitions = 0;
  let interactionCount = 0;
  let multiChannel = 0;
  const responseTimes = new Map<string, number[]>();
  const firstInbound = new Map<string, number>();
  const inbound = new Map<string, number>();
  const unanswered = new Map<string, number>();
  let resolved = 0;
  let repeated = 0;
  const switchCounts = new Map<number, number>();
  let switchSum = 0;
  const windowMs = windowDays * DAY_MS;

  for (const conversation of conversations) {
    const timeline = byConversation.get(conversation.id) ?? [];
    interactionCount += timeline.length;

    const used = new Set(timeline.length > 0 ? timeline.map((i) => i.channel) : conversation.channels);
    for (const channel of used) channels.add(channel);
    if (used.size > 1) multiChannel += 1;

    let switches = 0;
    for (let k = 1; k < timeline.length; k += 1) {
      const previous = timeline[k - 1]!;
      const current = timeline[k]!;
      if (previous.channel === current.channel) continue;
      switches += 1;
      const row = transitions.get(previous.channel) ?? new Map<string, number>();
      row.set(current.channel, (row.get(current.channel) ?? 0) + 1);
      transitions.set(previous.channel, row);
    }
    totalTransitions += switches;

    const first = timeline.findIndex((i) => i.direction === "inbound");
    if (first >= 0) {
      const start = timeline[first]!;
      increment(firstInbound, start.channel);
      const reply = timeline.slice(first + 1).find((i) => i.direction === "outbound");
      const times = responseTimes.get(start.channel) ?? [];
      if (reply) times.push((reply.ms - start.ms) / 1000);
      responseTimes.set(start.channel, times);
    }

    let answeredLater = false;
    for (let k = timeline.length - 1; k >= 0; k -= 1) {
      const interaction = timeline[k]!;
      if (interaction.direction === "outbound") {
        answeredLater = true;
        continue;
      }
      increment(inbound, interaction.channel);
      if (!answeredLater) increment(unanswered, interaction.channel);
    }

    if (conversation.status === "resolved") {
      resolved += 1;
      switchSum += switches;
      switchCounts.set(switches, (switchCounts.get(switches) ?? 0) + 1);
      const resolvedMs = parseTime(
        conversation.resolvedAt ?? conversation.lastAt,
        "journey metrics input",
        `conversations[${conversation.id}].resolvedAt`,
      );
      const contacts = inboundByProfile.get(conversation.profileId) ?? [];
      if (contacts.some((ms) => ms > resolvedMs && ms <= resolvedMs + windowMs)) repeated += 1;
    }
  }

  const sortedChannels = [...channels].sort(compareStrings);
  const transitionList: ChannelTransition[] = [];
  for (const from of [...transitions.keys()].sort(compareStrings)) {
    const row = transitions.get(from)!;
    for (const to of [...row.keys()].sort(compareStrings)) transitionList.push({ from, to, count: row.get(to)! });
  }

  const firstResponseByChannel = [...firstInbound.keys()].sort(compareStrings).map((channel) => ({
    channel,
    ...responseStats(firstInbound.get(channel)!, responseTimes.get(channel) ?? []),
  }));
  const allTimes = [...responseTimes.values()].flat();
  const unansweredByChannel = [...inbound.keys()].sort(compareStrings).map((channel) => ({
    channel,
    ...unansweredStats(inbound.get(channel)!, unanswered.get(channel) ?? 0),
  }));

  return {
    range: {
      from: fromMs === null ? null : new Date(fromMs).toISOString(),
      to: toMs === null ? null : new Date(toMs).toISOString(),
    },
    conversations: conversations.length,
    interactions: interactionCount,
    channels: sortedChannels,
    transitions: transitionList,
    totalTransitions,
    multiChannel: {
      conversations: conversations.length,
      multiChannel,
      share: ratio(multiChannel, conversations.length),
    },
    repeatContact: { windowDays, resolved, repeated, rate: ratio(repeated, resolved) },
    firstResponse: {
      ...responseStats(sum(firstInbound.values()), allTimes),
      byChannel: firstResponseByChannel,
    },
    unansweredInbound: {
      ...unansweredStats(sum(inbound.values()), sum(unanswered.values())),
      byChannel: unansweredByChannel,
    },
    switchesPerResolved: {
      resolved,
      mean: ratio(switchSum, resolved),
      distribution: [...switchCounts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([switches, count]) => ({ switches, conversations: count })),
    },
  };
}

function boundMs(value: string | Date | undefined, path: "from" | "to"): number | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : parseTime(value, "journey metrics range", path);
  if (Number.isNaN(ms))
    throw new InvalidInputError("journey metrics range", [
      { path: [path], code: "invalid_type", message: "is an invalid Date" },
    ]);
  return ms;
}

function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function responseStats(conversations: number, times: number[]): FirstResponseStats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    conversations,
    responded: sorted.length,
    medianSeconds: quantile(sorted, 0.5),
    p90Seconds: quantile(sorted, 0.9),
  };
}

function unansweredStats(inbound: number, unanswered: number): UnansweredInboundStats {
  return { inbound, unanswered, rate: ratio(unanswered, inbound) };
}
