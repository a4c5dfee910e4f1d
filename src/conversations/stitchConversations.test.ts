import { describe, expect, it } from "vitest";
import { conversationIdFor, type StitchInteraction, stitchConversations } from "./stitchConversations.js";

const options = { window: { days: 3 }, reopenWindow: { days: 14 } };
const t = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00.000Z`;
const x = (id: string, day: number, more: Partial<StitchInteraction> = {}): StitchInteraction => ({
  id,
  channel: "web",
  direction: "inbound",
  at: t(day),
  ...more,
});

describe("stitchConversations", () => {
  it("joins across channels by the first rule that applies, and says which rule it was", () => {
    const [conversation, ...rest] = stitchConversations(
      [
        x("i1", 1, { messageId: "<q1@x.pl>", subject: "card" }),
        x("i2", 1, { channel: "email", refs: ["<q1@x.pl>"] }),
        x("i3", 20, { channel: "phone", continuesVia: "i2" }),
        x("i4", 21, { channel: "chat" }),
      ],
      [],
      options,
    );
    expect(rest).toEqual([]);
    expect(conversation).toMatchObject({
      id: conversationIdFor("i1"),
      status: "open",
      interactionIds: ["i1", "i2", "i3", "i4"],
      channels: ["web", "email", "phone", "chat"],
      subject: "card",
      startedAt: t(1),
      lastAt: t(21),
      joinedBy: { i1: "new", i2: "email-thread", i3: "continues", i4: "time-window" },
    });
  });

  it("starts a new conversation outside the window, or when the subjects differ", () => {
    const conversations = stitchConversations(
      [x("i1", 1, { subject: "card" }), x("i2", 2, { subject: "loan" }), x("i3", 10)],
      [],
      options,
    );
    expect(conversations.map((c) => c.interactionIds)).toEqual([["i1"], ["i2"], ["i3"]]);
  });

  it("gives the same conversations whatever order the evidence comes in", () => {
    const interactions = [
      x("i1", 1, { caseRef: "LN-1" }),
      x("i2", 2, { channel: "phone" }),
      x("i3", 9, { channel: "branch", caseRef: "LN-1" }),
      x("i4", 9, { channel: "sms", threadKey: "t1" }),
      x("i5", 30, { channel: "sms", threadKey: "t1" }),
    ];
    const decisions = [{ kind: "resolve" as const, id: "d1", interactionId: "i1", at: t(10) }];
    const forward = stitchConversations(interactions, decisions, options);
    expect(stitchConversations([...interactions].reverse(), decisions, options)).toEqual(forward);
  });

  it("reopens a resolved conversation on an explicit link within the reopen window, and links back after it", () => {
    const conversations = stitchConversations(
      [x("i1", 1, { caseRef: "LN-1" }), x("i2", 5, { caseRef: "LN-1" }), x("i3", 30, { caseRef: "LN-1" })],
      [
        { kind: "resolve", id: "d1", interactionId: "i1", at: t(2) },
        { kind: "resolve", id: "d2", interactionId: "i1", at: t(6) },
      ],
      options,
    );
    expect(conversations).toHaveLength(2);
    expect(conversations[0]).toMatchObject({ interactionIds: ["i1", "i2"], status: "resolved", resolvedAt: t(6) });
    expect(conversations[1]).toMatchObject({
      interactionIds: ["i3"],
      status: "open",
      previousId: conversations[0]?.id,
      joinedBy: { i3: "new" },
    });
  });

  it("applies an operator merge: one conversation with both interactions, the absorbed id recorded", () => {
    const [merged, ...rest] = stitchConversations(
      [x("i1", 1, { subject: "card" }), x("i2", 1, { channel: "phone", subject: "loan" })],
      [{ kind: "merge", id: "d1", from: "i2", into: "i1", at: t(2) }],
      options,
    );
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({
      id: conversationIdFor("i1"),
      interactionIds: ["i1", "i2"],
      channels: ["web", "phone"],
      absorbed: [conversationIdFor("i2")],
    });
  });
});
