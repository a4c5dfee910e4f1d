import type { Decision } from "../../schema/outputs.js";
import { parseIdentifierKey } from "../normalize/parseIdentifierKey.js";
import type { OperatorDecision } from "./types.js";

/**
 * An operator decision in its public shape (`cc.profiles.decisions`): a merge made by fuzzy
 * matching is an `auto-merge`, a split is an `unmerge`, with identifiers instead of keys.
 *
 * @param decision - the decision as stored
 * @returns the decision as listed
 *
 * @example
 * ```ts
 * describeDecision({ id: "dec_1", kind: "merge", keys: ["email:a@x.pl", "phone:+48601234567"], at, reason: "same person" }).kind; // "merge"
 * ```
 */
export function describeDecision(decision: OperatorDecision): Decision {
  const by = decision.by !== undefined ? { by: decision.by } : {};
  if (decision.kind === "merge") {
    return {
      id: decision.id,
      kind: decision.auto === true ? "auto-merge" : "merge",
      at: decision.at,
      reason: decision.reason,
      ...by,
      identifiers: decision.keys.map(parseIdentifierKey),
      active: true,
    };
  }
  return {
    id: decision.id,
    kind: "unmerge",
    at: decision.at,
    reason: decision.reason,
    ...by,
    identifiers: [parseIdentifierKey(decision.key)],
    detached: decision.detached.map(parseIdentifierKey),
    kept: decision.kept.map(parseIdentifierKey),
    active: decision.liftedBy === undefined,
  };
}

/** The identifier keys an operator decision names (a merge's two sides, a split's two parts). */
export function decisionKeys(decision: OperatorDecision): string[] {
  return decision.kind === "merge" ? [...decision.keys] : [...decision.detached, ...decision.kept];
}
