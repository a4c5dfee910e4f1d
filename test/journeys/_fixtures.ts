/**
 * Example data for the journey tests, docs and pictures: a loan journey across web, phone, email, store
 * and social, and a seeded generator of many conversations. Not part of the public API.
 *
 * @module
 */

import { mulberry32 as random } from "../../src/_lib/random.js";
import type { Alert, Conversation, CustomerSnapshot, Interaction, Presentation } from "../../src/schema/outputs.js";

const PROFILE = "p-jan";

function interaction(
  id: string,
  conversationId: string,
  channel: string,
  direction: "inbound" | "outbound",
  at: string,
  subject: string,
  extra: Partial<Interaction> = {},
): Interaction {
  return {
    id,
    profileId: PROFILE,
    conversationId,
    channel,
    direction,
    at,
    identifiers: [],
    tags: [],
    subject,
    ...extra,
  };
}

/** A customer who applies for a loan on the web, calls, emails documents, signs in a branch, and complains on social. */
export function loanJourneySnapshot(): CustomerSnapshot {
  const timeline: Interaction[] = [
    interaction(
      "i01",
      "c-complaint",
      "social",
      "inbound",
      "2026-02-27T21:10:00.000Z",
      "Card blocked abroad & fees <urgent>",
      {
        text: "My card was blocked in Lisbon and I was charged 3 fees. Nobody answers the hotline!",
      },
    ),
    interaction("i02", "c-complaint", "social", "outbound", "2026-02-28T09:05:00.000Z", "Re: Card blocked abroad", {
      agent: "Social team",
    }),
    interaction("i03", "c-loan", "web", "inbound", "2026-03-02T09:14:00.000Z", "Personal loan application L-2291", {
      text: "Amount 40 000 PLN, 48 months",
    }),
    interaction(
      "i04",
      "c-loan",
      "web",
      "outbound",
      "2026-03-02T09:14:30.000Z",
      "Application received — reference L-2291",
    ),
    interaction("i05", "c-loan", "phone", "inbound", "2026-03-03T11:02:00.000Z", "Question about the APR on L-2291"),
    interaction("i06", "c-loan", "phone", "outbound", "2026-03-03T11:20:00.000Z", "Call-back: APR explained", {
      agent: "M. Wiśniewska",
    }),
    interaction("i07", "c-loan", "email", "outbound", "2026-03-04T08:30:00.000Z", "Documents needed for L-2291"),
    interaction("i08", "c-loan", "email", "inbound", "2026-03-05T19:45:00.000Z", "Re: Documents needed for L-2291"),
    interaction("i09", "c-loan", "email", "outbound", "2026-03-06T10:00:00.000Z", "Documents accepted"),
    interaction("i10", "c-complaint", "social", "inbound", "2026-03-07T16:40:00.000Z", "Still no refund of the fees"),
    interaction("i11", "c-loan", "store", "inbound", "2026-03-09T14:30:00.000Z", "Branch visit: signing L-2291"),
    interaction("i12", "c-loan", "store", "outbound", "2026-03-09T14:55:00.000Z", "Loan agreement signed"),
    interaction("i13", "c-card", "sms", "outbound", "2026-03-10T08:00:00.000Z", "Your new card is on its way"),
    interaction("i14", "c-card", "sms", "inbound", "2026-03-10T08:03:00.000Z", "Thanks"),
  ];
  const conversation = (
    id: string,
    subject: string,
    status: "open" | "resolved",
    extra: Partial<Conversation> = {},
  ): Conversation => {
    const items = timeline.filter((i) => i.conversationId === id);
    return {
      id,
      profileId: PROFILE,
      status,
      channels: [...new Set(items.map((i) => i.channel))],
      interactionIds: items.map((i) => i.id),
      tags: [],
      subject,
      startedAt: items[0]!.at,
      lastAt: items[items.length - 1]!.at,
      ...extra,
    };
  };
  const conversations = [
    conversation("c-complaint", "Complaint: card blocked abroad & fees <urgent>", "open", { tags: ["complaint"] }),
    conversation("c-loan", "Personal loan application L-2291", "resolved", { resolvedAt: "2026-03-09T15:00:00.000Z" }),
    conversation("c-card", "Card delivery", "resolved", { resolvedAt: "2026-03-10T09:00:00.000Z" }),
  ];
  const offers: Presentation[] = [
    {
      id: "pr1",
      profileId: PROFILE,
      offerId: "loan-personal",
      offerVersion: 1,
      channel: "web",
      at: "2026-03-02T09:14:00.000Z",
      terms: { apr: 7.9, months: 48 },
    },
    {
      id: "pr2",
      profileId: PROFILE,
      offerId: "loan-personal",
      offerVersion: 1,
      channel: "phone",
      at: "2026-03-03T11:20:00.000Z",
      terms: { apr: 8.9, months: 48 },
      agent: "M. Wiśniewska",
    },
  ];
  const alerts: Alert[] = [
    {
      kind: "open-complaint",
      severity: "error",
      message: "Open complaint on social since 27 Feb: card blocked abroad & fees",
      conversationId: "c-complaint",
      channel: "social",
      since: "2026-02-27T21:10:00.000Z",
    },
    {
      kind: "unanswered",
      severity: "warning",
      message: "Inbound social message unanswered since 7 Mar",
      conversationId: "c-complaint",
      interactionId: "i10",
      channel: "social",
      since: "2026-03-07T16:40:00.000Z",
    },
  ];
  return {
    profile: {
      id: PROFILE,
      traits: { name: "Jan Kowalski" },
      createdAt: "2026-02-27T21:10:00.000Z",
      updatedAt: "2026-03-10T08:03:00.000Z",
    },
    identifiers: [],
    openConversations: [],
    conversations,
    timeline,
    timelineHasMore: false,
    channelSwitches: [],
    offers,
    alerts,
  };
}

const NEXT_CHANNEL: Record<string, Array<[string, number]>> = {
  web: [
    ["phone", 5],
    ["email", 3],
    ["chat", 3],
    ["store", 1],
  ],
  chat: [
    ["phone", 3],
    ["email", 2],
    ["web", 1],
  ],
  phone: [
    ["email", 4],
    ["store", 3],
    ["sms", 2],
    ["web", 1],
  ],
  email: [
    ["phone", 3],
    ["store", 2],
    ["web", 1],
  ],
  store: [
    ["phone", 2],
    ["email", 1],
  ],
  social: [
    ["phone", 2],
    ["chat", 2],
    ["email", 1],
  ],
  sms: [
    ["phone", 2],
    ["web", 1],
  ],
};

function pick(rng: () => number, options: Array<[string, number]>): string {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [value, weight] of options) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return options[options.length - 1]![0];
}

/** `count` generated conversations over March 2026, with their interactions, from a fixed seed. */
export function generatedJourneys(
  count = 50,
  seed = 7,
): { conversations: Conversation[]; interactions: Interaction[] } {
  const rng = random(seed);
  const conversations: Conversation[] = [];
  const interactions: Interaction[] = [];
  const responseMinutes: Record<string, number> = {
    web: 20,
    chat: 2,
    phone: 1,
    email: 240,
    store: 5,
    social: 90,
    sms: 60,
  };
  for (let c = 0; c < count; c += 1) {
    const id = `c${String(c).padStart(3, "0")}`;
    const profileId = `p${String(Math.floor(c * 0.8)).padStart(3, "0")}`;
    let ms = Date.UTC(2026, 2, 1) + Math.floor(rng() * 28 * 24 * 60) * 60_000;
    let channel = pick(rng, [
      ["web", 5],
      ["phone", 4],
      ["email", 3],
      ["chat", 2],
      ["social", 1],
      ["store", 1],
    ]);
    const steps = 1 + Math.floor(rng() * 3.2);
    const items: Interaction[] = [];
    for (let s = 0; s < steps; s += 1) {
      if (s > 0) {
        channel = pick(rng, NEXT_CHANNEL[channel]!);
        ms += Math.floor((0.2 + rng() * 48) * 3_600_000);
      }
      items.push(base(`${id}-${s}a`, id, profileId, channel, "inbound", ms));
      if (rng() < 0.85) {
        const delay = responseMinutes[channel]! * (0.3 + rng() * 2.5) * 60_000;
        ms += Math.round(delay / 1000) * 1000;
        items.push(base(`${id}-${s}b`, id, profileId, channel, "outbound", ms));
      }
    }
    const resolved = rng() < 0.7;
    const last = items[items.length - 1]!;
    conversations.push({
      id,
      profileId,
      status: resolved ? "resolved" : "open",
      channels: [...new Set(items.map((i) => i.channel))],
      interactionIds: items.map((i) => i.id),
      tags: [],
      startedAt: items[0]!.at,
      lastAt: last.at,
      ...(resolved ? { resolvedAt: last.at } : {}),
    });
    interactions.push(...items);
  }
  return { conversations, interactions };
}

function base(
  id: string,
  conversationId: string,
  profileId: string,
  channel: string,
  direction: "inbound" | "outbound",
  ms: number,
): Interaction {
  return {
    id,
    profileId,
    conversationId,
    channel,
    direction,
    at: new Date(ms).toISOString(),
    identifiers: [],
    tags: [],
  };
}
