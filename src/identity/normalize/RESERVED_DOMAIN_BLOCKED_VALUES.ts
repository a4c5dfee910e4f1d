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
