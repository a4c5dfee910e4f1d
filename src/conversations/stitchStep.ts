import { compareStrings } from "../_lib/hash.js";
import { within } from "./_lib/within.js";
import type { StitchInteraction, StitchOptions, StitchRule } from "./stitchConversations.js";

/** What the stitcher needs to know about a conversation an interaction might join. */
export interface StitchCandidate {
  id: string;
  status: "open" | "resolved";
  lastAt: string;
  resolvedAt?: string;
  /** Lower-cased base subject of the conversation, when it has one. */
  subjectKey?: string;
}

/**
 * The stitch state an interaction meets: the conversations its explicit links point at (already
 * looked up by the caller, from memory or from storage) and the customer's open conversations.
 */
export interface StitchState {
  /** Rule 1: the conversation of the interaction named by `continuesVia`. */
  continues?: StitchCandidate;
  /** Rule 2: the conversation of the first Message-ID / reference (in that order) that has one. */
  emailThread?: StitchCandidate;
  /** Rule 3: the latest conversation with the interaction's channel and thread key. */
  threadKey?: StitchCandidate;
  /** Rule 4: the latest conversation with the interaction's case reference. */
  caseRef?: StitchCandidate;
  /** Rule 5: the customer's open conversations. */
  open: readonly StitchCandidate[];
}

/** Where an interaction goes, decided by {@link stitchStep}. */
export type StitchStepDecision =
  | { join: string; rule: Exclude<StitchRule, "new">; reopen: boolean }
  | { join: null; rule: "new"; previousId?: string };

/**
 * One step of stitching: decides which conversation an interaction joins, by the first rule of
 * `stitchConversations` that applies (explicit continuation, email thread, thread key, case
 * reference, the time window, else a new conversation), including reopening a resolved
 * conversation within `reopenWindow`. Pure: `stitchConversations` is a fold over it, and the
 * shell calls it with state loaded from storage, so the rules exist once.
 *
 * @param state - the candidates the interaction's links point at, and the open conversations
 * @param x - the interaction (its `subject` already reduced to the base subject)
 * @param options - continuation and reopen windows
 * @returns the conversation to join (and by which rule), or `join: null` for a new one
 *
 * @example
 * ```ts
 * const decision = stitchStep(
 *   { caseRef: { id: "conv_1", status: "open", lastAt: "2026-04-01T09:00:00.000Z" }, open: [] },
 *   { id: "i2", channel: "phone", direction: "inbound", at: "2026-04-02T10:00:00.000Z", caseRef: "LN-7781" },
 *   { window: { days: 3 }, reopenWindow: { days: 14 } },
 * );
 * decision; // { join: "conv_1", rule: "case-ref", reopen: false }
 * ```
 */
export function stitchStep(state: StitchState, x: StitchInteraction, options: StitchOptions): StitchStepDecision {
  const explicit: Array<[StitchCandidate | undefined, Exclude<StitchRule, "new" | "time-window">]> = [
    [x.continuesVia !== undefined ? state.continues : undefined, "continues"],
    [x.messageId !== undefined || (x.refs?.length ?? 0) > 0 ? state.emailThread : undefined, "email-thread"],
    [x.threadKey !== undefined ? state.threadKey : undefined, "thread-key"],
    [x.caseRef !== undefined ? state.caseRef : undefined, "case-ref"],
  ];
  const linked = explicit.find(([c]) => c !== undefined);
  if (linked) {
    const [target, rule] = linked as [StitchCandidate, Exclude<StitchRule, "new" | "time-window">];
    if (target.status !== "resolved") return { join: target.id, rule, reopen: false };
    if (within(target.resolvedAt as string, x.at, options.reopenWindow)) return { join: target.id, rule, reopen: true };
    return { join: null, rule: "new", previousId: target.id };
  }
  const key = x.subject?.toLowerCase();
  let best: StitchCandidate | undefined;
  for (const conv of state.open) {
    if (conv.status !== "open" || !within(conv.lastAt, x.at, options.window)) continue;
    if (key !== undefined && key !== "" && conv.subjectKey !== undefined && conv.subjectKey !== key) continue;
    if (
      !best ||
      compareStrings(conv.lastAt, best.lastAt) > 0 ||
      (conv.lastAt === best.lastAt && compareStrings(conv.id, best.id) > 0)
    ) {
      best = conv;
    }
  }
  return best ? { join: best.id, rule: "time-window", reopen: false } : { join: null, rule: "new" };
}
