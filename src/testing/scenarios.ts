import { interactionIdFor } from "../conversations/interactionIdFor.js";
import { conversationIdFor } from "../conversations/stitchConversations.js";

/** An identifier in a scenario. */
export interface ScenarioIdentifier {
  type: string;
  value: string;
}

/** One item of a scenario: the input of one method with its `kind`, as `cc.ingest` takes it. */
export type ScenarioItem = { kind: string } & Record<string, unknown>;

/** What a scenario must produce, as plain data with no ids (ids are hashes of the evidence). */
export interface ScenarioExpectation {
  /** Every profile, as the sorted `type:value` keys of its normalised identifiers; profiles sorted by their first key. */
  profiles: string[][];
  /** Every conversation: its channels in order of first use, and how many interactions it holds. Sorted by channels. */
  conversations: Array<{ channels: string[]; interactions: number }>;
  /** How many violations `offers.audit()` finds, per rule. Sorted by rule. */
  violations: Array<{ rule: string; count: number }>;
}

/** A documented journey as data, with the outcome it must have. */
export interface Scenario {
  /** A short kebab-case name. */
  name: string;
  /** What it shows, in one sentence. */
  description: string;
  /** Plain `createCustomerContext` options it needs (add your own `storage`). */
  options: { identity: { defaultRegion: "PL" } };
  /** The time to set the clock to (for example `testClock(scenario.now)`). */
  now: string;
  /** The evidence, in arrival order. */
  items: ScenarioItem[];
  /** The outcome, compared with {@link scenarioOutcome}. */
  expect: ScenarioExpectation;
}

const email = (value: string): ScenarioIdentifier => ({ type: "email", value });
const phone = (value: string): ScenarioIdentifier => ({ type: "phone", value });
const crm = (value: string): ScenarioIdentifier => ({ type: "crmId", value });
const at = (d: number, h: number, m = 0) =>
  `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00Z`;
/** The id `record` gives the conversation that an interaction with this channel and externalId starts. */
const conversationOf = (channel: string, externalId: string) =>
  conversationIdFor(interactionIdFor({ channel, externalId }));

const base = { options: { identity: { defaultRegion: "PL" as const } }, now: at(30, 0) };

const loan: Scenario = {
  ...base,
  name: "loan-web-hotline-branch",
  description:
    "A loan application started online, continued on the hotline and signed in the branch is one conversation.",
  items: [
    {
      kind: "identify",
      identifiers: [email("jan.kowalski@poczta.pl"), phone("601 234 567")],
      traits: { name: "Jan Kowalski" },
      channel: "web",
      at: at(1, 9),
      id: "form-1",
    },
    {
      kind: "record",
      channel: "web",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("jan.kowalski@poczta.pl")],
      externalId: "form-1",
      subject: "Loan application LN-7781",
      text: "I would like a personal loan of 20 000 PLN",
    },
    {
      kind: "record",
      channel: "phone",
      direction: "inbound",
      at: at(2, 10),
      customer: [phone("+48601234567")],
      externalId: "call-1",
      text: "Calling about my application LN-7781",
      agent: "Ola",
    },
    {
      kind: "record",
      channel: "email",
      direction: "outbound",
      at: at(2, 15),
      customer: [email("jan.kowalski@poczta.pl")],
      subject: "Re: Loan application LN-7781",
      email: { messageId: "<m1@bank.pl>" },
      agent: "Ola",
    },
    {
      kind: "record",
      channel: "store",
      direction: "inbound",
      at: at(4, 12),
      customer: [crm("C-100"), email("jan.kowalski@poczta.pl")],
      externalId: "branch-1",
      caseRef: "LN-7781",
      text: "Contract signed",
    },
  ],
  expect: {
    profiles: [["crmId:C-100", "email:jan.kowalski@poczta.pl", "phone:+48601234567"]],
    conversations: [{ channels: ["web", "phone", "email", "store"], interactions: 4 }],
    violations: [],
  },
};

const ivrToAgent: Scenario = {
  ...base,
  name: "ivr-to-agent",
  description: "IVR self-service handed off to a live agent days later, by an explicit handoff (`continues`).",
  items: [
    {
      kind: "record",
      channel: "ivr",
      direction: "inbound",
      at: at(1, 9),
      customer: [phone("601234567")],
      externalId: "ivr-1",
      text: "menu 3: card blocked",
    },
    {
      kind: "record",
      channel: "phone",
      direction: "inbound",
      at: at(10, 9),
      customer: [phone("601234567")],
      externalId: "call-2",
      continues: conversationOf("ivr", "ivr-1"),
    },
  ],
  expect: {
    profiles: [["phone:+48601234567"]],
    conversations: [{ channels: ["ivr", "phone"], interactions: 2 }],
    violations: [],
  },
};

const webToVoice: Scenario = {
  ...base,
  name: "web-to-voice",
  description:
    "A web callback request continued by a voice agent a week later, by an explicit handoff, outside any time window.",
  items: [
    {
      kind: "record",
      channel: "web",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("ala@poczta.pl")],
      externalId: "cb-1",
      text: "callback please",
    },
    {
      kind: "record",
      channel: "phone",
      direction: "outbound",
      at: at(8, 9),
      customer: [email("ala@poczta.pl")],
      externalId: "call-3",
      continues: conversationOf("web", "cb-1"),
    },
  ],
  expect: {
    profiles: [["email:ala@poczta.pl"]],
    conversations: [{ channels: ["web", "phone"], interactions: 2 }],
    violations: [],
  },
};

const emailToContactCentre: Scenario = {
  ...base,
  name: "email-to-contact-centre",
  description: "An email followed by a call the next day continues the same conversation (continuation window).",
  items: [
    {
      kind: "record",
      channel: "email",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("ola@poczta.pl")],
      subject: "Card not working",
      email: { messageId: "<q1@poczta.pl>" },
    },
    {
      kind: "record",
      channel: "phone",
      direction: "inbound",
      at: at(2, 9),
      customer: [email("ola@poczta.pl")],
      externalId: "call-4",
      text: "about my email",
    },
  ],
  expect: {
    profiles: [["email:ola@poczta.pl"]],
    conversations: [{ channels: ["email", "phone"], interactions: 2 }],
    violations: [],
  },
};

const chatCompletion: Scenario = {
  ...base,
  name: "chat-completion",
  description:
    "A chat finished weeks later on its native thread key, while an email in between opened its own conversation.",
  items: [
    {
      kind: "record",
      channel: "chat",
      direction: "inbound",
      at: at(1, 9),
      customer: [email("ewa@poczta.pl")],
      externalId: "chat-1",
      threadKey: "T-1",
      text: "hi",
    },
    {
      kind: "record",
      channel: "email",
      direction: "inbound",
      at: at(10, 10),
      customer: [email("ewa@poczta.pl")],
      externalId: "mail-9",
      subject: "Other topic",
    },
    {
      kind: "record",
      channel: "chat",
      direction: "outbound",
      at: at(20, 9),
      customer: [email("ewa@poczta.pl")],
      externalId: "chat-2",
      threadKey: "T-1",
      text: "done?",
    },
  ],
  expect: {
    profiles: [["email:ewa@poczta.pl"]],
    conversations: [
      { channels: ["chat"], interactions: 2 },
      { channels: ["email"], interactions: 1 },
    ],
    violations: [],
  },
};

const socialToService: Scenario = {
  ...base,
  name: "social-to-service",
  description: "A complaint on social media answered by email under its case number is one conversation.",
  items: [
    {
      kind: "record",
      channel: "social",
      direction: "inbound",
      at: at(1, 9),
      customer: [{ type: "social", value: "@jan" }, email("jan@poczta.pl")],
      externalId: "tw-1",
      text: "Worst bank ever #45678",
      tags: ["complaint"],
    },
    {
      kind: "record",
      channel: "email",
      direction: "outbound",
      at: at(6, 9),
      customer: [email("jan@poczta.pl")],
      externalId: "reply-1",
      subject: "Your complaint #45678",
    },
  ],
  expect: {
    profiles: [["email:jan@poczta.pl", "social:@jan"]],
    conversations: [{ channels: ["social", "email"], interactions: 2 }],
    violations: [],
  },
};

const smsReply: Scenario = {
  ...base,
  name: "sms-text-reply",
  description: "A service SMS answered by text a week later continues on the SMS thread key.",
  items: [
    {
      kind: "record",
      channel: "sms",
      direction: "outbound",
      at: at(1, 9),
      customer: [phone("601234567")],
      externalId: "sms-1",
      threadKey: "+48601234567",
      text: "Your card is ready. Reply YES to activate",
    },
    {
      kind: "record",
      channel: "sms",
      direction: "inbound",
      at: at(9, 9),
      customer: [phone("601234567")],
      externalId: "sms-2",
      threadKey: "+48601234567",
      text: "YES",
    },
  ],
  expect: {
    profiles: [["phone:+48601234567"]],
    conversations: [{ channels: ["sms"], interactions: 2 }],
    violations: [],
  },
};

const familyPhone: Scenario = {
  ...base,
  name: "shared-family-phone",
  description:
    "A phone seen with six different people is auto-blocked and stops linking them: six people and the phone on its own, not one profile.",
  items: ["anna", "bartek", "celina", "darek", "ela", "franek"].map((name, i) => ({
    kind: "identify",
    identifiers: [email(`${name}@poczta.pl`), phone("601000111")],
    at: at(i + 1, 9),
    id: `family-${name}`,
  })),
  expect: {
    profiles: [
      ...["anna", "bartek", "celina", "darek", "ela", "franek"].map((name) => [`email:${name}@poczta.pl`]),
      ["phone:+48601000111"],
    ],
    conversations: [],
    violations: [],
  },
};

const twoCrmIds: Scenario = {
  ...base,
  name: "two-crm-ids-one-email",
  description: "Two CRM records that share one (family) email stay two customers; the second link is refused.",
  items: [
    { kind: "identify", identifiers: [crm("A"), email("family@poczta.pl")], at: at(1, 9), id: "crm-a" },
    { kind: "identify", identifiers: [crm("B"), email("family@poczta.pl")], at: at(2, 9), id: "crm-b" },
  ],
  expect: {
    profiles: [["crmId:A", "email:family@poczta.pl"], ["crmId:B"]],
    conversations: [],
    violations: [],
  },
};

const aprByPhone: Scenario = {
  ...base,
  name: "apr-quoted-differently-by-phone",
  description:
    "An APR quoted on the phone differs from the catalogue and from what the web showed: parity and honour violations.",
  items: [
    {
      kind: "identify",
      identifiers: [email("anna@kowalska.name"), phone("601 234 567")],
      channel: "web",
      at: at(1, 9),
      id: "anna",
    },
    { kind: "offer", id: "loan", name: "Personal loan", category: "marketing", terms: { apr: 5.9 } },
    {
      kind: "present",
      customer: [email("anna@kowalska.name")],
      offerId: "loan",
      channel: "web",
      at: at(1, 9, 10),
      terms: { apr: 5.9 },
      externalId: "web-quote-1",
    },
    {
      kind: "present",
      customer: [phone("601 234 567")],
      offerId: "loan",
      channel: "phone",
      at: at(3, 10, 9),
      terms: { apr: 6.9 },
      externalId: "call-quote-1",
    },
  ],
  expect: {
    profiles: [["email:anna@kowalska.name", "phone:+48601234567"]],
    conversations: [],
    violations: [
      { rule: "honour", count: 1 },
      { rule: "parity", count: 1 },
    ],
  },
};

/**
 * The documented journeys as data, each with its expected outcome, to replay against your own
 * adapter or wrapper: the loan across web, hotline and branch; the six cross-channel transitions
 * (IVR→agent, web→voice, email→contact centre, chat completion, social→service, SMS→text reply);
 * a shared family phone; two CRM ids with one email; an APR quoted differently by phone.
 *
 * @example
 * ```ts
 * import { createCustomerContext } from "customer-context";
 * import { scenarioOutcome, scenarios, testClock } from "customer-context/testing";
 *
 * for (const scenario of scenarios) {
 *   const cc = createCustomerContext({ ...scenario.options, storage: memoryAdapter(), clock: testClock(scenario.now) });
 *   await cc.ingest(scenario.items);
 *   expect(await scenarioOutcome(cc, scenario)).toEqual(scenario.expect);
 * }
 * ```
 */
export const scenarios: readonly Scenario[] = Object.freeze([
  loan,
  ivrToAgent,
  webToVoice,
  emailToContactCentre,
  chatCompletion,
  socialToService,
  smsReply,
  familyPhone,
  twoCrmIds,
  aprByPhone,
]);
