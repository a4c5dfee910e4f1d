/**
 * Operator decisions as first-class, undoable evidence: list the decisions that shape a profile,
 * merge as an operator, and revoke a decision, which removes its evidence and recomputes the
 * profiles (and re-stitches their conversations) as if it had never been made.
 *
 * Revoking an auto-merge is sticky: a revocation record keeps the two identifiers it joined, and
 * fuzzy matching does not merge their profiles again (an operator still can).
 */
import { compareStrings } from "../_lib/hash.js";
import { NotFoundError } from "../errors.js";
import { decisionKeys, describeDecision } from "../identity/graph/describeDecision.js";
import type { OperatorDecision } from "../identity/graph/types.js";
import type { Decision, RevokeResult } from "../schema/outputs.js";
import { batchOf, type PutEntry } from "../storage/port.js";
import {
  C,
  type IdentifierDoc,
  membersOf,
  type ProfileDoc,
  profileIdsOf,
  REVOCATIONS,
  type RevocationDoc,
  resolveProfileId,
} from "./_lib/schema.js";
import { unique } from "./_lib/unique.js";
import { restitchAfter } from "./conversations.js";
import * as identity from "./identity.js";
import type { ApplyEnv } from "./ingest.js";

/** Who decided, why and when. */
export interface DecisionAction {
  reason: string;
  by?: string | undefined;
  at: string;
}

/**
 * An operator merge of two profiles (`profiles.merge`, an accepted review), with the
 * conversations re-stitched. `merged` lists the profile ids absorbed; `decisionId` is `null`
 * when the two were already one profile.
 */
export async function operatorMerge(
  env: ApplyEnv,
  a: string,
  b: string,
  action: DecisionAction,
): Promise<{ profileId: string; merged: string[]; decisionId: string | null }> {
  const before = new Set(
    [await resolveProfileId(env.tx, a), await resolveProfileId(env.tx, b)].filter((x): x is string => x !== null),
  );
  const result = await identity.mergeProfiles(env, a, b, { reason: action.reason, by: action.by, at: action.at });
  await restitchAfter(env, result.change);
  return {
    profileId: result.profileId,
    merged: [...before].filter((id) => id !== result.profileId),
    decisionId: result.decisionId,
  };
}

/** The decisions that shape a profile (those naming one of its identifiers), oldest first. */
export async function listDecisions(env: ApplyEnv, profileId: string): Promise<Decision[]> {
  const profile = await env.tx.get<ProfileDoc>(C.profiles, profileId);
  if (!profile) return [];
  const members = await membersOf(env.tx, profile);
  const docs = await batchOf(env.tx).findMany<OperatorDecision>(C.decisions, "ident", members);
  return docs
    .map(({ value }) => describeDecision(value))
    .sort((x, y) => compareStrings(x.at, y.at) || compareStrings(x.id, y.id));
}

/**
 * Withdraws a decision: its evidence is removed, the separations a merge lifted apply again, and
 * the profiles around it are recomputed and their conversations re-stitched. Revoking a decision
 * already revoked changes nothing (`duplicate`); an unknown id is `not_found`.
 */
export async function revokeDecision(
  env: ApplyEnv,
  decisionId: string,
  action: DecisionAction,
): Promise<RevokeResult & { duplicate: boolean }> {
  const { tx } = env;
  await tx.lock([`decision:${decisionId}`]);
  const decision = await tx.get<OperatorDecision>(C.decisions, decisionId);
  if (!decision) {
    const done = await tx.get<RevocationDoc>(REVOCATIONS, decisionId);
    if (!done) throw new NotFoundError("decision", decisionId);
    return { decisionId, kind: done.kind, profileIds: await holders(env, done.keys), duplicate: true };
  }
  const keys = decisionKeys(decision);
  const around = [...keys];
  if (decision.kind === "merge") {
    // The separations this merge lifted hold again: the operator never joined their two sides.
    const relifted: PutEntry<OperatorDecision>[] = [];
    const near = await membersOfHolders(env, keys);
    for (const { value: d } of await batchOf(tx).findMany<OperatorDecision>(C.decisions, "ident", near)) {
      if (d.kind !== "split" || d.liftedBy !== decisionId) continue;
      const { liftedBy: _lifted, ...active } = d;
      const all = [...d.detached, ...d.kept];
      relifted.push({ key: d.id, value: active, index: { ident: all } });
      around.push(...all);
    }
    if (relifted.length > 0) await batchOf(tx).putMany(C.decisions, relifted);
  }
  await tx.delete(C.decisions, decisionId);
  const change = await identity.recompute(env, unique(around), action.at, action.reason);
  await restitchAfter(env, change);
  const kind = describeDecision(decision).kind;
  const record: RevocationDoc = {
    decisionId,
    kind,
    keys,
    at: action.at,
    reason: action.reason,
    ...(action.by !== undefined ? { by: action.by } : {}),
  };
  await tx.put(REVOCATIONS, decisionId, record, { index: { ident: keys } });
  return { decisionId, kind, profileIds: await holders(env, keys), duplicate: false };
}

/**
 * Whether fuzzy matching may not merge these two profiles: an auto-merge that joined an
 * identifier of one to an identifier of the other was revoked.
 */
export async function autoMergeRevoked(env: ApplyEnv, profileId: string, otherProfileId: string): Promise<boolean> {
  const profile = await env.tx.get<ProfileDoc>(C.profiles, profileId);
  if (!profile) return false;
  const members = new Set(await membersOf(env.tx, profile));
  const revoked = (await batchOf(env.tx).findMany<RevocationDoc>(REVOCATIONS, "ident", [...members])).filter(
    ({ value }) => value.kind === "auto-merge",
  );
  if (revoked.length === 0) return false;
  const others = unique(revoked.flatMap(({ value }) => value.keys.filter((k) => !members.has(k))));
  const docs = await env.tx.getMany<IdentifierDoc>(C.identifiers, others);
  const owners = await profileIdsOf(env.tx, docs.values());
  return [...owners.values()].some((id) => id === otherProfileId);
}

/** The current profiles holding `keys`, sorted. */
async function holders(env: ApplyEnv, keys: readonly string[]): Promise<string[]> {
  const docs = await env.tx.getMany<IdentifierDoc>(C.identifiers, keys);
  const owners = await profileIdsOf(env.tx, docs.values());
  return unique([...owners.values()].filter((id) => id !== "")).sort(compareStrings);
}

/** Every identifier of the profiles holding `keys`. */
async function membersOfHolders(env: ApplyEnv, keys: readonly string[]): Promise<string[]> {
  const profiles = await env.tx.getMany<ProfileDoc>(C.profiles, await holders(env, keys));
  const out = new Set<string>(keys);
  for (const profile of profiles.values()) for (const k of await membersOf(env.tx, profile)) out.add(k);
  return [...out];
}
