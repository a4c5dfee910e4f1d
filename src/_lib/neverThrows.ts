/**
 * Wraps an error callback (`onListenerError`) so that it can never throw: a callback that throws
 * while reporting a listener's error must not make an operation that has already committed
 * reject, nor leave an unhandled rejection behind an observer's refresh. What it throws is
 * reported once on the console instead.
 *
 * @param report The callback.
 * @returns The same callback, minus its exceptions.
 * @example
 * ```ts
 * const onError = neverThrows(() => { throw new Error("oops"); });
 * onError(new Error("listener failed"), { type: "profile.merged" }); // logs, does not throw
 * ```
 */
export function neverThrows<A extends unknown[]>(report: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      report(...args);
    } catch (error) {
      try {
        console.error("customer-context: onListenerError threw", error);
      } catch {
        // Nothing more can be done.
      }
    }
  };
}
