import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import { normalizeMessageId, parseMessageIds, referencedIds } from "./messageId.js";
import { type EmailThread, type ThreadableMessage, threadEmails } from "./threadEmails.js";

const at = (minute: number): string => new Date(Date.UTC(2026, 3, 1, 9, minute)).toISOString();

/** The thread (message list) each caller id ended up in. */
function groups(threads: EmailThread[]): string[][] {
  return threads.map((t) => t.messages);
}

describe("threadEmails", () => {
  it("threads the documented example", () => {
    expect(
      threadEmails([
        { id: "m1", messageId: "<a@x>", subject: "Loan", date: "2026-04-01T09:00:00Z" },
        { id: "m2", messageId: "<b@x>", inReplyTo: "<a@x>", subject: "Re: Loan", date: "2026-04-01T10:00:00Z" },
        { id: "m3", subject: "RE: loan", date: "2026-04-02T08:00:00Z" },
        { id: "m4", messageId: "<c@x>", subject: "Other", date: "2026-04-01T11:00:00Z" },
      ]),
    ).toEqual([
      { root: "m1", messages: ["m1", "m2", "m3"] },
      { root: "m4", messages: ["m4"] },
    ]);
  });

  it("returns nothing for no messages", () => {
    expect(threadEmails([])).toEqual([]);
  });

  it("matches ids after normalisation, case-sensitively", () => {
    const threads = threadEmails([
      { id: "a", messageId: ' <"root.1"@x> ', date: at(0) },
      { id: "b", messageId: "<b@x>", inReplyTo: "root.1@x", date: at(1) },
      { id: "c", messageId: "<c@x>", inReplyTo: "<ROOT.1@x>", date: at(2) },
    ]);
    expect(groups(threads)).toEqual([["a", "b"], ["c"]]);
  });

  it("lets References win over In-Reply-To", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", date: at(0) },
      { id: "b", messageId: "<b@x>", date: at(1) },
      { id: "r", messageId: "<r@x>", references: ["<a@x>"], inReplyTo: "<b@x>", date: at(2) },
    ]);
    expect(groups(threads)).toEqual([["a", "r"], ["b"]]);
  });

  it("uses In-Reply-To when References holds no valid id", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", date: at(0) },
      { id: "b", messageId: "<b@x>", date: at(1) },
      { id: "r", messageId: "<r@x>", references: ["<bogus>", ""], inReplyTo: "<b@x> (b's message)", date: at(2) },
    ]);
    expect(groups(threads)).toEqual([["a"], ["b", "r"]]);
  });

  it("uses the last References id as the parent and links the chain through missing messages", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", subject: "Start", date: at(0) },
      { id: "c", messageId: "<c@x>", references: ["<a@x> <b@x>"], date: at(2) },
      { id: "d", messageId: "<d@x>", references: ["<b@x>"], date: at(3) },
    ]);
    expect(threads).toEqual([{ root: "a", messages: ["a", "c", "d"] }]);
  });

  it("ignores self-references", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", references: ["<a@x>"], inReplyTo: "<a@x>", date: at(0) },
      { id: "b", messageId: "<b@x>", inReplyTo: "<a@x>", date: at(1) },
    ]);
    expect(threads).toEqual([{ root: "a", messages: ["a", "b"] }]);
  });

  it("cuts a loop where JWZ refuses to close it: the link made last, in (date, id) order", () => {
    // a (earliest) links under c, b under a; c's own link to b would close the loop, so c is the top.
    const threads = threadEmails([
      { id: "b", messageId: "<b@x>", inReplyTo: "<a@x>", date: at(1) },
      { id: "c", messageId: "<c@x>", inReplyTo: "<b@x>", date: at(2) },
      { id: "a", messageId: "<a@x>", inReplyTo: "<c@x>", date: at(0) },
    ]);
    expect(threads).toEqual([{ root: "c", messages: ["a", "b", "c"] }]);
  });

  it("keeps the time of a link a message's own header repeats when choosing the loop's cut", () => {
    // JWZ's Loop1-3 case: loop1 links loop3 under loop2 and itself under loop3; loop2's own link
    // to loop1 closes the loop and is refused, so loop2 is the top.
    const threads = threadEmails([
      { id: "m1", messageId: "<loop1@x>", references: ["<loop2@x> <loop3@x>"], date: at(0) },
      { id: "m2", messageId: "<loop2@x>", references: ["<loop3@x> <loop1@x>"], date: at(0) },
      { id: "m3", messageId: "<loop3@x>", references: ["<loop1@x> <loop2@x>"], date: at(0) },
    ]);
    expect(threads).toEqual([{ root: "m2", messages: ["m1", "m2", "m3"] }]);
  });

  it("survives loops made by References chains of other messages", () => {
    const threads = threadEmails([
      { id: "x", messageId: "<x@x>", references: ["<p@x>", "<q@x>", "<p@x>", "<q@x>"], date: at(0) },
      { id: "y", messageId: "<y@x>", references: ["<q@x>", "<p@x>"], date: at(1) },
    ]);
    expect(groups(threads)).toEqual([["x", "y"]]);
  });

  it("gives a duplicate Message-ID to the first message in input order", () => {
    const first: ThreadableMessage = { id: "first", messageId: "<dup@x>", subject: "One", date: at(5) };
    const second: ThreadableMessage = { id: "second", messageId: "<dup@x>", subject: "Two", date: at(0) };
    const reply: ThreadableMessage = { id: "reply", messageId: "<r@x>", inReplyTo: "<dup@x>", date: at(9) };
    expect(groups(threadEmails([first, second, reply], { subjectMerge: false }))).toEqual([
      ["second"],
      ["first", "reply"],
    ]);
    expect(groups(threadEmails([second, first, reply], { subjectMerge: false }))).toEqual([
      ["second", "reply"],
      ["first"],
    ]);
  });

  it("treats the loser of a duplicate Message-ID as headerless, so it can merge by subject", () => {
    const threads = threadEmails([
      { id: "first", messageId: "<dup@x>", subject: "Loan", date: at(0) },
      { id: "second", messageId: "<dup@x>", subject: "Re: Loan", date: at(1) },
    ]);
    expect(threads).toEqual([{ root: "first", messages: ["first", "second"] }]);
  });

  it("keeps a message with references to a missing parent together with its siblings", () => {
    const threads = threadEmails([
      { id: "r1", messageId: "<r1@x>", inReplyTo: "<gone@x>", date: at(3) },
      { id: "r2", messageId: "<r2@x>", inReplyTo: "<gone@x>", date: at(1) },
      { id: "other", messageId: "<o@x>", inReplyTo: "<elsewhere@x>", date: at(2) },
    ]);
    expect(threads).toEqual([
      { root: "r2", messages: ["r2", "r1"] },
      { root: "other", messages: ["other"] },
    ]);
  });

  it("chooses the root with and without phantom pruning", () => {
    // gone -> a (late);  gone -> missing -> b (early)
    const messages: ThreadableMessage[] = [
      { id: "a", messageId: "<a@x>", references: ["<gone@x>"], date: at(5) },
      { id: "b", messageId: "<b@x>", references: ["<gone@x>", "<missing@x>"], date: at(1) },
      { id: "c", messageId: "<c@x>", references: ["<gone@x>", "<missing@x>", "<b@x>"], date: at(0) },
    ];
    expect(threadEmails(messages)).toEqual([{ root: "b", messages: ["c", "b", "a"] }]);
    expect(threadEmails(messages, { prunePhantoms: false })).toEqual([{ root: "a", messages: ["c", "b", "a"] }]);
  });

  it("roots a thread at its top-most message even when a reply has an earlier date", () => {
    const threads = threadEmails([
      { id: "reply", messageId: "<r@x>", inReplyTo: "<o@x>", date: at(0) },
      { id: "original", messageId: "<o@x>", date: at(30) },
    ]);
    expect(threads).toEqual([{ root: "original", messages: ["reply", "original"] }]);
  });

  it("lets a message's own headers override links from other messages' References", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", date: at(0) },
      { id: "x", messageId: "<x@x>", references: ["<a@x>", "<b@x>"], date: at(1) },
      { id: "c", messageId: "<c@x>", date: at(2) },
      { id: "b", messageId: "<b@x>", inReplyTo: "<c@x>", date: at(3) },
    ]);
    expect(threads).toEqual([
      { root: "a", messages: ["a"] },
      { root: "c", messages: ["x", "c", "b"] },
    ]);
  });

  describe("subject fallback", () => {
    it("merges a headerless message into the header thread with the same base subject", () => {
      const threads = threadEmails([
        { id: "h1", messageId: "<h1@x>", subject: "Umowa kredytowa", date: at(0) },
        { id: "h2", messageId: "<h2@x>", inReplyTo: "<h1@x>", subject: "Odp: Umowa kredytowa", date: at(1) },
        { id: "n1", subject: "AW: [bank] umowa   KREDYTOWA", date: at(2) },
      ]);
      expect(threads).toEqual([{ root: "h1", messages: ["h1", "h2", "n1"] }]);
    });

    it("never merges header-threaded threads with each other by subject", () => {
      const threads = threadEmails([
        { id: "a", messageId: "<a@x>", subject: "Invoice", date: at(0) },
        { id: "a2", messageId: "<a2@x>", inReplyTo: "<a@x>", subject: "Re: Invoice", date: at(1) },
        { id: "b", messageId: "<b@x>", subject: "Invoice", date: at(2) },
        { id: "b2", messageId: "<b2@x>", references: ["<b@x>"], subject: "Re: Invoice", date: at(3) },
      ]);
      expect(groups(threads)).toEqual([
        ["a", "a2"],
        ["b", "b2"],
      ]);
    });

    it("groups a reply that has a Message-ID but no References or In-Reply-To with its original", () => {
      // A web form or a client that drops the threading headers: the reply is in the root set.
      const threads = threadEmails([
        { id: "a", messageId: "<a@x>", subject: "Invoice", date: at(0) },
        { id: "b", messageId: "<b@x>", inReplyTo: null, references: null, subject: "Re: Invoice", date: at(1) },
      ]);
      expect(threads).toEqual([{ root: "a", messages: ["a", "b"] }]);
    });

    it("lets an unlinked reply join a header-threaded thread of the same base subject", () => {
      const threads = threadEmails([
        { id: "a", messageId: "<a@x>", subject: "Loan", date: at(0) },
        { id: "a2", messageId: "<a2@x>", inReplyTo: "<a@x>", subject: "Re: Loan", date: at(1) },
        { id: "r", messageId: "<r@x>", subject: "RE: loan", date: at(2) },
      ]);
      expect(threads).toEqual([{ root: "a", messages: ["a", "a2", "r"] }]);
    });

    it("roots a subject group at its earliest non-reply, as JWZ puts a reply under its original", () => {
      const threads = threadEmails([
        { id: "reply", messageId: "<r@x>", subject: "Re: Delivery", date: at(0) },
        { id: "original", messageId: "<o@x>", subject: "Delivery", date: at(5) },
        { id: "later", subject: "Delivery", date: at(9) },
      ]);
      expect(threads).toEqual([{ root: "original", messages: ["reply", "original", "later"] }]);
    });

    it("leaves a message that others refer to in its header thread", () => {
      // `a` has no headers of its own, but `b` replies to it: it is not in the subject step.
      const threads = threadEmails([
        { id: "a", messageId: "<a@x>", subject: "Loan", date: at(0) },
        { id: "b", messageId: "<b@x>", inReplyTo: "<a@x>", subject: "Other", date: at(1) },
        { id: "c", messageId: "<c@x>", subject: "Loan", date: at(2) },
        { id: "d", messageId: "<d@x>", inReplyTo: "<c@x>", subject: "Re: Loan", date: at(3) },
      ]);
      expect(groups(threads)).toEqual([
        ["a", "b"],
        ["c", "d"],
      ]);
    });

    it("groups headerless messages with the same base subject when no header thread matches", () => {
      const threads = threadEmails([
        { id: "n2", subject: "Re: Delivery", date: at(4) },
        { id: "n1", subject: "Delivery", date: at(2) },
        { id: "n3", subject: "Other", date: at(3) },
      ]);
      expect(threads).toEqual([
        { root: "n1", messages: ["n1", "n2"] },
        { root: "n3", messages: ["n3"] },
      ]);
    });

    it("joins the latest matching thread started at or before the message, else the earliest", () => {
      const threads = threadEmails([
        { id: "early", messageId: "<e@x>", subject: "Invoice", date: at(10) },
        { id: "early2", messageId: "<e2@x>", inReplyTo: "<e@x>", date: at(11) },
        { id: "late", messageId: "<l@x>", subject: "Invoice", date: at(30) },
        { id: "late2", messageId: "<l2@x>", inReplyTo: "<l@x>", date: at(31) },
        { id: "n0", subject: "Re: Invoice", date: at(5) },
        { id: "n1", messageId: "<n1@x>", subject: "Re: Invoice", date: at(20) },
        { id: "n2", subject: "Re: Invoice", date: at(30) },
      ]);
      expect(threads).toEqual([
        { root: "early", messages: ["n0", "early", "early2", "n1"] },
        { root: "late", messages: ["late", "n2", "late2"] },
      ]);
    });

    it("never merges empty base subjects", () => {
      const threads = threadEmails([
        { id: "a", messageId: "<a@x>", subject: "Re:", date: at(0) },
        { id: "b", subject: "Re:", date: at(1) },
        { id: "c", subject: "", date: at(2) },
        { id: "d", date: at(3) },
      ]);
      expect(groups(threads)).toEqual([["a"], ["b"], ["c"], ["d"]]);
    });

    it("can be switched off", () => {
      const threads = threadEmails(
        [
          { id: "a", messageId: "<a@x>", subject: "Loan", date: at(0) },
          { id: "b", subject: "Re: Loan", date: at(1) },
        ],
        { subjectMerge: false },
      );
      expect(groups(threads)).toEqual([["a"], ["b"]]);
    });

    it("uses options.subjectPrefixes", () => {
      const messages: ThreadableMessage[] = [
        { id: "a", messageId: "<a@x>", subject: "Contratto", date: at(0) },
        { id: "b", subject: "Rif: Contratto", date: at(1) },
      ];
      expect(groups(threadEmails(messages))).toEqual([["a"], ["b"]]);
      expect(groups(threadEmails(messages, { subjectPrefixes: ["Rif"] }))).toEqual([["a", "b"]]);
    });
  });

  it("orders threads by earliest date then root id, and members by date then id", () => {
    const threads = threadEmails([
      { id: "z", messageId: "<z@x>", date: at(0) },
      { id: "y", messageId: "<y@x>", date: at(0) },
      { id: "y2", messageId: "<y2@x>", inReplyTo: "<y@x>", date: at(1) },
      { id: "y1", messageId: "<y1@x>", inReplyTo: "<y@x>", date: new Date(at(1)) },
      { id: "bad", messageId: "<bad@x>", date: "not a date" },
      { id: "w", messageId: "<w@x>", inReplyTo: "<z@x>", date: "2026-04-01T11:30:00+02:00" },
    ]);
    expect(threads).toEqual([
      { root: "y", messages: ["y", "y1", "y2"] },
      { root: "z", messages: ["z", "w"] },
      { root: "bad", messages: ["bad"] },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

// Shared by Message-IDs and references, so messages really refer to each other; `u<i>@x` are also
// the ids `uniqueIdMessagesArb` gives message i.
const ID_POOL = ["a@x", "b@x", "c@x", "d@x", "e@x", "f@x", ...Array.from({ length: 12 }, (_, i) => `u${i}@x`)];
const SUBJECTS = ["Loan", "Re: Loan", "AW: loan", "Invoice", "Fwd: Invoice", "", "Re:"];

const rawId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ID_POOL).map((id) => `<${id}>`) },
  { weight: 1, arbitrary: fc.constantFrom("junk", "<>", "", "<a@x> <b@x>", ' <"a"@x> ') },
);

const dateArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 20 }).map(at) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20 }).map((m) => new Date(at(m))) },
  { weight: 1, arbitrary: fc.constant("invalid") },
);

/** Random messages with unique caller ids over a small id pool: duplicates, cycles, self-refs. */
const messagesArb = fc
  .array(
    fc.record(
      {
        messageId: rawId,
        inReplyTo: rawId,
        references: fc.array(rawId, { maxLength: 5 }),
        subject: fc.constantFrom(...SUBJECTS),
        date: dateArb,
      },
      { requiredKeys: ["date"] },
    ),
    { maxLength: 25 },
  )
  .map((list) => list.map((m, i): ThreadableMessage => ({ ...m, id: `m${i}` })));

/** Like `messagesArb` but every message has its own unique Message-ID. */
const uniqueIdMessagesArb = messagesArb.map((list) =>
  list.map(
    (m, i): ThreadableMessage => (i % 4 === 3 ? { ...m, messageId: undefined } : { ...m, messageId: `<u${i}@x>` }),
  ),
);

const seeds = (list: ThreadableMessage[]): fc.Arbitrary<ThreadableMessage[]> =>
  fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });

function checkShape(input: readonly ThreadableMessage[], threads: EmailThread[]): void {
  const byId = new Map(input.map((m) => [m.id, m]));
  const time = (id: string): number => {
    const d = byId.get(id)?.date as string | Date;
    const ms = typeof d === "string" ? Date.parse(d) : d.getTime();
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  const seen = threads.flatMap((t) => t.messages);
  expect([...seen].sort()).toEqual(input.map((m) => m.id).sort());
  const key = (id: string): [number, string] => [time(id), id];
  const less = (a: [number, string], b: [number, string]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (const thread of threads) {
    expect(thread.messages).toContain(thread.root);
    for (let i = 1; i < thread.messages.length; i++) {
      expect(less(key(thread.messages[i - 1] as string), key(thread.messages[i] as string))).toBe(true);
    }
  }
  for (let i = 1; i < threads.length; i++) {
    const a = threads[i - 1] as EmailThread;
    const b = threads[i] as EmailThread;
    const ta = time(a.messages[0] as string);
    const tb = time(b.messages[0] as string);
    expect(ta < tb || (ta === tb && a.root < b.root)).toBe(true);
  }
}

/** Whether the links the headers propose (References chains and each owner's own parent) hold a loop. */
function proposesLoop(messages: readonly ThreadableMessage[], owner: ReadonlyMap<string, string>): boolean {
  const ups = new Map<string, Set<string>>();
  const add = (child: string, up: string) => {
    const set = ups.get(child) ?? new Set<string>();
    set.add(up);
    ups.set(child, set);
  };
  for (const m of messages) {
    const chain = referencedIds(m).reverse();
    for (let i = 1; i < chain.length; i++) add(chain[i] as string, chain[i - 1] as string);
    const own = typeof m.messageId === "string" ? (parseMessageIds(m.messageId)[0] ?? null) : null;
    if (own !== null && owner.get(own) === m.id && chain.length > 0) add(own, chain[chain.length - 1] as string);
  }
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 2) return false;
    if (state.get(id) === 1) return true;
    state.set(id, 1);
    for (const up of ups.get(id) ?? []) if (visit(up)) return true;
    state.set(id, 2);
    return false;
  };
  return [...ups.keys()].some(visit);
}

describe("threadEmails properties", () => {
  it("puts every message in exactly one thread, sorted, on random reference graphs with loops", () => {
    fc.assert(
      fc.property(messagesArb, fc.boolean(), fc.boolean(), (messages, subjectMerge, prunePhantoms) => {
        const threads = threadEmails(messages, { subjectMerge, prunePhantoms });
        checkShape(messages, threads);
        // Every message shares a thread with the owner of the id referencedIds names as its parent.
        const threadOf = new Map(threads.flatMap((t, i) => t.messages.map((id) => [id, i] as const)));
        const owner = new Map<string, string>();
        for (const m of messages) {
          // The first valid id of the Message-ID header is the message's own id.
          const own =
            m.messageId === undefined || m.messageId === null
              ? undefined
              : (normalizeMessageId(m.messageId) ?? parseMessageIds(m.messageId)[0]);
          if (own !== undefined && !owner.has(own)) owner.set(own, m.id);
        }
        // Without any loop among the links the headers propose, JWZ refuses nothing, and every
        // message is in its parent's thread. (With one, JWZ may refuse a message's own link.)
        if (proposesLoop(messages, owner)) return;
        for (const m of messages) {
          const parent = referencedIds(m)[0];
          const parentOwner = parent === undefined ? undefined : owner.get(parent);
          if (parentOwner !== undefined) expect(threadOf.get(parentOwner)).toBe(threadOf.get(m.id));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("does not depend on input order when Message-IDs are unique", () => {
    fc.assert(
      fc.property(
        uniqueIdMessagesArb.chain((list) => fc.tuple(fc.constant(list), seeds(list))),
        fc.boolean(),
        fc.boolean(),
        ([messages, shuffled], subjectMerge, prunePhantoms) => {
          const options = { subjectMerge, prunePhantoms };
          expect(threadEmails(shuffled, options)).toEqual(threadEmails(messages, options));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps a reply chain in one thread, whatever the dates, header style and other messages", () => {
    const style = fc.constantFrom("inReplyTo", "fullReferences", "parentOnly", "gappy");
    const chainArb = fc.array(fc.tuple(style, fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(chainArb, messagesArb, (chain, noise) => {
        const ids = chain.map((_, i) => `chain${i}@x`);
        const chainMessages = chain.map(([how, minute], i): ThreadableMessage => {
          const base: ThreadableMessage = { id: `c${i}`, messageId: `<${ids[i]}>`, date: at(minute) };
          if (i === 0) return base;
          const ancestors = ids.slice(0, i).map((id) => `<${id}>`);
          switch (how) {
            case "inReplyTo":
              return { ...base, inReplyTo: ancestors[i - 1] };
            case "fullReferences":
              return { ...base, references: ancestors, inReplyTo: "<unrelated@x>" };
            case "parentOnly":
              return { ...base, references: [ancestors[i - 1] as string] };
            default:
              return { ...base, references: ["<lost@x>", ...ancestors.slice(-1), "junk"] };
          }
        });
        const all = [...noise, ...chainMessages];
        const threads = threadEmails(all);
        checkShape(all, threads);
        const holding = threads.filter((t) => t.messages.some((id) => id.startsWith("c")));
        expect(holding).toHaveLength(1);
        expect(holding[0]?.messages.filter((id) => id.startsWith("c"))).toHaveLength(chain.length);
      }),
      { numRuns: 300 },
    );
  });

  it("roots a pure reply chain at its first message", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 20 }), (minutes) => {
        const messages = minutes.map(
          (minute, i): ThreadableMessage => ({
            id: `c${i}`,
            messageId: `<c${i}@x>`,
            ...(i > 0 ? { inReplyTo: `<c${i - 1}@x>` } : {}),
            date: at(minute),
          }),
        );
        const threads = threadEmails(messages);
        expect(threads).toHaveLength(1);
        expect(threads[0]?.root).toBe("c0");
      }),
    );
  });

  it("handles a 20k-deep reply chain and a 20k-long References header without quadratic blow-up", () => {
    const n = 20_000;
    const deep = Array.from(
      { length: n },
      (_, i): ThreadableMessage => ({
        id: `d${i}`,
        messageId: `<d${i}@x>`,
        ...(i > 0 ? { inReplyTo: `<d${i - 1}@x>` } : {}),
        date: new Date(Date.UTC(2026, 0, 1) + (n - i) * 1000),
      }),
    );
    const threads = threadEmails(deep);
    expect(threads).toHaveLength(1);
    expect(threads[0]?.root).toBe("d0");
    const wide = threadEmails([
      { id: "w", messageId: "<w@x>", references: Array.from({ length: n }, (_, i) => `<r${i}@x>`), date: at(0) },
      { id: "v", messageId: "<v@x>", inReplyTo: "<r0@x>", date: at(1) },
    ]);
    expect(groups(wide)).toEqual([["w", "v"]]);
  });
});

describe("docs/email-threading.md worked example", () => {
  it("gives the documented result", () => {
    const messages: ThreadableMessage[] = [
      { id: "e1", messageId: "<j1@mail.pl>", subject: "Wniosek LN-7781", date: "2026-04-01T09:00:00Z" },
      {
        id: "e2",
        messageId: "<a1@bank.pl>",
        inReplyTo: "<j1@mail.pl>",
        references: ["<j1@mail.pl>"],
        subject: "Re: Wniosek LN-7781",
        date: "2026-04-01T10:00:00Z",
      },
      {
        id: "e3",
        messageId: "<j2@mail.pl>",
        inReplyTo: "<a1@bank.pl>",
        subject: "Odp: Re: Wniosek LN-7781",
        date: "2026-04-01T12:00:00Z",
      },
      {
        id: "e4",
        messageId: "<j3@mail.pl>",
        inReplyTo: "<a2@bank.pl>",
        references: ["<j1@mail.pl> <a2@bank.pl>"],
        subject: "Odp: Wniosek LN-7781",
        date: "2026-04-02T08:00:00Z",
      },
      { id: "e5", subject: "Odp：wniosek ln-7781", date: "2026-04-02T09:00:00Z" },
      { id: "e6", messageId: "<x1@shop.pl>", subject: "Your order", date: "2026-04-01T11:00:00Z" },
    ];
    const expected = [
      { root: "e1", messages: ["e1", "e2", "e3", "e4", "e5"] },
      { root: "e6", messages: ["e6"] },
    ];
    expect(threadEmails(messages)).toEqual(expected);
    expect(threadEmails([...messages].reverse(), { prunePhantoms: false })).toEqual(expected);
  });
});

describe("threadEmails input", () => {
  it("reads null headers and subjects as absent, as JSON and databases give them", () => {
    const threads = threadEmails([
      { id: "a", messageId: "<a@x>", inReplyTo: null, references: null, subject: "Loan", date: at(0) },
      { id: "b", messageId: null, inReplyTo: "<a@x>", references: null, subject: null, date: at(1) },
      { id: "c", messageId: null, inReplyTo: null, references: null, subject: null, date: at(2) },
    ]);
    expect(groups(threads)).toEqual([["a", "b"], ["c"]]);
    expect(referencedIds({ messageId: null, inReplyTo: "<a@x>", references: null })).toEqual(["a@x"]);
  });

  const bad: [string, unknown, unknown, (string | number)[]][] = [
    ["messages not an array", { id: "a" }, undefined, ["messages"]],
    ["a message that is null", [null], undefined, ["messages", 0]],
    ["a numeric id", [{ id: 1, date: at(0) }], undefined, ["messages", 0, "id"]],
    ["a missing date", [{ id: "a" }], undefined, ["messages", 0, "date"]],
    ["a numeric date", [{ id: "a", date: 5 }], undefined, ["messages", 0, "date"]],
    ["an object Message-ID", [{ id: "a", date: at(0), messageId: {} }], undefined, ["messages", 0, "messageId"]],
    ["a numeric In-Reply-To", [{ id: "a", date: at(0), inReplyTo: 7 }], undefined, ["messages", 0, "inReplyTo"]],
    [
      "References as a string",
      [{ id: "a", date: at(0), references: "<a@x>" }],
      undefined,
      ["messages", 0, "references"],
    ],
    [
      "a null References entry",
      [{ id: "a", date: at(0), references: ["<a@x>", null] }],
      undefined,
      ["messages", 0, "references", 1],
    ],
    ["a numeric subject", [{ id: "a", date: at(0), subject: 3 }], undefined, ["messages", 0, "subject"]],
    ["options not an object", [], "yes", ["options"]],
    ["subjectMerge as a string", [], { subjectMerge: "no" }, ["options", "subjectMerge"]],
    ["prunePhantoms as a number", [], { prunePhantoms: 0 }, ["options", "prunePhantoms"]],
    ["a numeric prefix", [], { subjectPrefixes: ["Re", 1] }, ["options", "subjectPrefixes", 1]],
  ];
  it.each(bad)("rejects %s with invalid_input naming the field", (_name, messages, options, path) => {
    let caught: unknown;
    try {
      threadEmails(messages as never, options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).code).toBe("invalid_input");
    expect((caught as InvalidInputError).details[0]?.path).toEqual(path);
  });

  it("rejects non-string arguments of the Message-ID helpers", () => {
    expect(() => normalizeMessageId(null as never)).toThrow(InvalidInputError);
    expect(() => parseMessageIds(42 as never)).toThrow(InvalidInputError);
    expect(() => referencedIds(null as never)).toThrow(InvalidInputError);
    expect(() => referencedIds({ references: "<a@x>" } as never)).toThrow(/references/);
  });
});

describe("the subject step", () => {
  it("only adds unlinked messages to threads: header threads are never merged with each other", () => {
    fc.assert(
      fc.property(messagesArb, fc.boolean(), (messages, prunePhantoms) => {
        const off = threadEmails(messages, { subjectMerge: false, prunePhantoms });
        const on = threadEmails(messages, { subjectMerge: true, prunePhantoms });
        const onOf = new Map(on.flatMap((t, i) => t.messages.map((id) => [id, i] as const)));
        const headerThreadsIn = new Map<number, number>();
        for (const thread of off) {
          // Every thread without the step lies inside one thread with it.
          const target = onOf.get(thread.messages[0] as string) as number;
          for (const id of thread.messages) expect(onOf.get(id)).toBe(target);
          if (thread.messages.length > 1) headerThreadsIn.set(target, (headerThreadsIn.get(target) ?? 0) + 1);
        }
        for (const count of headerThreadsIn.values()) expect(count).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it("puts unlinked messages of one base subject in one thread when no header thread has it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("Loan", "Re: Loan", "AW: loan", "Fwd: LOAN"), fc.boolean(), fc.nat(30)), {
          minLength: 1,
          maxLength: 12,
        }),
        (list) => {
          const messages = list.map(
            ([subject, withId, minute], i): ThreadableMessage => ({
              id: `m${i}`,
              ...(withId ? { messageId: `<m${i}@x>` } : {}),
              subject,
              date: at(minute),
            }),
          );
          expect(threadEmails(messages)).toHaveLength(1);
          expect(threadEmails(messages, { subjectMerge: false })).toHaveLength(messages.length);
        },
      ),
    );
  });
});

/**
 * A literal JWZ step 1 (RFC 5256 REFERENCES linking): messages in (date, id) order, a link that
 * would close a loop is refused, a message's own parent replaces what others' References said.
 * Quadratic, for small inputs only.
 */
function naiveJwz(messages: readonly ThreadableMessage[]): { threads: EmailThread[]; refusedThenWithdrawn: boolean } {
  let refused = false;
  let refusedThenWithdrawn = false;
  const order = [...messages].sort(
    (a, b) => Date.parse(a.date as string) - Date.parse(b.date as string) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const parent = new Map<string, string | null>();
  const node = (id: string) => {
    if (!parent.has(id)) parent.set(id, null);
    return id;
  };
  const isAncestor = (maybe: string, of: string): boolean => {
    for (let at: string | null = of; at !== null; at = parent.get(at) ?? null) if (at === maybe) return true;
    return false;
  };
  const own = new Map<string, string>();
  for (const m of order) own.set(normalizeMessageId(m.messageId as string) as string, m.id);
  for (const m of order) {
    const self = node(normalizeMessageId(m.messageId as string) as string);
    let refs = (m.references ?? []).flatMap((r) => parseMessageIds(r));
    if (refs.length === 0 && typeof m.inReplyTo === "string") refs = parseMessageIds(m.inReplyTo).slice(0, 1);
    refs.forEach(node);
    for (let i = 1; i < refs.length; i++) {
      const [p, c] = [refs[i - 1] as string, refs[i] as string];
      if (parent.get(c) === null) {
        if (!isAncestor(c, p)) parent.set(c, p);
        else refused = true;
      }
    }
    const last = refs[refs.length - 1];
    const before = parent.get(self) ?? null;
    parent.set(self, null);
    if (last !== undefined && !isAncestor(self, last)) parent.set(self, last);
    else if (last !== undefined) refused = true;
    // A link withdrawn after an earlier refusal: the refusal's loop may be gone (see the docs).
    if (refused && before !== null && before !== (parent.get(self) ?? null)) refusedThenWithdrawn = true;
  }
  // Threads: trees holding a message; root: the earliest message with no message above it.
  const top = (id: string): string => {
    let at = id;
    for (let up = parent.get(at) ?? null; up !== null; up = parent.get(at) ?? null) at = up;
    return at;
  };
  const rank = new Map(order.map((m, i) => [m.id, i] as const));
  const trees = new Map<string, string[]>();
  for (const m of order) {
    const key = top(normalizeMessageId(m.messageId as string) as string);
    trees.set(key, [...(trees.get(key) ?? []), m.id]);
  }
  const threads = [...trees.values()].map((members) => {
    const realAbove = (id: string) => {
      const mid = normalizeMessageId(
        (messages.find((m) => m.id === id) as ThreadableMessage).messageId as string,
      ) as string;
      for (let up = parent.get(mid) ?? null; up !== null; up = parent.get(up) ?? null) if (own.has(up)) return true;
      return false;
    };
    const root = members
      .filter((id) => !realAbove(id))
      .sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number))[0] as string;
    return { root, messages: members };
  });
  return { threads, refusedThenWithdrawn };
}

describe("threadEmails against a literal JWZ", () => {
  it("links, cuts loops and chooses roots as JWZ does, on random loopy reference graphs", () => {
    const ids = ["a@x", "b@x", "c@x", "d@x", "e@x", "f@x", "g@x"];
    const arb = fc
      .uniqueArray(fc.constantFrom(...ids.slice(0, 5)), { minLength: 1, maxLength: 5 })
      .chain((own) =>
        fc.tuple(
          fc.constant(own),
          fc.array(
            fc.record({
              refs: fc.uniqueArray(fc.constantFrom(...ids), { maxLength: 4 }),
              useInReplyTo: fc.boolean(),
              minute: fc.integer({ min: 0, max: 3 }),
            }),
            { minLength: own.length, maxLength: own.length },
          ),
        ),
      )
      .map(([own, heads]) =>
        own.map((id, i): ThreadableMessage => {
          const h = heads[i] as { refs: string[]; useInReplyTo: boolean; minute: number };
          const refs = h.refs.filter((r) => r !== id).map((r) => `<${r}>`);
          return {
            id: `m${i}`,
            messageId: `<${id}>`,
            ...(h.useInReplyTo ? { inReplyTo: refs[refs.length - 1] ?? null } : { references: refs }),
            date: at(h.minute),
          };
        }),
      );
    let compared = 0;
    fc.assert(
      fc.property(arb, (messages) => {
        const { threads: theirs } = naiveJwz(messages);
        compared++;
        const ours = threadEmails(messages, { subjectMerge: false });
        const norm = (threads: EmailThread[]) =>
          threads.map((t) => `${t.root}:${[...t.messages].sort().join(",")}`).sort();
        expect(norm(ours)).toEqual(norm(theirs));
      }),
      { numRuns: 2000 },
    );
    expect(compared).toBe(2000);
  });
});
