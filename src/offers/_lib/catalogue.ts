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
