/// <reference lib="dom" />
// The page the browser test loads: the whole context with the default in-memory adapter, used the way
// an agent console in a browser would use it. Results go to `window.customerContextResults`.
import { createCustomerContext, isCustomerContextError, renderTimelineSvg } from "customer-context";

export interface BrowserResults {
  ok: true;
  userAgent: string;
  profileId: string;
  sameProfile: boolean;
  created: boolean;
  interactions: { channel: string; conversationId: string }[];
  conversationChannels: string[][];
  identifierTypes: string[];
  offerOk: boolean;
  offerRules: string[];
  writesNothing: boolean;
  badInput: { code: string; path: (string | number)[] } | null;
  svg: { root: string; parseError: boolean; circles: number; hasSubject: boolean; length: number };
}

async function run(): Promise<BrowserResults> {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
  const first = await cc.identify({
    identifiers: [
      { type: "email", value: "Anna.Nowak@Poczta.PL" },
      { type: "phone", value: "601 234 567" },
    ],
    traits: { name: "Anna Nowak" },
    at: "2026-04-01T08:00:00Z",
  });
  const web = await cc.record({
    channel: "web",
    direction: "inbound",
    at: "2026-04-01T09:00:00Z",
    customer: [{ type: "email", value: "anna.nowak@poczta.pl" }],
    caseRef: "LN-7",
    subject: "Loan <application>",
  });
  const phone = await cc.record({
    channel: "phone",
    direction: "inbound",
    at: "2026-04-01T10:00:00Z",
    customer: [{ type: "phone", value: "+48601234567" }],
    caseRef: "LN-7",
  });
  await cc.offers.define({ id: "loan", name: "Loan", category: "service", terms: { apr: 5.9 } });
  await cc.offers.present({
    customer: { profileId: first.profileId },
    offerId: "loan",
    channel: "web",
    at: "2026-04-01T09:05:00Z",
    terms: { apr: 5.9 },
  });
  const check = await cc.offers.check({
    customer: { profileId: first.profileId },
    offerId: "loan",
    channel: "phone",
    at: "2026-04-01T10:05:00Z",
    terms: { apr: 7.9 },
  });
  const view = await cc.context({ identifier: { type: "phone", value: "601234567" } });
  if (!view) throw new Error("context() returned null");
  const after = await cc.offers.check({
    customer: { profileId: first.profileId },
    offerId: "loan",
    channel: "phone",
    at: "2026-04-01T10:05:00Z",
    terms: { apr: 5.9 },
  });
  const bad = await cc.record({ channel: "web", direction: "sideways" } as never).catch((error: unknown) => error);

  const svgText = renderTimelineSvg(view);
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  await cc.close();
  return {
    ok: true,
    userAgent: navigator.userAgent,
    profileId: view.profile.id,
    sameProfile: view.profile.id === first.profileId && web.profileId === phone.profileId,
    created: first.created,
    interactions: view.timeline.map((i) => ({ channel: i.channel, conversationId: i.conversationId })),
    conversationChannels: view.conversations.map((c) => c.channels),
    identifierTypes: view.identifiers.map((i) => i.type).sort(),
    offerOk: check.ok,
    offerRules: check.violations.map((v) => v.rule),
    writesNothing: after.ok,
    badInput: isCustomerContextError(bad, "invalid_input")
      ? { code: bad.code, path: (bad.details as { path: (string | number)[] }[])[0]?.path ?? [] }
      : null,
    svg: {
      root: doc.documentElement.localName,
      parseError: doc.getElementsByTagName("parsererror").length > 0,
      circles: doc.getElementsByTagName("circle").length,
      hasSubject: svgText.includes("Loan &lt;application&gt;"),
      length: svgText.length,
    },
  };
}

declare global {
  interface Window {
    customerContextResults: Promise<BrowserResults | { ok: false; error: string }>;
  }
}

window.customerContextResults = run().catch((error: unknown) => ({
  ok: false as const,
  error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error),
}));
