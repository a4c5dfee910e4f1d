/**
 * The bank-journey scenario: a loan application started on the website, continued on the
 * hotline, followed up by email and signed in a branch, while an agent quotes a different APR
 * and the customer has an open complaint on social media.
 *
 * @module
 */
import {
  type CustomerContext,
  type CustomerContextEvent,
  type CustomerSnapshot,
  createCustomerContext,
  renderTimelineSvg,
  type StorageAdapter,
  type Violation,
} from "customer-context";

/** Options of {@link runBankJourney}. */
export interface BankJourneyOptions {
  /** Where the evidence lives. Default: the in-memory adapter (no server, nothing on disk). */
  storage?: StorageAdapter;
}

/** What {@link runBankJourney} produced, for printing or checking. */
export interface BankJourney {
  /** The context, still open: close it when done. */
  cc: CustomerContext;
  /** The identifiers the customer used, as the channels saw them. */
  customer: {
    email: { type: "email"; value: string };
    phone: { type: "phone"; value: string };
    crmId: { type: "crmId"; value: string };
    loyaltyCard: { type: "loyaltyCard"; value: string };
    social: { type: "twitter"; value: string };
  };
  /** What a contact-centre agent sees, looked up by the phone number of the caller. */
  view: CustomerSnapshot;
  /** How every identifier of the profile is linked (`cc.profiles.explain`). */
  explanation: Awaited<ReturnType<CustomerContext["profiles"]["explain"]>>;
  /** The violations of every recorded presentation (`cc.offers.audit`). */
  violations: Violation[];
  /** Every event delivered to `cc.subscribe` during the scenario, in order. */
  events: CustomerContextEvent[];
  /** The customer's timeline as an SVG document (`renderTimelineSvg`). */
  svg: string;
}

/** The moment the agent looks at the customer: after the branch visit. */
export const BANK_JOURNEY_NOW = "2026-04-06T09:00:00Z";

/** The case reference printed on the loan application, quoted by the customer on every channel. */
export const CASE_REF = "LN-7781";

/**
 * Runs the bank-journey scenario on a fresh customer context and returns what an agent sees.
 * Everything happens at fixed times in April 2026, so the output is the same on every run.
 *
 * @param options - `storage` (default: in memory)
 * @returns the open context, the agent's view, the identity explanation, violations, events and SVG
 *
 * @example
 * ```ts
 * const journey = await runBankJourney();
 * journey.view.conversations.find((c) => c.channels.includes("store"))?.channels;
 * // ["web", "phone", "email", "store"]
 * await journey.cc.close();
 * ```
 */
export async function runBankJourney(options: BankJourneyOptions = {}): Promise<BankJourney> {
  const cc = createCustomerContext({
    ...(options.storage !== undefined ? { storage: options.storage } : {}),
    identity: { defaultRegion: "PL" },
    clock: () => new Date(BANK_JOURNEY_NOW),
  });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((event) => events.push(event));

  const customer = {
    email: { type: "email", value: "Anna.Kowalska@kowalska.name" },
    phone: { type: "phone", value: "601 234 567" },
    crmId: { type: "crmId", value: "CRM-104233" },
    loyaltyCard: { type: "loyaltyCard", value: "LC 5520 1187" },
    social: { type: "twitter", value: "@anna_k_krakow" },
  } as const;

  // The bank's catalogue: the personal loan (terms the customer applied for) and a marketing offer.
  await cc.offers.define({
    id: "personal-loan",
    name: "Personal loan 36 months",
    category: "transactional",
    terms: { apr: 5.9, fee: 0 },
    validFrom: "2026-03-01T00:00:00Z",
  });
  await cc.offers.define({
    id: "cashback-card",
    name: "Cashback credit card",
    category: "marketing",
    terms: { cashback: 2, fee: 0 },
    channels: ["email", "web"],
  });

  // 1 Apr, website: the loan application form gives the email and the name. Case LN-7781 opens.
  await cc.identify({
    identifiers: [customer.email],
    traits: { name: "Anna Kowalska", city: "Kraków" },
    channel: "web",
    source: "loan-form",
    at: "2026-04-01T09:05:00Z",
  });
  await cc.offers.present({
    customer: [customer.email],
    offerId: "personal-loan",
    channel: "web",
    at: "2026-04-01T09:10:00Z",
    terms: { apr: 5.9, fee: 0 },
  });
  await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:12:00Z",
    customer: [customer.email],
    externalId: "form-88213",
    subject: `Loan application ${CASE_REF}`,
    text: "Personal loan 20 000 PLN over 36 months at the advertised APR 5.9%.",
  });
  await cc.consent({ customer: [customer.email], channel: "email", granted: true, at: "2026-04-01T09:12:00Z" });

  // 2 Apr, social media: a complaint about another product, linked to the email by the social team.
  await cc.record({
    channel: "social",
    direction: "inbound",
    at: "2026-04-02T18:40:00Z",
    customer: [customer.social, customer.email],
    externalId: "tw-1776001122",
    subject: "Card fee charged twice",
    text: "@bank you charged my card fee twice this month and nobody answers my messages!",
    tags: ["complaint"],
  });

  // 3 Apr, hotline: rates went up overnight (a new version of the offer). The customer calls from
  // the phone; the agent finds the application by its case reference and links the caller's phone
  // to the email of the application and to the CRM record: that observation merges the profiles.
  await cc.offers.define({
    id: "personal-loan",
    name: "Personal loan 36 months",
    category: "transactional",
    terms: { apr: 6.9, fee: 0 },
    validFrom: "2026-04-03T00:00:00Z",
  });
  await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-03T10:05:00Z",
    customer: [customer.phone],
    externalId: "call-55102",
    caseRef: CASE_REF,
    text: "Asks about the status of the loan application and the monthly instalment.",
    agent: "Marek (hotline)",
  });
  await cc.identify({
    identifiers: [customer.phone, customer.email, customer.crmId],
    channel: "phone",
    source: "hotline-agent",
    at: "2026-04-03T10:07:00Z",
  });
  await cc.offers.present({
    customer: [customer.phone],
    offerId: "personal-loan",
    channel: "phone",
    at: "2026-04-03T10:09:00Z",
    terms: { apr: 6.9, fee: 0 },
    agent: "Marek (hotline)",
  });
  await cc.record({
    channel: "phone",
    direction: "outbound",
    at: "2026-04-03T10:12:00Z",
    customer: [customer.phone],
    externalId: "call-55102-answer",
    caseRef: CASE_REF,
    text: "Quoted APR 6.9% and promised the agreement by email.",
    agent: "Marek (hotline)",
  });

  // 3–4 Apr, email: the follow-up with the agreement, and the customer's reply in the same thread.
  await cc.record({
    channel: "email",
    direction: "outbound",
    at: "2026-04-03T14:00:00Z",
    customer: [customer.email],
    subject: `Your loan agreement ${CASE_REF}`,
    text: "Please find the draft agreement attached. You can sign it in any branch.",
    email: { messageId: "<agreement-7781@bank.example>" },
  });
  await cc.record({
    channel: "email",
    direction: "inbound",
    at: "2026-04-04T08:30:00Z",
    customer: [customer.email],
    subject: `Re: Your loan agreement ${CASE_REF}`,
    text: "Thank you, I will come to the Rynek branch on Saturday.",
    email: { messageId: "<CAK1-anna-reply@mail.example.com>", inReplyTo: "<agreement-7781@bank.example>" },
  });

  // 4 Apr, marketing: a campaign emails the cashback card while the complaint is still open.
  await cc.offers.present({
    customer: [customer.email],
    offerId: "cashback-card",
    channel: "email",
    at: "2026-04-04T12:00:00Z",
    terms: { cashback: 2, fee: 0 },
  });

  // 5 Apr, branch: the customer signs in, identified by the CRM record and the loyalty card.
  await cc.record({
    channel: "store",
    direction: "inbound",
    at: "2026-04-05T11:00:00Z",
    customer: [customer.crmId, customer.loyaltyCard],
    externalId: "branch-rynek-visit-3391",
    caseRef: CASE_REF,
    text: "Signed the loan agreement at the Rynek branch; ID checked.",
    agent: "Ewa (Rynek branch)",
  });
  await cc.record({
    channel: "store",
    direction: "outbound",
    at: "2026-04-05T11:20:00Z",
    customer: [customer.crmId],
    externalId: "branch-rynek-visit-3391-copy",
    caseRef: CASE_REF,
    text: "Countersigned agreement handed over; first instalment due 5 May.",
    agent: "Ewa (Rynek branch)",
  });

  const view = await cc.context({ identifier: customer.phone });
  if (view === null) throw new Error("The customer is unknown after the scenario: this is a bug");
  const explanation = await cc.profiles.explain(view.profile.id);
  const violations = await cc.offers.audit();
  const svg = renderTimelineSvg(view);
  return { cc, customer, view, explanation, violations, events, svg };
}
