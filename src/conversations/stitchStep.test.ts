import { describe, expect, it } from "vitest";
import type { StitchInteraction } from "./stitchConversations.js";
import { type StitchCandidate, stitchStep } from "./stitchStep.js";

const options = { window: { days: 3 }, reopenWindow: { days: 14 } };
const x = (extra: Partial<StitchInteraction> = {}): StitchInteraction => ({
  id: "i9",
  channel: "phone",
  direction: "inbound",
  at: "2026-04-10T10:00:00.000Z",
  ...extra,
});
const open = (id: string, lastAt: string, subjectKey?: string): StitchCandidate => ({
  id,
  status: "open",
  lastAt,
  ...(subjectKey !== undefined ? { subjectKey } : {}),
});
const resolved = (id: string, resolvedAt: string): StitchCandidate => ({
  id,
  status: "resolved",
  lastAt: resolvedAt,
  resolvedAt,
});

describe("stitchStep", () => {
  it("takes the first explicit link in rule order: continues, email thread, thread key, case reference", () => {
    const a = open("a", "2026-04-01T00:00:00.000Z");
    const b = open("b", "2026-04-01T00:00:00.000Z");
    const state = { continues: a, emailThread: b, threadKey: b, caseRef: b, open: [] };
    expect(stitchStep(state, x({ continuesVia: "i1", caseRef: "C" }), options)).toEqual({
      join: "a",
      rule: "continues",
      reopen: false,
    });
    expect(stitchStep(state, x({ refs: ["m1"], caseRef: "C" }), options)).toMatchObject({ rule: "email-thread" });
    expect(stitchStep(state, x({ threadKey: "T", caseRef: "C" }), options)).toMatchObject({ rule: "thread-key" });
    expect(stitchStep(state, x({ caseRef: "C" }), options)).toMatchObject({ join: "b", rule: "case-ref" });
    // A link the interaction does not have is ignored, whatever the state holds.
    expect(stitchStep(state, x(), options)).toEqual({ join: null, rule: "new" });
  });

  it("reopens a resolved conversation within the reopen window, and links back to it after", () => {
    const state = (c: StitchCandidate) => ({ caseRef: c, open: [] });
    expect(stitchStep(state(resolved("r", "2026-04-01T00:00:00.000Z")), x({ caseRef: "C" }), options)).toEqual({
      join: "r",
      rule: "case-ref",
      reopen: true,
    });
    expect(stitchStep(state(resolved("r", "2026-03-01T00:00:00.000Z")), x({ caseRef: "C" }), options)).toEqual({
      join: null,
      rule: "new",
      previousId: "r",
    });
  });

  it("continues the most recent open conversation within the window whose subject fits (rule 5)", () => {
    const state = {
      open: [
        open("old", "2026-04-09T00:00:00.000Z"),
        open("loan", "2026-04-09T12:00:00.000Z", "loan"),
        open("late", "2026-04-01T00:00:00.000Z"),
      ],
    };
    expect(stitchStep(state, x(), options)).toEqual({ join: "loan", rule: "time-window", reopen: false });
    expect(stitchStep(state, x({ subject: "Card" }), options)).toMatchObject({ join: "old" });
    expect(stitchStep(state, x({ subject: "LOAN" }), options)).toMatchObject({ join: "loan" });
    expect(stitchStep({ open: [open("late", "2026-04-01T00:00:00.000Z")] }, x(), options)).toEqual({
      join: null,
      rule: "new",
    });
  });
});
