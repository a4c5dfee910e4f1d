/**
 * The review queue for unclear identity: refused links (limit conflicts, operator separations,
 * auto-blocked identifiers) and fuzzy suggestions below `autoMergeAbove` are kept as review items
 * with their evidence. An operator accepts one (an operator merge of the two profiles) or
 * dismisses it (remembered: the same item, by its deterministic id, is not raised again).
 *
 * Which refusals and suggestions become items, and their ids, is decided by the core
 * (`src/identity/reviews/`); this file loads, calls it and writes.
 */
import { compareStrings } from "../_lib/hash.js";
import { isCustomerContextError, NotFoundError, RefusedError } from "../errors.js";
import { identifierKey } from "../identity/normalize/identifierKey.js";
import { parseIdentifierKey } from "../identity/normalize/parseIdentifierKey.js";
import { describeSuggestion, planFuzzyMatches } from "../identity/reviews/planFuzzyMatches.js";
import { earlierEvidence, refusalReviews } from "../identity/reviews/refusalReviews.js";
import type { ReviewCandidate } from "../identity/reviews/types.js";
import type { Review, ReviewStatus } from "../schema/outputs.js";
import { batchOf, type PutEntry } from "../storage/port.js";
import { C, type IdentifierDoc, type ProfileDoc, profileIdsOf, REVIEWS, type ReviewDoc } from "./_lib/schema.js";
import { unique } from "./_lib/unique.js";
import { autoMergeRevoked, type DecisionAction, operatorMerge } from "./decisions.js";
import * as identity from "./identity.js";
import type { ApplyEnv } from "./ingest.js";

function indexOf(doc: ReviewDoc): Record<string, string | string[]> {
  const index: Record<string, string | string[]> = { ident: [...doc.keys], status: doc.status };
  if (doc.decision?.decisionId !== undefined) index.decision = doc.decision.decisionId;
  return index;
}

/**
 * Keeps review candidates: a new one is raised open; one already known keeps its status (a
 * dismissed item stays dismissed) and the earlier of the two evidences.
 */
export async function raiseReviews(env: ApplyEnv, candidates: readonly ReviewCandidate[]): Promise<void> {
  if (candidates.length === 0) return;
  const known = await env.tx.getMany<ReviewDoc>(
    REVIEWS,
    candidates.map((c) => c.id),
  );
  const puts: PutEntry<ReviewDoc>[] = [];
  for (const candidate of candidates) {
    const old = known.get(candidate.id);
    let doc: ReviewDoc;
    if (!old) doc = { ...candidate, status: "open" };
    else if (earlierEvidence(old, candidate) === old) continue;
    else doc = { ...old, evidence: candidate.evidence };
    puts.push({ key: doc.id, value: doc, index: indexOf(doc) });
    known.set(doc.id, doc);
  }
  if (puts.length > 0) await batchOf(env.tx).putMany(REVIEWS, puts);
}

/**
 * Raises the reviewable refusals of the links an observation's resolution refused (see
 * `refusalReviews`): its own link's, and those of older links that it recomputed into a refusal.
 * Raising one again is harmless: a review's id is a hash of its question.
 */
export async function raiseRefusals(env: ApplyEnv, links: readonly identity.RefusedLink[]): Promise<void> {
  const candidates = links.flatMap((link) =>
    refusalReviews(
      link,
      link.refused.map((r) => ({ key: identifierKey(r.identifier), reason: r.reason, message: r.message })),
    ),
  );
  await raiseReviews(env, candidates);
}

/**
 * Fuzzy matching after an observation with traits: merges the profile with every candidate
 * scoring at least `autoMergeAbove` (as an `auto-merge` decision, unless such a merge of the two
 * was revoked, or a rule refuses it), and raises the other suggestions for review.
 *
 * @returns the partition changes of the merges, for re-stitching
 */
export async function matchAndReview(
  env: ApplyEnv,
  profileId: string,
  at: string,
): Promise<identity.PartitionChange[]> {
  const fuzzy = env.options.fuzzy;
  if (!fuzzy) return [];
  const suggestions = await identity.suggestMatches(env, profileId);
  if (suggestions.length === 0) return [];
  const profiles = await env.tx.getMany<ProfileDoc>(C.profiles, unique(suggestions.flatMap((s) => [s.a, s.b])));
  const anchorOf = new Map([...profiles].map(([id, doc]) => [id, doc.anchor]));
  const plan = planFuzzyMatches(suggestions, anchorOf, fuzzy.autoMergeAbove, at);
  const changes: identity.PartitionChange[] = [];
  let current = profileId;
  for (const suggestion of plan.merge) {
    const other = suggestion.a === profileId ? suggestion.b : suggestion.a;
    if (await autoMergeRevoked(env, current, other)) continue;
    const mark = env.buffer.mark();
    const events = env.events.length;
    try {
      const result = await identity.mergeProfiles(env, current, other, {
        reason: describeSuggestion(suggestion),
        by: "fuzzy",
        at,
        auto: true,
      });
      current = result.profileId;
      changes.push(result.change);
    } catch (error) {
      if (!isCustomerContextError(error, "refused")) throw error;
      // A refused merge leaves nothing behind: not its decision, not the separations it would lift.
      env.buffer.rollbackTo(mark);
      env.events.length = events;
    }
  }
  await raiseReviews(env, plan.review);
  return changes;
}

/**
 * The review items, oldest evidence first; with `status`, only those. An open item whose two
 * identifiers are in one profile by now needs no person and is left out.
 */
export async function listReviews(env: ApplyEnv, status?: ReviewStatus): Promise<Review[]> {
  const docs = (
    status === undefined
      ? await env.tx.scan<ReviewDoc>(REVIEWS)
      : await env.tx.find<ReviewDoc>(REVIEWS, "status", status)
  ).map((d) => d.value);
  const owners = await ownersOf(env, unique(docs.flatMap((d) => d.keys)));
  const out: Review[] = [];
  for (const doc of docs) {
    const [a, b] = doc.keys.map((k) => owners.get(k));
    if (a === undefined || b === undefined) continue;
    if (doc.status === "open" && a === b) continue;
    out.push(toReview(doc, [a, b]));
  }
  return out.sort((x, y) => compareStrings(x.evidence.at, y.evidence.at) || compareStrings(x.id, y.id));
}

/**
 * Accepts a review: an operator merge of the two profiles, recorded on the item. Accepting an
 * item already accepted returns it again and writes nothing; a dismissed one is `refused`.
 */
export async function acceptReview(
  env: ApplyEnv,
  id: string,
  action: DecisionAction,
): Promise<{ review: Review; profileId: string; merged: string[] }> {
  const doc = await requireReview(env, id);
  const owners = await ownersOf(env, doc.keys);
  const [a, b] = doc.keys.map((k) => owners.get(k));
  if (a === undefined || b === undefined) throw new NotFoundError("review", id);
  if (doc.status === "accepted") return { review: toReview(doc, [a, b]), profileId: a, merged: [] };
  if (doc.status === "dismissed") {
    throw new RefusedError(`Review ${id} was dismissed; it cannot be accepted`, { reviewId: id, status: doc.status });
  }
  const merge = await operatorMerge(env, a, b, action);
  const next: ReviewDoc = {
    ...doc,
    status: "accepted",
    decision: { ...reasonOf(action), ...(merge.decisionId !== null ? { decisionId: merge.decisionId } : {}) },
  };
  await env.tx.put(REVIEWS, id, next, { index: indexOf(next) });
  return {
    review: toReview(next, [merge.profileId, merge.profileId]),
    profileId: merge.profileId,
    merged: merge.merged,
  };
}

/**
 * Dismisses a review: remembered, so the same item is not raised again. Dismissing an item
 * already dismissed returns it again and writes nothing; an accepted one is `refused`.
 */
export async function dismissReview(env: ApplyEnv, id: string, action: DecisionAction): Promise<Review> {
  const doc = await requireReview(env, id);
  const owners = await ownersOf(env, doc.keys);
  const [a, b] = doc.keys.map((k) => owners.get(k));
  if (a === undefined || b === undefined) throw new NotFoundError("review", id);
  if (doc.status === "dismissed") return toReview(doc, [a, b]);
  if (doc.status === "accepted") {
    throw new RefusedError(`Review ${id} was accepted; revoke its merge decision instead`, {
      reviewId: id,
      status: doc.status,
      ...(doc.decision?.decisionId !== undefined ? { decisionId: doc.decision.decisionId } : {}),
    });
  }
  const next: ReviewDoc = { ...doc, status: "dismissed", decision: reasonOf(action) };
  await env.tx.put(REVIEWS, id, next, { index: indexOf(next) });
  return toReview(next, [a, b]);
}

/** After a merge decision is revoked, the review it came from is open again, as if never accepted. */
export async function reopenReviewsOf(env: ApplyEnv, decisionId: string): Promise<void> {
  const puts: PutEntry<ReviewDoc>[] = [];
  for (const { value } of await env.tx.find<ReviewDoc>(REVIEWS, "decision", decisionId)) {
    const { decision: _decision, ...rest } = value;
    const doc: ReviewDoc = { ...rest, status: "open" };
    puts.push({ key: doc.id, value: doc, index: indexOf(doc) });
  }
  if (puts.length > 0) await batchOf(env.tx).putMany(REVIEWS, puts);
}

async function requireReview(env: ApplyEnv, id: string): Promise<ReviewDoc> {
  await env.tx.lock([`review:${id}`]);
  const doc = await env.tx.get<ReviewDoc>(REVIEWS, id);
  if (!doc) throw new NotFoundError("review", id);
  return doc;
}

/** The profile each identifier key belongs to now. */
async function ownersOf(env: ApplyEnv, keys: readonly string[]): Promise<Map<string, string>> {
  const docs = await env.tx.getMany<IdentifierDoc>(C.identifiers, keys);
  return profileIdsOf(env.tx, docs.values());
}

function reasonOf(action: DecisionAction): { reason: string; by?: string; at: string } {
  return { reason: action.reason, ...(action.by !== undefined ? { by: action.by } : {}), at: action.at };
}

function toReview(doc: ReviewDoc, profileIds: [string, string]): Review {
  const evidence: Review["evidence"] =
    doc.evidence.kind === "link"
      ? {
          kind: "link",
          linkId: doc.evidence.linkId,
          identifiers: doc.evidence.keys.map(parseIdentifierKey),
          at: doc.evidence.at,
          message: doc.evidence.message,
        }
      : { ...doc.evidence, weights: { ...doc.evidence.weights } };
  return {
    id: doc.id,
    status: doc.status,
    reason: doc.reason,
    identifiers: [parseIdentifierKey(doc.keys[0]), parseIdentifierKey(doc.keys[1])],
    profileIds,
    evidence,
    ...(doc.decision !== undefined ? { decision: { ...doc.decision } } : {}),
  };
}
