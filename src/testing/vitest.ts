/**
 * `customer-context/testing/vitest`: importing it registers the customer-context matchers on
 * vitest's `expect` and adds their types.
 *
 * @example
 * ```ts
 * import "customer-context/testing/vitest";
 * await expect(cc).toResolveTogether(email, phone);
 * ```
 *
 * @module
 */
import { expect } from "vitest";
import { type CustomerContextMatchers, matchers } from "./matchers.js";

expect.extend(matchers);

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Assertion<T = any>; the merge must match it.
  interface Assertion<T = any> extends CustomerContextMatchers<T> {}
  interface AsymmetricMatchersContaining extends CustomerContextMatchers {}
}
