export { type BlockList, type CreateBlockListOptions, createBlockList } from "./createBlockList.js";
export { DEFAULT_BLOCKED_VALUES } from "./DEFAULT_BLOCKED_VALUES.js";
export { identifierKey } from "./identifierKey.js";
export { isBlocked } from "./isBlocked.js";
export { type NormalizeEmailOptions, normalizeEmail } from "./normalizeEmail.js";
export { type NormalizeOptions, type NormalizeResult, normalizeIdentifier } from "./normalizeIdentifier.js";
export { type NormalizePhoneOptions, normalizePhone } from "./normalizePhone.js";
export { parseIdentifierKey } from "./parseIdentifierKey.js";
export { RESERVED_DOMAIN_BLOCKED_VALUES } from "./RESERVED_DOMAIN_BLOCKED_VALUES.js";
