import fc from "fast-check";
import { normalizeIdentifier } from "../identity/normalize/normalizeIdentifier.js";

/** An identifier as every method takes it. */
export interface ArbitraryIdentifier {
  type: string;
  value: string;
}

/** A region the phone arbitrary knows numbers for. */
export type PhoneRegion = "PL" | "DE" | "GB" | "US" | "FR";

/** Options shared by the arbitraries: aim them at your own identifier types and channels. */
export interface ArbitraryOptions {
  /** The region national phone numbers are written for; pass the same as `identity.defaultRegion`. Default `"PL"`. */
  defaultRegion?: PhoneRegion;
  /** Regions phone numbers come from (national format for `defaultRegion`, international for all). Default: all five. */
  regions?: readonly PhoneRegion[];
  /** Channels interactions, consents and presentations use. Default: the eight built-in channels. */
  channels?: readonly string[];
  /**
   * Your own identifier types and how to make a value of each (an arbitrary of strings). They are
   * mixed in with email and phone: `{ loyaltyCard: fc.stringMatching(/^LC-\d{6}$/) }`.
   */
  customTypes?: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** The first and last instant of generated times. Default: the year 2026. */
  from?: string;
  to?: string;
}

/** The eight built-in channels. */
export const CHANNELS = ["email", "phone", "chat", "sms", "social", "ivr", "web", "store"] as const;

const FIRST = ["anna", "jan", "Łukasz", "marie", "José", "olga", "Zoë", "ming", "sven", "aisha"] as const;
const LAST = ["kowalska", "müller", "smith", "dubois", "García", "nowak", "øster", "li", "okafor", "rossi"] as const;
const DOMAINS = [
  "poczta.pl",
  "gmx.de",
  "mail.co.uk",
  "fastmail.fm",
  "bücher.de",
  "żółw.pl",
  "例え.jp",
  "xn--mnchen-3ya.de",
] as const;

/** National significant numbers that libphonenumber accepts as mobile numbers, per region. */
const PHONE_PATTERNS: Record<
  PhoneRegion,
  { code: string; national: (d: string) => string; trunk: string; digits: number; lead: string[] }
> = {
  PL: {
    code: "48",
    trunk: "",
    digits: 6,
    lead: ["601", "512", "695", "730", "788"],
    national: (n) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
  },
  DE: {
    code: "49",
    trunk: "0",
    digits: 7,
    lead: ["1512", "1601", "1701", "1521"],
    national: (n) => `${n.slice(0, 4)} ${n.slice(4)}`,
  },
  GB: {
    code: "44",
    trunk: "0",
    digits: 6,
    lead: ["7400", "7700", "7911", "7520"],
    national: (n) => `${n.slice(0, 4)} ${n.slice(4)}`,
  },
  US: {
    code: "1",
    trunk: "",
    digits: 4,
    lead: ["212234", "415386", "617253", "312245"],
    national: (n) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  },
  FR: {
    code: "33",
    trunk: "0",
    digits: 8,
    lead: ["6", "7"],
    national: (n) => `${n.slice(0, 1)} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
  },
};

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
const mixCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(""));

/**
 * Emails shaped like real data: accented and IDN domains, mixed case and `+tags`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * fc.sample(arbitraries.email(), 1); // e.g. [{ type: "email", value: "Anna.Müller+shop@bücher.de" }]
 * ```
 */
function email(): fc.Arbitrary<ArbitraryIdentifier> {
  return fc
    .tuple(
      fc.constantFrom(...FIRST),
      fc.constantFrom(...LAST),
      fc.integer({ min: 0, max: 99 }),
      fc.option(fc.constantFrom("shop", "news", "x1")),
      fc.constantFrom(...DOMAINS),
    )
    .chain(([first, last, n, tag, domain]) =>
      mixCase(`${first}.${last}${n > 0 ? n : ""}`).map((local) => ({
        type: "email",
        value: `${local}${tag ? `+${tag}` : ""}@${domain}`,
      })),
    );
}

/**
 * Valid phone numbers of several regions, in national format (for `defaultRegion`) and in
 * international formats (`+48 601 234 567`, `0048601234567`).
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.phone({ defaultRegion: "PL" }), 1); // e.g. [{ type: "phone", value: "601 234 567" }]
 * ```
 */
function phone(options: ArbitraryOptions = {}): fc.Arbitrary<ArbitraryIdentifier> {
  const home = options.defaultRegion ?? "PL";
  const regions = options.regions ?? (Object.keys(PHONE_PATTERNS) as PhoneRegion[]);
  return fc
    .tuple(fc.constantFrom(...regions), fc.nat(), fc.constantFrom("national", "e164", "spaced", "00"))
    .chain(([region, pick, style]) => {
      const p = PHONE_PATTERNS[region];
      const lead = p.lead[pick % p.lead.length] as string;
      return digits(p.digits).map((rest) => {
        const nsn = lead + rest;
        const value =
          style === "national" && region === home
            ? `${p.trunk}${p.national(nsn)}`
            : style === "00"
              ? `00${p.code}${nsn}`
              : style === "spaced"
                ? `+${p.code} ${p.national(nsn)}`
                : `+${p.code}${nsn}`;
        return { type: "phone", value };
      });
    })
    .filter((id) => normalizeIdentifier(id, { defaultRegion: home }).ok);
}

/**
 * Browser cookies (`ck_` and 16 hex digits).
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.cookie(), 1); // e.g. [{ type: "cookie", value: "ck_3f9a0c2b7d4e1a65" }]
 * ```
 */
function cookie(): fc.Arbitrary<ArbitraryIdentifier> {
  return fc.stringMatching(/^[0-9a-f]{16}$/).map((hex) => ({ type: "cookie", value: `ck_${hex}` }));
}

/**
 * CRM ids (`CRM-` and six digits).
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.crmId(), 1); // e.g. [{ type: "crmId", value: "CRM-104233" }]
 * ```
 */
function crmId(): fc.Arbitrary<ArbitraryIdentifier> {
  return digits(6).map((d) => ({ type: "crmId", value: `CRM-${d}` }));
}

/**
 * Any identifier: email, phone, cookie, CRM id, or one of your `customTypes`.
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.identifier({ customTypes: { loyaltyCard: fc.constant("LC-1") } }), 3);
 * ```
 */
function identifier(options: ArbitraryOptions = {}): fc.Arbitrary<ArbitraryIdentifier> {
  const custom = Object.entries(options.customTypes ?? {}).map(([type, value]) =>
    value.map((v) => ({ type, value: v })),
  );
  return fc.oneof(email(), phone(options), cookie(), crmId(), ...custom);
}

function time(options: ArbitraryOptions): fc.Arbitrary<string> {
  const from = Date.parse(options.from ?? "2026-01-01T00:00:00Z");
  const to = Date.parse(options.to ?? "2026-12-31T23:59:59Z");
  return fc
    .integer({ min: Math.floor(from / 1000), max: Math.floor(to / 1000) })
    .map((s) => new Date(s * 1000).toISOString());
}

function channel(options: ArbitraryOptions): fc.Arbitrary<string> {
  return fc.constantFrom(...(options.channels ?? CHANNELS));
}

const traits = fc.option(
  fc.record(
    { name: fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST)).map(([f, l]) => `${f} ${l}`) },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/**
 * Valid `identify` inputs: one to three identifiers seen together, with a channel, a time and maybe a name.
 *
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(arbitraries.observation(), async (o) => { await cc.identify(o); }));
 * ```
 */
function observation(options: ArbitraryOptions = {}) {
  return fc
    .record({
      identifiers: fc.uniqueArray(identifier(options), {
        minLength: 1,
        maxLength: 3,
        selector: (i) => `${i.type}:${i.value.toLowerCase()}`,
      }),
      channel: channel(options),
      at: time(options),
      traits,
    })
    .map(({ traits: t, ...rest }) => ({ ...rest, ...(t !== undefined ? { traits: t } : {}) }));
}

/**
 * Valid `record` inputs on every channel: with and without thread keys, case references and email headers.
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.interaction({ channels: ["email", "chat"] }), 2);
 * ```
 */
function interaction(options: ArbitraryOptions = {}) {
  return fc
    .record({
      channel: channel(options),
      direction: fc.constantFrom("inbound" as const, "outbound" as const),
      at: time(options),
      customer: fc.tuple(identifier(options)),
      externalId: fc.option(fc.stringMatching(/^[a-z0-9]{6,10}$/), { nil: undefined }),
      threadKey: fc.option(fc.stringMatching(/^T-[0-9]{1,4}$/), { nil: undefined }),
      caseRef: fc.option(fc.stringMatching(/^CASE-[0-9]{3}$/), { nil: undefined }),
      subject: fc.option(fc.constantFrom("Loan application", "Card blocked", "Re: Card blocked", "Address change"), {
        nil: undefined,
      }),
      text: fc.option(fc.constantFrom("Hello", "Where is my card?", "Thanks, solved", "Please call me back"), {
        nil: undefined,
      }),
      messageId: fc.stringMatching(/^[a-z0-9]{8}$/),
    })
    .map(({ messageId, ...x }) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = v;
      if (x.channel === "email") out.email = { messageId: `<${messageId}@mail.test>` };
      return out as {
        channel: string;
        direction: "inbound" | "outbound";
        at: string;
        customer: [ArbitraryIdentifier];
        externalId?: string;
        threadKey?: string;
        caseRef?: string;
        subject?: string;
        text?: string;
        email?: { messageId: string };
      };
    });
}

/**
 * Valid `consent` inputs.
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.consent(), 1); // e.g. [{ customer: [...], channel: "sms", granted: false, at: "..." }]
 * ```
 */
function consent(options: ArbitraryOptions = {}) {
  return fc.record({
    customer: fc.tuple(identifier(options)),
    channel: channel(options),
    granted: fc.boolean(),
    at: time(options),
  });
}

/**
 * Valid `offers.define` inputs (ids `offer-0` … `offer-4`, so presentations can name them).
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.offer(), 1); // e.g. [{ id: "offer-2", name: "Offer 2", category: "marketing", terms: { apr: 5.9 } }]
 * ```
 */
function offer() {
  return fc
    .record({
      n: fc.integer({ min: 0, max: 4 }),
      category: fc.constantFrom("marketing" as const, "service" as const, "transactional" as const),
      apr: fc.constantFrom(4.9, 5.9, 6.9, 9.9),
      fee: fc.constantFrom(0, 10, 25),
    })
    .map(({ n, category, apr, fee }) => ({ id: `offer-${n}`, name: `Offer ${n}`, category, terms: { apr, fee } }));
}

/**
 * Valid `offers.present` / `offers.check` inputs for the offers {@link offer} defines.
 *
 * @example
 * ```ts
 * fc.sample(arbitraries.presentation({ channels: ["web", "phone"] }), 1);
 * ```
 */
function presentation(options: ArbitraryOptions = {}) {
  return fc.record({
    customer: fc.tuple(identifier(options)),
    offerId: fc.integer({ min: 0, max: 4 }).map((n) => `offer-${n}`),
    channel: channel(options),
    at: time(options),
    terms: fc.record({ apr: fc.constantFrom(4.9, 5.9, 6.9, 9.9), fee: fc.constantFrom(0, 10, 25) }),
  });
}

/** The kinds of evidence a {@link workload} can hold. */
export type WorkloadKind = "identify" | "record" | "consent" | "present" | "offer";

/** Options of {@link workload}. */
export interface WorkloadOptions extends ArbitraryOptions {
  /** How many distinct people the workload is about (each has an email, a phone and a CRM id). Default 5. */
  customers?: number;
  /**
   * Which kinds of evidence it holds. Default `["identify", "record", "consent"]`. With `"present"`
   * the workload opens with `offer` items defining `offer-0` … `offer-2` (APR 5.9, fee 0), and the
   * presentations quote the catalogue terms or other ones, so `parity` and `honour` have work.
   * `offer-0` is sold on web, phone and email only and `offer-1` until the 15th day, both in the
   * exclusive group `credit`; `offer-2` needs the trait `age` ≥ 18. With `"offer"` the catalogue
   * is (re)defined in the stream instead, at other APRs: a presentation may then come before its
   * offer (rejected `not_found`), and a redefinition applies from its arrival, so such a workload
   * depends on its order by design.
   */
  kinds?: readonly WorkloadKind[];
  /** Include observations that would put two CRM ids in one profile. Default `true`. */
  conflicts?: boolean;
  /** Include observations that pair one person's phone with another's email (a shared family phone). Default `true`. */
  shared?: boolean;
  /** Redeliver some items verbatim (same idempotency key, same content). Default `true`. */
  duplicates?: boolean;
  /** Deliver some items after items with later times. Default `true`. */
  late?: boolean;
  /** Include blocked placeholder values (`test@test.com`). Default `true`. */
  blocked?: boolean;
  /** Most items in one workload. Default 40. */
  maxItems?: number;
  /**
   * Minutes between the times of consecutive items of the hidden timeline, each gap drawn from
   * `[min, max]`. Default `{ min: 1, max: 1 }`. Widen it (`{ min: 0, max: 3 * 24 * 60 }`) to put
   * interactions in and out of the continuation window; `min: 0` makes ties.
   */
  spacing?: { min: number; max: number };
}

/** One item of a workload: the input of one method, with its `kind`, as `cc.ingest` takes it. */
export type WorkloadItem =
  | ({ kind: "identify" } & {
      identifiers: ArbitraryIdentifier[];
      at: string;
      channel: string;
      id?: string;
      traits?: { name: string };
    })
  | ({ kind: "record" } & {
      channel: string;
      direction: "inbound" | "outbound";
      at: string;
      customer: ArbitraryIdentifier[];
      externalId: string;
      text: string;
      threadKey?: string;
      caseRef?: string;
      subject?: string;
      tags?: string[];
      email?: { messageId: string; inReplyTo?: string };
    })
  | ({ kind: "consent" } & {
      customer: ArbitraryIdentifier[];
      channel: string;
      granted: boolean;
      at: string;
      id?: string;
    })
  | ({ kind: "offer" } & {
      id: string;
      name: string;
      category: "marketing" | "service";
      terms: { apr: number; fee: number };
      channels?: string[];
      validFrom?: string;
      validTo?: string;
      eligibility?: { trait: string; op: "gte"; value: number };
      exclusiveGroup?: string;
    })
  | ({ kind: "present" } & {
      customer: ArbitraryIdentifier[];
      offerId: string;
      channel: string;
      at: string;
      terms: { apr: number; fee: number };
      externalId: string;
    });

const WORKLOAD_SUBJECTS = ["Loan application", "Re: Loan application", "Card blocked", "Fwd: Card blocked"] as const;
const WORKLOAD_OFFERS = 3;

/** The n-th offer of a workload's catalogue, at the given APR. */
function workloadOffer(n: number, apr: number, start: number): WorkloadItem {
  const offer: WorkloadItem & { kind: "offer" } = {
    kind: "offer",
    id: `offer-${n}`,
    name: `Offer ${n}`,
    category: n === 2 ? "service" : "marketing",
    terms: { apr, fee: 0 },
  };
  if (n === 0) offer.channels = ["web", "phone", "email"];
  if (n === 1) {
    offer.validFrom = new Date(start).toISOString();
    offer.validTo = new Date(start + 14 * 86_400_000).toISOString();
  }
  if (n < 2) offer.exclusiveGroup = "credit";
  if (n === 2) offer.eligibility = { trait: "age", op: "gte", value: 18 };
  return offer;
}

/**
 * A sequence of `ingest` items built to break integrations: people who share identifiers, limit
 * conflicts (two CRM ids with one email), blocked placeholder values, redeliveries and late
 * arrivals; interactions with and without thread keys, case references, subjects, email headers
 * (replies to earlier messages) and complaint tags. Times follow a hidden timeline (see
 * `spacing`); `late` moves some items later in the sequence than their time. Every idempotency
 * key is unique to the workload, so a redelivery is a duplicate, never a conflict. Shrinking keeps
 * it meaningful: a failing workload shrinks to the few items that matter.
 *
 * @example
 * ```ts
 * await fc.assert(
 *   fc.asyncProperty(arbitraries.workload({ customers: 3 }), async (items) => {
 *     const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
 *     const summary = await cc.ingest(items);
 *     expect(summary.rejected).toEqual([]);
 *   }),
 *   { numRuns: 20 },
 * );
 * ```
 */
function workload(options: WorkloadOptions = {}): fc.Arbitrary<WorkloadItem[]> {
  const people = Math.max(1, options.customers ?? 5);
  const channels = options.channels ?? CHANNELS;
  const home = options.defaultRegion ?? "PL";
  const kinds = new Set<WorkloadKind>(options.kinds ?? ["identify", "record", "consent"]);
  const spacing = { min: Math.max(0, options.spacing?.min ?? 1), max: Math.max(0, options.spacing?.max ?? 1) };
  if (kinds.size === 0) throw new RangeError("workload: kinds must name at least one kind");
  const person = fc.record({ email: email(), phone: phone({ ...options, regions: [home] }), crm: crmId() });
  const start = Date.parse(options.from ?? "2026-01-01T00:00:00Z");
  const identify = kinds.has("identify");
  const what = [
    ...(identify ? (["identify", "identify"] as const) : []),
    ...(kinds.has("record") ? (["record", "record"] as const) : []),
    ...(kinds.has("consent") ? (["consent"] as const) : []),
    ...(kinds.has("present") ? (["present"] as const) : []),
    ...(kinds.has("offer") ? (["offer"] as const) : []),
    ...(identify && options.conflicts !== false ? (["conflict"] as const) : []),
    ...(identify && options.shared !== false ? (["shared"] as const) : []),
    ...(identify && options.blocked !== false ? (["blocked"] as const) : []),
  ];
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
  const step = fc.record({
    what: fc.constantFrom(...what),
    gap: fc.integer({ min: Math.min(spacing.min, spacing.max), max: spacing.max }),
    who: fc.integer({ min: 0, max: people - 1 }),
    other: fc.integer({ min: 0, max: people - 1 }),
    use: fc.subarray(["email", "phone", "crm"] as const, { minLength: 1 }),
    channel: fc.constantFrom(...channels),
    granted: fc.boolean(),
    outbound: fc.boolean(),
    threadKey: maybe(fc.integer({ min: 0, max: 2 })),
    caseRef: maybe(fc.integer({ min: 0, max: 2 })),
    subject: maybe(fc.integer({ min: 0, max: WORKLOAD_SUBJECTS.length - 1 })),
    replyTo: maybe(fc.nat()),
    complaint: fc.boolean(),
    offer: fc.integer({ min: 0, max: WORKLOAD_OFFERS - 1 }),
    // Mostly the catalogue APR; sometimes another one, which breaks honour and parity.
    apr: fc.constantFrom(5.9, 5.9, 6.9),
  });
  return fc
    .record({
      persons: fc.uniqueArray(person, { minLength: people, maxLength: people, selector: (p) => p.crm.value }),
      steps: fc.array(step, { minLength: 1, maxLength: options.maxItems ?? 40 }),
      redeliver: fc.array(fc.nat(), { maxLength: options.duplicates === false ? 0 : 4 }),
      lateMoves: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: options.late === false ? 0 : 4 }),
      // Keys unique to this workload, so two workloads ingested into one store never share a key.
      run: fc.stringMatching(/^[0-9a-f]{6}$/),
    })
    .map(({ persons, steps, redeliver, lateMoves, run }) => {
      let clock = start;
      const messageIds: string[] = [];
      const items: WorkloadItem[] = steps.map((s, i) => {
        clock += s.gap * 60_000;
        const at = new Date(clock).toISOString();
        const p = persons[s.who] as (typeof persons)[number];
        const q = persons[s.other] as (typeof persons)[number];
        const ids = s.use.map((k) => p[k]);
        switch (s.what) {
          case "identify":
            return { kind: "identify", identifiers: ids, at, channel: s.channel, id: `${run}-obs-${i}` };
          case "conflict":
            return { kind: "identify", identifiers: [p.email, q.crm], at, channel: s.channel, id: `${run}-obs-${i}` };
          case "shared":
            return { kind: "identify", identifiers: [p.phone, q.email], at, channel: s.channel, id: `${run}-obs-${i}` };
          case "blocked":
            return {
              kind: "identify",
              identifiers: [{ type: "email", value: "test@test.com" }, ids[0] as ArbitraryIdentifier],
              at,
              channel: s.channel,
              id: `${run}-obs-${i}`,
            };
          case "record": {
            const item: WorkloadItem & { kind: "record" } = {
              kind: "record",
              channel: s.channel,
              direction: s.outbound ? "outbound" : "inbound",
              at,
              customer: ids,
              externalId: `${run}-ext-${i}`,
              text: `message ${i}`,
            };
            if (s.threadKey !== undefined) item.threadKey = `T-${s.threadKey}`;
            if (s.caseRef !== undefined) item.caseRef = `CASE-${s.caseRef}`;
            if (s.subject !== undefined) item.subject = WORKLOAD_SUBJECTS[s.subject] as string;
            if (s.complaint) item.tags = ["complaint"];
            if (s.channel === "email") {
              const messageId = `<${run}-${i}@mail.test>`;
              const parent = s.replyTo === undefined ? undefined : messageIds[s.replyTo % (messageIds.length || 1)];
              item.email = parent === undefined ? { messageId } : { messageId, inReplyTo: parent };
              messageIds.push(messageId);
            }
            return item;
          }
          case "offer":
            return workloadOffer(s.offer, s.apr, start);
          case "present":
            return {
              kind: "present",
              customer: ids,
              offerId: `offer-${s.offer}`,
              channel: s.channel,
              at,
              terms: { apr: s.apr, fee: 0 },
              externalId: `${run}-pres-${i}`,
            };
          default: // "consent"
            return {
              kind: "consent",
              customer: ids,
              channel: s.channel,
              granted: s.granted,
              at,
              id: `${run}-cons-${i}`,
            };
        }
      });
      for (const [from, to] of lateMoves) {
        if (items.length < 2) break;
        const [moved] = items.splice(from % items.length, 1);
        items.splice(Math.max(to % (items.length + 1), 0), 0, moved as WorkloadItem);
      }
      for (const n of redeliver) items.push(structuredClone(items[n % items.length] as WorkloadItem));
      if (!kinds.has("present") || kinds.has("offer")) return items;
      const catalogue = Array.from({ length: WORKLOAD_OFFERS }, (_, n) => workloadOffer(n, 5.9, start));
      return [...catalogue, ...items];
    });
}

/**
 * fast-check arbitraries that produce valid inputs of every public method, shaped like real data.
 * Pass `ArbitraryOptions` to aim them at your own identifier types, regions and channels.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { arbitraries } from "customer-context/testing";
 * // A fresh context per run: two runs may draw the same externalId with other content (a conflict).
 * await fc.assert(
 *   fc.asyncProperty(arbitraries.interaction(), async (input) => {
 *     const cc = createCustomerContext({ identity: { defaultRegion: "PL" } });
 *     await cc.record(input);
 *   }),
 * );
 * ```
 */
export const arbitraries = {
  email,
  phone,
  cookie,
  crmId,
  identifier,
  observation,
  interaction,
  consent,
  offer,
  presentation,
  workload,
};
