import type { OfferVersion } from "../../schema/outputs.js";
import type { Catalogue, DeepReadonly } from "../types.js";

/** Version `version` of an offer among its versions (fast path: versions numbered 1, 2, …). */
export function findVersion(
  versions: readonly DeepReadonly<OfferVersion>[] | undefined,
  version: number,
): DeepReadonly<OfferVersion> | undefined {
  if (versions === undefined) return undefined;
  const guess = versions[version - 1];
  if (guess !== undefined && guess.version === version) return guess;
  for (const v of versions) if (v.version === version) return v;
  return undefined;
}

/** The offer version a presentation was made under, from the catalogue. */
export function versionOf(
  catalogue: Catalogue,
  presentation: { readonly offerId: string; readonly offerVersion: number },
): DeepReadonly<OfferVersion> | undefined {
  return findVersion(catalogue.get(presentation.offerId), presentation.offerVersion);
}

/** Catalogue order: by the time a version was recorded (`definedAt`), then by version number. */
export function compareVersions(
  a: { readonly definedAt: string; readonly version: number },
  b: { readonly definedAt: string; readonly version: number },
): number {
  return a.definedAt < b.definedAt ? -1 : a.definedAt > b.definedAt ? 1 : a.version - b.version;
}

/**
 * The latest version recorded at or before `at` (`definedAt <= at`; on equal times the higher
 * version number); `undefined` when none was recorded by then. The versions may be in any order.
 */
export function versionRecordedBy<V extends { readonly definedAt: string; readonly version: number }>(
  versions: readonly V[] | undefined,
  at: string,
): V | undefined {
  let best: V | undefined;
  for (const v of versions ?? []) {
    if (v.definedAt <= at && (best === undefined || compareVersions(v, best) > 0)) best = v;
  }
  return best;
}

/**
 * The version of an offer in effect at `at`: the latest recorded at or before `at`. At a time
 * before its first version was recorded, an offer is taken as its latest version, as it was before
 * versions had a time: a catalogue defined today (without `at`) applies to the history imported
 * under it, whatever the milliseconds between its definitions. `undefined` only when there are no
 * versions.
 */
export function versionAt<V extends { readonly definedAt: string; readonly version: number }>(
  versions: readonly V[] | undefined,
  at: string,
): V | undefined {
  const recorded = versionRecordedBy(versions, at);
  if (recorded !== undefined) return recorded;
  let latest: V | undefined;
  for (const v of versions ?? []) if (latest === undefined || compareVersions(v, latest) > 0) latest = v;
  return latest;
}
