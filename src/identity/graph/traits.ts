import { compareStrings } from "../../_lib/hash.js";
import type { Scalar } from "../../schema/primitives.js";
import type { TraitEvidence, TraitObservation } from "./types.js";

/** How one trait is chosen: the latest observation, the first, or by source priority. */
export type TraitRule = "latest" | "first" | { sources: readonly string[] };

/** Chosen trait values with where each came from. */
export interface MergedTraits {
  traits: Record<string, Scalar>;
  provenance: Record<string, TraitObservation>;
}

/** Total order on observations by time, then value, then source, so ties never depend on arrival. */
function compareObservations(a: TraitObservation, b: TraitObservation): number {
  return (
    compareStrings(a.at, b.at) ||
    compareStrings(JSON.stringify(a.value), JSON.stringify(b.value)) ||
    compareStrings(a.source ?? "", b.source ?? "") ||
    compareStrings(a.channel ?? "", b.channel ?? "")
  );
}

/** Returns true when `candidate` should replace `current` under `rule`. */
export function prefers(rule: TraitRule, candidate: TraitObservation, current: TraitObservation | undefined): boolean {
  if (current === undefined) return true;
  if (rule === "first") return compareObservations(candidate, current) < 0;
  if (rule === "latest") return compareObservations(candidate, current) > 0;
  const rank = (o: TraitObservation) => {
    const i = o.source === undefined ? -1 : rule.sources.indexOf(o.source);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  const ra = rank(candidate);
  const rb = rank(current);
  if (ra !== rb) return ra < rb;
  return compareObservations(candidate, current) > 0;
}

/** Folds one new observation into a link's trait evidence (repeated observations are not stored twice). */
export function foldTrait(evidence: TraitEvidence | undefined, observation: TraitObservation): TraitEvidence {
  if (!evidence) {
    return observation.source === undefined
      ? { first: observation, last: observation }
      : { first: observation, last: observation, bySource: { [observation.source]: observation } };
  }
  const next: TraitEvidence = {
    first: prefers("first", observation, evidence.first) ? observation : evidence.first,
    last: prefers("latest", observation, evidence.last) ? observation : evidence.last,
  };
  if (evidence.bySource || observation.source !== undefined) {
    const bySource: Record<string, TraitObservation> = Object.assign(Object.create(null), evidence.bySource);
    if (observation.source !== undefined && prefers("latest", observation, bySource[observation.source])) {
      bySource[observation.source] = observation;
    }
    next.bySource = bySource;
  }
  return next;
}

/** The observations of one trait's evidence that a rule may choose from. */
function candidates(evidence: TraitEvidence): TraitObservation[] {
  return [evidence.first, evidence.last, ...Object.values(evidence.bySource ?? {})];
}

/**
 * Chooses every trait of a profile from the trait evidence of its links (and from already
 * chosen values, which are themselves candidates). A chosen `null` clears the trait.
 *
 * @param sources - trait evidence maps, and/or previously merged provenance maps
 * @param ruleFor - the rule of each trait
 * @returns the chosen values and their provenance
 *
 * @example
 * ```ts
 * const a = { value: "Jan", at: "2026-04-01T09:00:00.000Z", source: "web" };
 * const b = { value: "Jan Kowalski", at: "2026-04-02T10:00:00.000Z", source: "crm" };
 * const { traits, provenance } = mergeTraits([{ name: { first: a, last: b } }], () => "latest");
 * traits; // { name: "Jan Kowalski" }
 * provenance.name.source; // "crm"
 * mergeTraits([{ name: { first: a, last: b } }], () => "first").traits; // { name: "Jan" }
 * ```
 */
export function mergeTraits(
  sources: ReadonlyArray<Record<string, TraitEvidence | TraitObservation>>,
  ruleFor: (trait: string) => TraitRule,
): MergedTraits {
  // Null-prototype maps: a trait named `constructor` or `__proto__` is a trait like any other.
  const provenance: Record<string, TraitObservation> = Object.create(null);
  for (const source of sources) {
    for (const [name, item] of Object.entries(source)) {
      const rule = ruleFor(name);
      const options =
        "first" in item && "last" in item ? candidates(item as TraitEvidence) : [item as TraitObservation];
      for (const option of options) {
        if (prefers(rule, option, provenance[name])) provenance[name] = option;
      }
    }
  }
  const traits: Record<string, Scalar> = Object.create(null);
  const kept: Record<string, TraitObservation> = Object.create(null);
  for (const name of Object.keys(provenance).sort(compareStrings)) {
    const chosen = provenance[name] as TraitObservation;
    kept[name] = chosen;
    if (chosen.value !== null) traits[name] = chosen.value;
  }
  return { traits, provenance: kept };
}
