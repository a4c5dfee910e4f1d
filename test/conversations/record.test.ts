import { describe, expect, it } from "vitest";
import { type CustomerContextEvent, createCustomerContext } from "../../src/index.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const at = (d: number, h: number, m = 0) =>
  `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00Z`;

function setup(now = at(30, 0)) {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(now) });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events };
}

describe("scenarios: one conversation the agent sees whole", () => {
  it("a loan application started on the web, continued on the hotline and signed in the branch", async () => {
    const { cc } = setup();
    const jan = email("jan.kowalski@poczta.pl");
    await cc.identify({
      identifiers: [jan, phone("601 234 567")],
      traits: { name: "Jan Kowalski" },
      channel: "web",
      at: at(1, 9),
    });
    const web = await cc.record({
      channel: "web",
      direction: "inbound",
      at: at(1, 9),
      customer: [jan],
      subject: "Loan application LN-7781",
      text: "I would like a personal loan of 20 000 PLN",
    });
    const call = await cc.record({
      channel: "phone",
      direction: "inbound",
      at: at(2, 10),
      customer: [phone("+48601234567")],
      text: "Calling about my application LN-7781",
      agent: "Ola",
    });
    const mail = await cc.record({
      channel: "email",
      direction: "outbound",
      at: at(2, 15),
      customer: [jan],
      subject: "Re: Loan application LN-7781",
      email: { messageId: "<m1@bank.example>" },
      agent: "Ola",
    });
    const branch = await cc.record({
      channel: "store",
      direction: "inbound",
      at: at(4, 12),
      customer: [{ type: "crmId", value: "C-100" }, jan],
      caseRef: "LN-7781",
      text: "Contract signed",
    });
    expect(new Set([web, call, mail, branch].map((r) => r.conversationId)).size).toBe(1);
    const view = await cc.context({ identifier: phone("601234567") });
    expect(view?.conversations).toHaveLength(1);
    expect(view?.conversations[0]?.channels).toEqual(["web", "phone", "email", "store"]);
    expect(view?.timeline.map((i) => i.channel)).toEqual(["web", "phone", "email", "store"]);
    expect(view?.channelSwitches.map((s) => `${s.from}>${s.to}`)).toEqual(["web>phone", "phone>email", "email>store"]);
  });

  it("IVR self-service handed off to a live agent", async () => {
    const { cc } = setup();
    const caller = [phone("601234567")];
    const ivr = await cc.record({
      channel: "ivr",
      direction: "inbound",
      at: at(1, 9),
      customer: caller,
      text: "menu 3: card blocked",
    });
    const agent = await cc.record({
      channel: "phone",
      direction: "inbound",
      at: at(10, 9),
      customer: caller,
      continues: ivr.conversationId,
    });
    expect(agent.conversationId).toBe(ivr.conversationId);
  });

  it("web to a voice agent, by explicit handoff", async () => {
    const { cc } = setup();
    const web = await cc.record({
      channel: "web",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("a@x.pl")],
      text: "callback please",
    });
    const call = await cc.record({
      channel: "phone",
      direction: "outbound",
      // Ten days later, well outside the 3-day continuation window: only `continues` joins them.
      at: at(11, 9),
      customer: { profileId: web.profileId },
      continues: web.conversationId,
    });
    expect(call.conversationId).toBe(web.conversationId);
  });

  it("email to the contact centre, by the continuation window", async () => {
    const { cc } = setup();
    const mail = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("a@x.pl")],
      subject: "Card not working",
      email: { messageId: "<q1@x.pl>" },
    });
    const call = await cc.record({
      channel: "phone",
      direction: "inbound",
      at: at(2, 9),
      customer: [email("a@x.pl")],
      text: "about my email",
    });
    expect(call.conversationId).toBe(mail.conversationId);
  });

  it("chat to finish an interaction, by the native thread key", async () => {
    const { cc } = setup();
    const c = [email("a@x.pl")];
    const first = await cc.record({
      channel: "chat",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      threadKey: "T-1",
      text: "hi",
    });
    await cc.record({ channel: "email", direction: "inbound", at: at(1, 10), customer: c, subject: "Other topic" });
    const late = await cc.record({
      channel: "chat",
      direction: "outbound",
      at: at(20, 9),
      customer: c,
      threadKey: "T-1",
      text: "done?",
    });
    expect(late.conversationId).toBe(first.conversationId);
  });

  it("a social-media complaint to customer service", async () => {
    const { cc } = setup();
    const social = await cc.record({
      channel: "social",
      direction: "inbound",
      at: at(1, 9),
      customer: [{ type: "social", value: "@jan" }, email("a@x.pl")],
      text: "Worst bank ever #45678",
      tags: ["complaint"],
    });
    const reply = await cc.record({
      channel: "email",
      direction: "outbound",
      at: at(6, 9),
      customer: [email("a@x.pl")],
      subject: "Your complaint #45678",
    });
    expect(reply.conversationId).toBe(social.conversationId);
    const view = await cc.context({ identifier: email("a@x.pl") });
    expect(view?.conversations[0]?.tags).toEqual(["complaint"]);
    expect(view?.alerts.map((a) => a.kind)).toContain("open-complaint");
  });

  it("a service SMS answered by text", async () => {
    const { cc } = setup();
    const sms = await cc.record({
      channel: "sms",
      direction: "outbound",
      at: at(1, 9),
      customer: [phone("601234567")],
      threadKey: "+48601234567",
      text: "Your card is ready. Reply YES to activate",
    });
    const yes = await cc.record({
      channel: "sms",
      direction: "inbound",
      at: at(9, 9),
      customer: [phone("601234567")],
      threadKey: "+48601234567",
      text: "YES",
    });
    expect(yes.conversationId).toBe(sms.conversationId);
  });
});

describe("stitching rules", () => {
  it("threads email by headers even outside the window, and only then by subject", async () => {
    const { cc } = setup();
    const c = [email("a@x.pl")];
    const q = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      subject: "Invoice",
      email: { messageId: "<a@x.pl>" },
    });
    const other = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 10),
      customer: c,
      subject: "Address change",
      email: { messageId: "<b@x.pl>" },
    });
    const reply = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(20, 9),
      customer: c,
      subject: "Re: Invoice",
      email: { messageId: "<c@x.pl>", inReplyTo: "<a@x.pl>", references: ["<a@x.pl>"] },
    });
    expect(other.conversationId).not.toBe(q.conversationId);
    expect(reply.conversationId).toBe(q.conversationId);
  });

  it("reopens a resolved conversation on an explicit link within the reopen window, else links a new one back", async () => {
    const { cc } = setup();
    const c = [email("a@x.pl")];
    const first = await cc.record({
      channel: "chat",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      threadKey: "T-9",
    });
    const resolver = createCustomerContext({ storage: cc.storage, clock: () => new Date(at(1, 12)) });
    await resolver.conversations.resolve(first.conversationId);
    const reopened = await cc.record({
      channel: "chat",
      direction: "inbound",
      at: at(3, 9),
      customer: c,
      threadKey: "T-9",
    });
    expect(reopened.conversationId).toBe(first.conversationId);
    expect((await cc.conversations.get(first.conversationId))?.status).toBe("open");

    const second = createCustomerContext({ storage: cc.storage, clock: () => new Date(at(3, 12)) });
    await second.conversations.resolve(first.conversationId);
    const later = await cc.record({
      channel: "chat",
      direction: "inbound",
      at: at(25, 9),
      customer: c,
      threadKey: "T-9",
    });
    expect(later.conversationId).not.toBe(first.conversationId);
    expect((await cc.conversations.get(later.conversationId))?.previousId).toBe(first.conversationId);
    expect((await cc.conversations.get(first.conversationId))?.status).toBe("resolved");
  });

  it("an operator merge leaves a redirect and later interactions never land in the merged-away id", async () => {
    const { cc, events } = setup();
    const c = [email("a@x.pl")];
    const a = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      subject: "Card",
      threadKey: "x",
    });
    const b = await cc.record({ channel: "email", direction: "inbound", at: at(1, 10), customer: c, subject: "Loan" });
    expect(a.conversationId).not.toBe(b.conversationId);
    const merged = await cc.conversations.merge(a.conversationId, b.conversationId);
    expect(merged.id).toBe(b.conversationId);
    expect(merged.interactionIds).toEqual([a.interactionId, b.interactionId]);
    expect((await cc.conversations.get(a.conversationId))?.id).toBe(b.conversationId);
    const next = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 11),
      customer: c,
      threadKey: "x",
    });
    expect(next.conversationId).toBe(b.conversationId);
    expect(events.some((e) => e.type === "conversation.merged")).toBe(true);
  });

  it("re-stitches when identity merges two profiles, and splits back on unmerge", async () => {
    const { cc } = setup();
    const byMail = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("a@x.pl")],
      text: "hello",
    });
    const byPhone = await cc.record({
      channel: "phone",
      direction: "inbound",
      at: at(1, 10),
      customer: [phone("601234567")],
      text: "it's me again",
    });
    expect(byMail.profileId).not.toBe(byPhone.profileId);
    await cc.identify({ identifiers: [email("a@x.pl"), phone("601234567")], at: at(1, 11) });
    const merged = await cc.context({ identifier: email("a@x.pl") });
    expect(merged?.conversations).toHaveLength(1);
    expect(merged?.conversations[0]?.channels).toEqual(["email", "phone"]);
    expect((await cc.conversations.get(byPhone.conversationId))?.id).toBe(byMail.conversationId);

    await cc.profiles.unmerge(byMail.profileId, phone("601234567"), { reason: "different people" });
    const mail = await cc.context({ identifier: email("a@x.pl") });
    const tel = await cc.context({ identifier: phone("601234567") });
    expect(mail?.conversations.map((c) => c.id)).toEqual([byMail.conversationId]);
    expect(tel?.conversations.map((c) => c.id)).toEqual([byPhone.conversationId]);
    expect(tel?.profile.id).toBe(byPhone.profileId);
  });

  it("late and out-of-order deliveries land in their place on the timeline", async () => {
    const { cc } = setup();
    const c = [email("a@x.pl")];
    await cc.record({ channel: "chat", direction: "inbound", at: at(1, 12), customer: c, externalId: "3" });
    await cc.record({ channel: "chat", direction: "inbound", at: at(1, 10), customer: c, externalId: "1" });
    await cc.record({ channel: "chat", direction: "outbound", at: at(1, 11), customer: c, externalId: "2" });
    const view = await cc.context({ identifier: email("a@x.pl") });
    expect(view?.timeline.map((i) => i.externalId)).toEqual(["1", "2", "3"]);
    expect(view?.conversations).toHaveLength(1);
  });

  it("records idempotently: same (channel, externalId) or the same Message-ID", async () => {
    const { cc, events } = setup();
    const c = [email("a@x.pl")];
    const first = await cc.record({
      channel: "sms",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      externalId: "wh-1",
      text: "x",
    });
    const before = await cc.context({ identifier: email("a@x.pl") });
    const count = events.length;
    const again = await cc.record({
      channel: "sms",
      direction: "inbound",
      at: at(1, 9),
      customer: c,
      externalId: "wh-1",
      text: "x",
    });
    expect(again).toEqual({ ...first, duplicate: true });
    const m1 = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 10),
      customer: c,
      email: { messageId: "<m@x>" },
    });
    const m2 = await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 10),
      customer: c,
      externalId: "other",
      email: { messageId: "m@x" },
    });
    expect(m2).toEqual({ ...m1, duplicate: true });
    expect(events.length).toBe(count + events.slice(count).length);
    const after = await cc.context({ identifier: email("a@x.pl") });
    expect(after?.timeline).toHaveLength((before?.timeline.length ?? 0) + 1);
  });

  it("raises an alert for an inbound message with no reply within the SLA", async () => {
    const cc = createCustomerContext({
      conversations: { sla: { social: { hours: 1 }, default: { hours: 48 } } },
      clock: () => new Date(at(1, 12)),
    });
    await cc.record({
      channel: "social",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("a@x.pl")],
      text: "hello?",
    });
    await cc.record({
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("b@x.pl")],
      text: "hello?",
    });
    const a = await cc.context({ identifier: email("a@x.pl") });
    const b = await cc.context({ identifier: email("b@x.pl") });
    expect(a?.alerts).toEqual([expect.objectContaining({ kind: "unanswered", channel: "social" })]);
    expect(b?.alerts).toEqual([]);
  });

  it("returns null for an unknown customer", async () => {
    const { cc } = setup();
    expect(await cc.context({ identifier: email("nobody@x.pl") })).toBeNull();
    expect(await cc.context({ profileId: "prof_unknown" })).toBeNull();
  });
});

describe("bad input gets invalid_input naming the field, and nothing is written", () => {
  const good = { channel: "chat", direction: "inbound" as const, at: at(1, 9), customer: [email("a@x.pl")] };
  it.each([
    ["an unknown direction", { ...good, direction: "sideways" }, "direction"],
    ["an empty customer", { ...good, customer: [] }, "customer"],
    ["an invalid date", { ...good, at: "2026-13-45" }, "at"],
    ["a date without an offset", { ...good, at: "2026-04-01T09:00:00" }, "at"],
    ["a text over the size limit", { ...good, text: "x".repeat(65_537) }, "text"],
    ["a typo in a key", { ...good, chanel: "chat" }, "chanel"],
  ])("%s", async (_name, input, path) => {
    const { cc, events } = setup();
    const error = await cc.record(input as never).catch((e) => e);
    expect(error.code).toBe("invalid_input");
    expect(error.details.map((d: { path: string[] }) => d.path.join("."))).toContain(path);
    expect(events).toEqual([]);
    expect(await cc.profiles.find(email("a@x.pl"))).toBeNull();
  });

  it("an unknown conversation in continues is not_found and writes nothing", async () => {
    const { cc } = setup();
    const error = await cc.record({ ...good, continues: "conv_nope" }).catch((e) => e);
    expect(error.code).toBe("not_found");
    expect(await cc.profiles.find(email("a@x.pl"))).toBeNull();
  });
});
