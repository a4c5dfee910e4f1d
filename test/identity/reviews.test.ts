/**
 * The review queue for unclear identity: refused links and fuzzy suggestions below
 * `autoMergeAbove` become review items with their evidence; an operator accepts one (a merge
 * decision) or dismisses it (remembered, not raised again).
 */
import { describe, expect, it } from "vitest";
import { type CustomerContextEvent, createCustomerContext, memoryAdapter } from "./_support.js";

const email = (value: string) => ({ type: "email", value });
const phone = (value: string) => ({ type: "phone", value });
const crm = (value: string) => ({ type: "crmId", value });
const cookie = (value: string) => ({ type: "cookie", value });
const day = (d: number, h = 9) => `2026-04-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z`;
const iso = (d: number, h = 9) => new Date(day(d, h)).toISOString();

function setup(options: Parameters<typeof createCustomerContext>[0] = {}) {
  const cc = createCustomerContext({ identity: { defaultRegion: "PL" }, clock: () => new Date(day(30)), ...options });
  const events: CustomerContextEvent[] = [];
  cc.subscribe((e) => events.push(e));
  return { cc, events };
}

const fields = { firstName: "name", lastName: "name", dateOfBirth: "date", city: "text" } as const;

/** Two CRM ids claiming one inbox: the second link is refused by the limit rule. */
async function limitConflict(cc: ReturnType<typeof createCustomerContext>) {
  const first = await cc.identify({ identifiers: [crm("C-1"), email("family@poczta.pl")], at: day(1) });
  const second = await cc.identify({ identifiers: [crm("C-2"), email("family@poczta.pl")], at: day(2) });
  return { first, second };
}

/** The same conflict on another inbox. */
async function limitConflictAt(cc: ReturnType<typeof createCustomerContext>, inbox: string) {
  await cc.identify({ identifiers: [crm("C-1"), email(inbox)], at: day(1) });
  await cc.identify({ identifiers: [crm("C-2"), email(inbox)], at: day(3) });
}

describe("review items from refused links", () => {
  it("a limit conflict becomes an open review with the refused observation as evidence", async () => {
    const { cc } = setup();
    const { first, second } = await limitConflict(cc);
    expect(second.refused.map((r) => r.reason)).toEqual(["limit"]);
    const reviews = await cc.profiles.reviews();
    expect(reviews).toEqual([
      {
        id: expect.stringMatching(/^rev_/),
        status: "open",
        reason: "limit",
        identifiers: [crm("C-2"), email("family@poczta.pl")],
        profileIds: [second.profileId, first.profileId],
        evidence: {
          kind: "link",
          linkId: expect.stringMatching(/^link_/),
          identifiers: [crm("C-2"), email("family@poczta.pl")],
          at: iso(2),
          message: second.refused[0]?.message,
        },
      },
    ]);
    expect(await cc.profiles.reviews({ status: "open" })).toEqual(reviews);
    expect(await cc.profiles.reviews({ status: "dismissed" })).toEqual([]);
  });

  it("an operator separation and an auto-blocked identifier become reviews too", async () => {
    const { cc } = setup({ identity: { defaultRegion: "PL", autoBlock: { threshold: 2 } } });
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    await cc.profiles.unmerge(profileId, phone("601234567"), { reason: "family phone" });
    await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(3) });
    for (const [i, who] of ["a", "b", "c"].entries()) {
      await cc.identify({ identifiers: [cookie("shared-kiosk"), email(`${who}@x.pl`)], at: day(4 + i) });
    }
    await cc.identify({ identifiers: [cookie("shared-kiosk"), email("d@x.pl")], at: day(8) });
    const open = await cc.profiles.reviews({ status: "open" });
    expect(open.map((r) => r.reason).sort()).toEqual([
      "auto-blocked",
      "auto-blocked",
      "auto-blocked",
      "auto-blocked",
      "unmerged",
    ]);
    // The kiosk cookie stopped linking on the third customer, which unglued the first two as well
    // (an auto-blocked identifier links nothing): each refused pairing is a question.
    expect(
      open
        .filter((r) => r.reason === "auto-blocked")
        .map((r) => r.identifiers.map((i) => i.value).join(" "))
        .sort(),
    ).toEqual(["shared-kiosk a@x.pl", "shared-kiosk b@x.pl", "shared-kiosk c@x.pl", "shared-kiosk d@x.pl"]);
  });

  it("re-ingesting the same evidence does not duplicate a review: its id is a hash of the evidence", async () => {
    const { cc } = setup();
    await limitConflict(cc);
    const [once] = await cc.profiles.reviews();
    await cc.identify({ identifiers: [crm("C-2"), email("family@poczta.pl")], at: day(2) });
    await cc.identify({ identifiers: [crm("C-2"), email("family@poczta.pl"), phone("601234567")], at: day(3) });
    const again = await cc.profiles.reviews();
    expect(again.map((r) => r.id)).toEqual([once?.id]);
    expect(again[0]?.evidence.at).toBe(iso(2));
  });

  it("keeps the earliest evidence whatever order the observations arrive in", async () => {
    const a = setup().cc;
    await a.identify({ identifiers: [crm("C-1"), email("f@x.pl")], at: day(1) });
    await a.identify({ identifiers: [crm("C-2"), email("f@x.pl"), cookie("k1")], at: day(5) });
    await a.identify({ identifiers: [crm("C-2"), email("f@x.pl")], at: day(3) });
    const b = setup().cc;
    await b.identify({ identifiers: [crm("C-1"), email("f@x.pl")], at: day(1) });
    await b.identify({ identifiers: [crm("C-2"), email("f@x.pl")], at: day(3) });
    await b.identify({ identifiers: [crm("C-2"), email("f@x.pl"), cookie("k1")], at: day(5) });
    expect(await a.profiles.reviews()).toEqual(await b.profiles.reviews());
    expect((await a.profiles.reviews())[0]?.evidence.at).toBe(iso(3));
  });

  it("blocked placeholder values are not questions for a person", async () => {
    const { cc } = setup();
    const r = await cc.identify({ identifiers: [email("test@test.com"), email("jan@x.pl")], at: day(1) });
    expect(r.refused.map((x) => x.reason)).toEqual(["blocked"]);
    expect(await cc.profiles.reviews()).toEqual([]);
  });
});

describe("refusals met on every path that identifies a customer", () => {
  it("a late observation that turns an older link into a refusal raises it, as in arrival order", async () => {
    const late = setup().cc;
    const second = await late.identify({ identifiers: [crm("C-2"), email("f@x.pl")], at: day(3) });
    expect(second.refused).toEqual([]);
    // Earlier evidence arrives last: C-1 had the inbox first, so the day-3 link is now the refused one.
    const first = await late.identify({ identifiers: [crm("C-1"), email("f@x.pl")], at: day(1) });
    expect(first.refused).toEqual([]);
    const reviews = await late.profiles.reviews();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      status: "open",
      reason: "limit",
      identifiers: [crm("C-2"), email("f@x.pl")],
      evidence: { kind: "link", at: iso(3), identifiers: [crm("C-2"), email("f@x.pl")] },
    });
    const inOrder = setup().cc;
    await limitConflictAt(inOrder, "f@x.pl");
    expect(await inOrder.profiles.reviews()).toEqual(reviews);
  });

  it("a refusal met by record, consent or present is raised too, and once", async () => {
    const { cc } = setup();
    await cc.identify({ identifiers: [crm("C-1"), email("f@x.pl")], at: day(1) });
    await cc.record({
      channel: "web",
      direction: "inbound",
      at: day(2),
      customer: [crm("C-2"), email("f@x.pl")],
      text: "Which of us gets the letters?",
    });
    const reviews = await cc.profiles.reviews();
    expect(reviews.map((r) => [r.reason, r.identifiers.map((i) => i.value)])).toEqual([["limit", ["C-2", "f@x.pl"]]]);
    expect(reviews[0]?.evidence.at).toBe(iso(2));
    await cc.consent({ customer: [crm("C-2"), email("f@x.pl")], channel: "email", granted: true, at: day(3) });
    await cc.consent({ customer: [crm("C-3"), email("f@x.pl")], channel: "email", granted: true, at: day(4) });
    expect((await cc.profiles.reviews()).map((r) => [r.identifiers.map((i) => i.value), r.evidence.at])).toEqual([
      [["C-2", "f@x.pl"], iso(2)],
      [["C-3", "f@x.pl"], iso(4)],
    ]);
  });

  it("bulk ingest raises what one-by-one identify raises", async () => {
    const items = [
      { kind: "identify", identifiers: [crm("C-2"), email("f@x.pl")], at: day(3) },
      { kind: "identify", identifiers: [crm("C-1"), email("f@x.pl")], at: day(1) },
      { kind: "identify", identifiers: [crm("C-3"), email("f@x.pl")], at: day(5) },
    ];
    const bulk = setup().cc;
    await bulk.ingest(items);
    const single = setup().cc;
    for (const { kind: _kind, ...item } of items) await single.identify(item);
    const reviews = await single.profiles.reviews();
    expect(reviews.map((r) => r.identifiers.map((i) => i.value))).toEqual([
      ["C-2", "f@x.pl"],
      ["C-3", "f@x.pl"],
    ]);
    expect(await bulk.profiles.reviews()).toEqual(reviews);
  });
});

describe("accepting and dismissing", () => {
  it("accepting records an operator merge decision; revoking it opens the review again", async () => {
    const { cc } = setup();
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    const { detachedProfileId } = await cc.profiles.unmerge(profileId, phone("601234567"), { reason: "family" });
    await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(3) });
    const [review] = await cc.profiles.reviews({ status: "open" });
    const accepted = await cc.profiles.acceptReview(review?.id as string, {
      reason: "checked with the customer",
      by: "agent-7",
      at: day(4),
    });
    expect(accepted.profileId).toBe(profileId);
    expect(accepted.merged).toEqual([detachedProfileId]);
    expect(accepted.review).toMatchObject({
      status: "accepted",
      profileIds: [profileId, profileId],
      decision: { reason: "checked with the customer", by: "agent-7", at: iso(4), decisionId: expect.any(String) },
    });
    expect((await cc.profiles.find(phone("601234567")))?.id).toBe(profileId);
    const merge = (await cc.profiles.decisions({ profileId })).find((d) => d.kind === "merge");
    expect(merge).toMatchObject({ id: accepted.review.decision?.decisionId, reason: "checked with the customer" });
    expect(await cc.profiles.reviews({ status: "accepted" })).toHaveLength(1);
    // Accepting again returns the same and writes nothing.
    expect((await cc.profiles.acceptReview(review?.id as string, { reason: "again" })).review.status).toBe("accepted");
    await cc.profiles.revoke(merge?.id as string, { reason: "not him after all" });
    expect((await cc.profiles.find(phone("601234567")))?.id).toBe(detachedProfileId);
    expect((await cc.profiles.reviews({ status: "open" })).map((r) => r.id)).toEqual([review?.id]);
  });

  it("accepting a review whose merge breaks a limit is refused, and nothing is written", async () => {
    const { cc } = setup();
    await limitConflict(cc);
    const [review] = await cc.profiles.reviews();
    await expect(cc.profiles.acceptReview(review?.id as string, { reason: "same family" })).rejects.toMatchObject({
      code: "refused",
    });
    expect((await cc.profiles.reviews())[0]?.status).toBe("open");
    expect(await cc.profiles.decisions({ identifier: crm("C-1") })).toEqual([]);
  });

  it("a dismissed review is remembered and not raised again", async () => {
    const { cc } = setup();
    await limitConflict(cc);
    const [review] = await cc.profiles.reviews();
    const dismissed = await cc.profiles.dismissReview(review?.id as string, { reason: "two customers", at: day(3) });
    expect(dismissed).toMatchObject({ status: "dismissed", decision: { reason: "two customers", at: iso(3) } });
    await cc.identify({ identifiers: [crm("C-2"), email("family@poczta.pl")], at: day(4) });
    expect(await cc.profiles.reviews({ status: "open" })).toEqual([]);
    expect((await cc.profiles.reviews({ status: "dismissed" })).map((r) => r.id)).toEqual([review?.id]);
    await expect(cc.profiles.acceptReview(review?.id as string, { reason: "changed my mind" })).rejects.toMatchObject({
      code: "refused",
    });
  });

  it("an open review whose identifiers came together by other evidence leaves the queue", async () => {
    const { cc } = setup();
    const { profileId } = await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(1) });
    const { detachedProfileId } = await cc.profiles.unmerge(profileId, phone("601234567"), { reason: "family" });
    await cc.identify({ identifiers: [email("jan@x.pl"), phone("601234567")], at: day(3) });
    expect(await cc.profiles.reviews()).toHaveLength(1);
    await cc.profiles.merge(profileId, detachedProfileId, { reason: "confirmed" });
    expect(await cc.profiles.reviews()).toEqual([]);
  });

  it("rejects unknown ids with not_found and bad input with invalid_input naming the field, writing nothing", async () => {
    const storage = memoryAdapter();
    const { cc } = setup({ storage });
    await limitConflict(cc);
    const [review] = await cc.profiles.reviews();
    const id = review?.id as string;
    await expect(cc.profiles.acceptReview("rev_nope", { reason: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(cc.profiles.dismissReview("rev_nope", { reason: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(cc.profiles.dismissReview(id, { reason: "" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["reason"] })],
    });
    await expect(cc.profiles.acceptReview(id, { reason: "x", at: "31 Feb" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["at"] })],
    });
    await expect(cc.profiles.acceptReview(42 as never, { reason: "x" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(cc.profiles.reviews({ status: "closed" } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: [expect.objectContaining({ path: ["status"] })],
    });
    expect((await cc.profiles.reviews())[0]?.status).toBe("open");
  });
});

describe("review items from fuzzy matching", () => {
  const jan = { firstName: "Jan", lastName: "Kowalski", dateOfBirth: "1980-05-17", city: "Kraków" };
  const janTypo = { firstName: "Jan", lastName: "Kowalsky", dateOfBirth: "1980-05-17", city: "Krakow" };

  it("suggestions below autoMergeAbove wait for a person, with their score and weights", async () => {
    // Two profiles alone estimate a prior of 1/2 (one pair, and it looks like a match): fix it.
    const parameters = { prior: 1e-3 };
    const { cc } = setup({ identity: { fuzzy: { fields, parameters, autoMergeAbove: 0.999999 } } });
    const a = await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(1) });
    const b = await cc.identify({ identifiers: [phone("+48601234567")], traits: janTypo, at: day(2) });
    expect(b.profileId).not.toBe(a.profileId);
    const [suggestion] = await cc.profiles.suggest({ profileId: b.profileId });
    const reviews = await cc.profiles.reviews({ status: "open" });
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      reason: "fuzzy",
      profileIds: expect.arrayContaining([a.profileId, b.profileId]),
      evidence: { kind: "fuzzy", score: suggestion?.score, at: iso(2) },
    });
    expect(Object.keys(reviews[0]?.evidence.kind === "fuzzy" ? reviews[0].evidence.weights : {}).sort()).toEqual(
      Object.keys(suggestion?.weights ?? {}).sort(),
    );
    const accepted = await cc.profiles.acceptReview(reviews[0]?.id as string, { reason: "same DOB, same city" });
    expect(accepted.profileId).toBe(a.profileId);
    expect((await cc.profiles.decisions({ profileId: a.profileId })).map((d) => d.kind)).toEqual(["merge"]);
  });

  it("a dismissed fuzzy suggestion is not raised again when the profiles are seen again", async () => {
    const { cc } = setup({ identity: { fuzzy: { fields } } });
    await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(1) });
    await cc.identify({ identifiers: [phone("+48601234567")], traits: janTypo, at: day(2) });
    const [review] = await cc.profiles.reviews();
    await cc.profiles.dismissReview(review?.id as string, { reason: "father and son" });
    await cc.identify({ identifiers: [email("jan.kowalski@poczta.pl")], traits: jan, at: day(3) });
    await cc.identify({ identifiers: [phone("+48601234567")], traits: janTypo, at: day(4) });
    expect(await cc.profiles.reviews({ status: "open" })).toEqual([]);
    expect((await cc.profiles.reviews()).map((r) => [r.id, r.status])).toEqual([[review?.id, "dismissed"]]);
  });
});

describe("forget", () => {
  it("erases the review items and revocations naming the forgotten person", async () => {
    const storage = memoryAdapter();
    const { cc } = setup({ storage });
    await limitConflict(cc);
    const a = await cc.identify({ identifiers: [email("jan@x.pl")], at: day(3) });
    const b = await cc.identify({ identifiers: [phone("601234567")], at: day(3) });
    await cc.profiles.merge(a.profileId, b.profileId, { reason: "same" });
    const [d] = await cc.profiles.decisions({ profileId: a.profileId });
    await cc.profiles.revoke(d?.id as string, { reason: "secret operator note" });
    await cc.profiles.forget({ identifier: email("family@poczta.pl") });
    await cc.profiles.forget({ identifier: email("jan@x.pl") });
    expect(await cc.profiles.reviews()).toEqual([]);
    const dump = JSON.stringify(
      await storage.transaction(async (tx) => ({
        reviews: await tx.scan("identity_reviews"),
        revocations: await tx.scan("identity_revocations"),
      })),
    );
    expect(dump).not.toContain("family@poczta.pl");
    expect(dump).not.toContain("jan@x.pl");
    expect(dump).not.toContain("secret operator note");
  });
});
