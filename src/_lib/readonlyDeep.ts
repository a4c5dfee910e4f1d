/**
 * `T` with every array, tuple and object property readonly, down to six levels (functions, dates
 * and patterns as they are; deeper levels, such as deep JSON metadata, as they are, so that a
 * recursive type stays finite). The public methods and options take their inputs in this form, so
 * that `as const` data and readonly arrays are accepted as well as mutable ones; the library never
 * changes what it is given. (The offers' `DeepReadonly`, the view rules get of their facts, has no
 * depth bound: over the inputs' JSON metadata it would not terminate.)
 */
export type ReadonlyDeep<T, Depth extends unknown[] = []> = Depth["length"] extends 6
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends Date | RegExp
      ? T
      : T extends object
        ? { readonly [K in keyof T]: ReadonlyDeep<T[K], [...Depth, unknown]> }
        : T;
