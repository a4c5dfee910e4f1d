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

/**
 * An opt-in preset that blocks email addresses at the domains reserved for documentation and
 * testing (RFC 2606, RFC 6761): `example.com`, `example.org`, `example.net` and their subdomains,
 * and the `.test`, `.example`, `.invalid` and `.localhost` top-level domains. They are not in
 * `DEFAULT_BLOCKED_VALUES`, because `jan@example.com` is the first thing a developer writes in a
 * test. Turn them on in production when such addresses in your data can only be junk that would
 * link unrelated customers.
 *
 * @example
 * ```ts
 * const cc = createCustomerContext({ identity: { blocked: [...RESERVED_DOMAIN_BLOCKED_VALUES] } });
 * isBlocked(createBlockList(RESERVED_DOMAIN_BLOCKED_VALUES), { type: "email", value: "jan@example.com" }); // true
 * isBlocked(createBlockList(), { type: "email", value: "jan@example.com" });                               // false
 * ```
 */
export const RESERVED_DOMAIN_BLOCKED_VALUES: readonly (string | RegExp)[] = Object.freeze([
  /@(?:[^@]+\.)?example\.(?:com|org|net)$/i,
  /@(?:[^@]+\.)?(?:test|example|invalid|localhost)$/i,
]);

/** A compiled set of blocked values; build it with {@link createBlockList}, query it with `isBlocked`. */
export interface BlockList {
  /** Lower-cased string entries: matched against a value or a `type:value` key. */
  readonly values: ReadonlySet<string>;
  /** Patterns, copied without the `g`/`y` flags so that `test` keeps no `lastIndex` state. */
  readonly patterns: readonly RegExp[];
}

/** Options of {@link createBlockList}. */
export interface CreateBlockListOptions {
  /** Include {@link DEFAULT_BLOCKED_VALUES} (default `true`). */
  defaults?: boolean;
}

/**
 * Compiles blocked values into a {@link BlockList}. A string entry blocks any identifier whose
 * normalised value equals it case-insensitively (any type), or whose `type:value` key equals it
 * (`"phone:+48601234567"` blocks that phone only). A RegExp blocks every normalised value it
 * matches; `g`/`y` flags are dropped so repeated tests are stateless.
 *
 * @param blocked - Extra blocked values and patterns (your own call-centre number, `/@acme\.test$/`).
 * @param options - {@link CreateBlockListOptions}: `defaults: false` drops the built-in values.
 * @returns The compiled block list.
 *
 * @example
 * ```ts
 * const list = createBlockList(["phone:+48221234567", /@internal\.acme\.com$/]);
 * isBlocked(list, { type: "email", value: "unknown" });                // true (a default)
 * isBlocked(list, { type: "phone", value: "+48221234567" });           // true
 * isBlocked(list, { type: "email", value: "bob@internal.acme.com" });  // true
 * isBlocked(createBlockList([], { defaults: false }), { type: "userId", value: "unknown" }); // false
 * ```
 */
export function createBlockList(
  blocked: readonly (string | RegExp)[] = [],
  options?: CreateBlockListOptions,
): BlockList {
  const entries = options?.defaults === false ? blocked : [...DEFAULT_BLOCKED_VALUES, ...blocked];
  const values = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") values.add(entry.trim().toLowerCase());
    else patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, "")));
  }
  return { values, patterns };
}
