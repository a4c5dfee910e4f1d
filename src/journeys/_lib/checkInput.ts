/**
 * Small input checks for the journey functions, in place of zod so that they stay light: each
 * names the offending field in an `InvalidInputError` instead of failing later with a TypeError.
 *
 * @module
 */

import { checkOptionalString, isObject, MAX_ISSUES, throwIfIssues, wrongType } from "../../conversations/_lib/check.js";
import type { InputIssue, InputPathKey } from "../../errors.js";

type Fields = Record<string, "string" | "string?" | "strings" | "object" | "array" | "array?" | "number?">;

function checkFields(issues: InputIssue[], value: unknown, path: InputPathKey[], fields: Fields): void {
  if (!isObject(value)) {
    wrongType(issues, path, "an object", value);
    return;
  }
  for (const [key, kind] of Object.entries(fields)) {
    const field = value[key];
    const at = [...path, key];
    switch (kind) {
      case "string":
        if (typeof field !== "string") wrongType(issues, at, "a string", field);
        break;
      case "string?":
        checkOptionalString(issues, at, field);
        break;
      case "strings":
        if (!Array.isArray(field) || field.some((s) => typeof s !== "string"))
          wrongType(issues, at, "an array of strings", field);
        break;
      case "object":
        if (!isObject(field)) wrongType(issues, at, "an object", field);
        break;
      case "array":
        if (!Array.isArray(field)) wrongType(issues, at, "an array", field);
        break;
      case "array?":
        if (field !== undefined && !Array.isArray(field)) wrongType(issues, at, "an array", field);
        break;
      case "number?":
        if (field !== undefined && (typeof field !== "number" || Number.isNaN(field)))
          wrongType(issues, at, "a number", field);
        break;
    }
  }
}

function checkEach(issues: InputIssue[], list: unknown, path: InputPathKey[], fields: Fields): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length && issues.length < MAX_ISSUES; i++)
    checkFields(issues, list[i], [...path, i], fields);
}

const INTERACTION: Fields = {
  id: "string",
  conversationId: "string",
  channel: "string",
  direction: "string",
  at: "string",
};
const CONVERSATION: Fields = { id: "string", status: "string", channels: "strings", startedAt: "string" };
const OPTIONS: Fields = { width: "number?", title: "string?" };

/** Checks what `renderTimelineSvg` reads from a snapshot and its options. */
export function checkSnapshot(snapshot: unknown, options: unknown, what: string): void {
  const issues: InputIssue[] = [];
  checkFields(issues, snapshot, ["snapshot"], {
    profile: "object",
    timeline: "array",
    conversations: "array",
    offers: "array?",
    alerts: "array?",
  });
  if (isObject(snapshot)) {
    if (isObject(snapshot.profile))
      checkFields(issues, snapshot.profile, ["snapshot", "profile"], { id: "string", traits: "object" });
    checkEach(issues, snapshot.timeline, ["snapshot", "timeline"], INTERACTION);
    checkEach(issues, snapshot.conversations, ["snapshot", "conversations"], CONVERSATION);
    checkEach(issues, snapshot.offers, ["snapshot", "offers"], {
      id: "string",
      offerId: "string",
      channel: "string",
      at: "string",
      terms: "object",
    });
    checkEach(issues, snapshot.alerts, ["snapshot", "alerts"], {
      kind: "string",
      message: "string",
      since: "string",
      conversationId: "string",
    });
  }
  checkFields(issues, options, ["options"], { ...OPTIONS, violations: "array?" });
  if (isObject(options))
    checkEach(issues, options.violations, ["options", "violations"], {
      rule: "string",
      message: "string",
      presentationId: "string?",
    });
  throwIfIssues(what, issues);
}

/** Checks what `renderJourneySvg` reads from journey metrics and its options. */
export function checkMetrics(metrics: unknown, options: unknown, what: string): void {
  const issues: InputIssue[] = [];
  checkFields(issues, metrics, ["metrics"], {
    channels: "strings",
    range: "object",
    transitions: "array",
    multiChannel: "object",
    repeatContact: "object",
    firstResponse: "object",
    unansweredInbound: "object",
    switchesPerResolved: "object",
  });
  if (isObject(metrics)) {
    checkEach(issues, metrics.transitions, ["metrics", "transitions"], { from: "string", to: "string" });
    if (isObject(metrics.range)) {
      const { from, to } = metrics.range;
      if (from !== null && typeof from !== "string")
        wrongType(issues, ["metrics", "range", "from"], "a date string or null", from);
      if (to !== null && typeof to !== "string")
        wrongType(issues, ["metrics", "range", "to"], "a date string or null", to);
    }
  }
  checkFields(issues, options, ["options"], OPTIONS);
  throwIfIssues(what, issues);
}

/** Checks what `journeyMetrics` reads: the conversations, the interactions and the range bounds. */
export function checkMetricsInput(input: unknown, what: string): void {
  const issues: InputIssue[] = [];
  checkFields(issues, input, ["input"], { conversations: "array", interactions: "array" });
  if (isObject(input)) {
    checkEach(issues, input.conversations, ["input", "conversations"], {
      ...CONVERSATION,
      profileId: "string",
      lastAt: "string",
    });
    checkEach(issues, input.interactions, ["input", "interactions"], { ...INTERACTION, profileId: "string" });
    for (const key of ["from", "to"] as const) {
      const bound = input[key];
      if (bound !== undefined && typeof bound !== "string" && !(bound instanceof Date))
        wrongType(issues, ["input", key], "a Date or a date string", bound);
    }
  }
  throwIfIssues(what, issues);
}
