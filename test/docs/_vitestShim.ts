/**
 * What a docs page's code gets for `import { expect, it } from "vitest"` while it runs inside a
 * test: the real `expect`, and an `it` (with `it.each`) that runs its body at once, in order,
 * instead of registering a test (vitest does not allow a test inside a test). `settle()` waits
 * for the bodies and throws the first failure.
 */
import { expect } from "vitest";

export { expect };

type Body = (...args: never[]) => unknown;

let queue: Promise<void> = Promise.resolve();

function enqueue(run: () => unknown): void {
  queue = queue.then(async () => {
    await run();
  });
}

/** Runs `fn` now (after the bodies queued before it). */
export function it(_name: string, fn: Body): void {
  enqueue(() => (fn as () => unknown)());
}

/** `it.each(rows)(name, fn)`: runs `fn(...row)` for every row, in order. */
it.each = (rows: readonly unknown[]) => (_name: string, fn: Body) => {
  for (const row of rows) enqueue(() => (fn as (...a: unknown[]) => unknown)(...(Array.isArray(row) ? row : [row])));
};

export const test = it;

/** Waits for every queued body; rejects with the first failure, and starts a fresh queue. */
export async function settle(): Promise<void> {
  const done = queue;
  queue = Promise.resolve();
  await done;
}
