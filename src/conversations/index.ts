export { type BaseSubjectOptions, baseSubject, DEFAULT_SUBJECT_PREFIXES } from "./baseSubject.js";
export { compileCaseRefPattern } from "./compileCaseRefPattern.js";
export { CASE_REF_SCAN_LIMIT, DEFAULT_CASE_REF_PATTERN, findCaseRef } from "./findCaseRef.js";
export { type MessageHeaders, normalizeMessageId, parseMessageIds, referencedIds } from "./messageId.js";
export {
  conversationIdFor,
  type StitchDecision,
  type StitchedConversation,
  type StitchInteraction,
  type StitchOptions,
  type StitchRule,
  stitchConversations,
} from "./stitchConversations.js";
export { type StitchCandidate, type StitchState, type StitchStepDecision, stitchStep } from "./stitchStep.js";
export { type EmailThread, type ThreadableMessage, type ThreadEmailsOptions, threadEmails } from "./threadEmails.js";
