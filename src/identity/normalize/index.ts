export {
  type BlockList,
  type CreateBlockListOptions,
  createBlockList,
  DEFAULT_BLOCKED_VALUES,
  RESERVED_DOMAIN_BLOCKED_VALUES,
} from "./createBlockList.js";
export { identifierKey } from "./identifierKey.js";
export { isBlocked } from "./isBlocked.js";
export { type NormalizeEmailOptions, normalizeEmail } from "./normalizeEmail.js";
export { type NormalizeOptions, type NormalizeResult, normalizeIdentifier } from "./normalizeIdentifier.js";
export { type NormalizePhoneOptions, normalizePhone } from "./normalizePhone.js";
export { parseIdentifierKey } from "./parseIdentifierKey.js";
