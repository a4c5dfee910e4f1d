/**
 * The built-in blocked values: placeholders and junk that show up in identifier fields and would
 * otherwise link unrelated customers. They are compared with normalised values (see `isBlocked`):
 * strings case-insensitively, patterns with `RegExp.test`.
 *
 * - placeholders of any type: `null`, `undefined`, `nil`, `nan`, `none`, `unknown`, `anonymous`,
 *   `anon`, `guest`, `n/a`, `na`, `-`, `0`, `test`, `asdf`, `[object object]`, `true`, `false`;
 * - emails: `test@test.com`, and robot or placeholder mailboxes (`noreply@…`, `no-reply@…`, `donotreply@…`, `mailer-daemon@…`, `postmaster@…`,
 *   `noemail@…`, `no-email@…`, `nomail@…`, `none@…`, `unknown@…`, `null@…`);
 * - phones (E.164): only zeros (`+0000000`), one digit repeated (`+1111111111`), a country code
 *   followed by a run of at least seven zeros or of one repeated digit, and `1234567…` sequences.
 *
 * Real addresses of real people are deliberately not here (`test@gmail.com` can be someone's).
 * Neither are the reserved documentation and test domains (`jan@example.com` is what everyone
 * writes in a test): block them with the opt-in `RESERVED_DOMAIN_BLOCKED_VALUES`.
 *
 * @example
 * ```ts
 * DEFAULT_BLOCKED_VALUES.includes("unknown"); // true
 * ```
 */
export const DEFAULT_BLOCKED_VALUES: readonly (string | RegExp)[] = Object.freeze([
  "null",
  "undefined",
  "nil",
  "nan",
  "none",
  "unknown",
  "anonymous",
  "anon",
  "guest",
  "n/a",
  "na",
  "-",
  "0",
  "test",
  "asdf",
  "[object object]",
  "true",
  "false",
  "test@test.com",
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|no[-_.]?e?mail|none|unknown|null)@/i,
  /^\+?0+$/,
  /^\+(\d)\1+$/,
  /^\+(?:1|7|[2-9]\d{1,2})(\d)\1{6,}$/,
  /^\+?1234567(?:8(?:90?)?)?$/,
]);
