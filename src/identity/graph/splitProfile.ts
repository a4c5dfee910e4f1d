import { compareStrings } from "../../_lib/hash.js";
import type { LinkEvidence, OperatorDecision } from "./types.js";

/** Output of {@link splitProfile}. */
export interface ProfileSplit {
  /** The earliest remaining identifier: its part keeps the profile. */
  start: string;
  /** The identifiers that stay (sorted). */
  kept: string[];
  /** The identifier detached and everything linked to the profile only through it (profile order). */
  detached: string[];
}

/**
 * The two parts of an unmerge: remove `key` from the evidence graph of a profile; the part holding
 * the earliest remaining identifier (ties by key) stays, everything else goes with `key`. Links
 * through auto-blocked identifiers join nothing; operator merges join their two sides.
 *
 * @param keys - the profile's identifier keys (at least two, including `key`)
 * @param key - the identifier the operator detaches
 * @param evidence - the links and decisions of the profile's cluster
 * @param firstSeen - when an identifier was first seen
 * @returns the identifier that anchors the kept part, the kept part and the detached part
 *
 * @example
 * ```ts
 * const { kept, detached } = splitProfile(["email:a@x.pl", "phone:+48601234567", "cookie:c1"],
 *   "phone:+48601234567", { links, decisions: [] }, (k) => firstSeen[k]);
 * ```
 */
export function splitProfile(
  keys: readonly string[],
  key: string,
  evidence: {
    links: readonly LinkEvidence[];
    decisions: readonly OperatorDecision[];
    autoBlocked?: ReadonlySet<string> | undefined;
  },
  firstSeen: (key: string) => string,
): ProfileSplit {
  const inProfile = new Set(keys);
  const adjacency = new Map<string, Set<string>>();
  const connect = (x: string, y: string) => {
    if (x === key || y === key || !inProfile.has(x) || !inProfile.has(y)) return;
    adjacency.set(x, (adjacency.get(x) ?? new Set()).add(y));
    adjacency.set(y, (adjacency.get(y) ?? new Set()).add(x));
  };
  for (const link of evidence.links) {
    const ks = link.keys.filter((k) => inProfile.has(k) && !evidence.autoBlocked?.has(k));
    for (let i = 1; i < ks.length; i++) connect(ks[0] as string, ks[i] as string);
  }
  for (const d of evidence.decisions) if (d.kind === "merge") connect(d.keys[0], d.keys[1]);
  const rest = keys.filter((k) => k !== key);
  const start = rest.reduce((best, k) =>
    compareStrings(firstSeen(k), firstSeen(best)) < 0 ||
    (firstSeen(k) === firstSeen(best) && compareStrings(k, best) < 0)
      ? k
      : best,
  );
  const kept = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const x = queue.pop() as string;
    for (const y of adjacency.get(x) ?? []) {
      if (!kept.has(y)) {
        kept.add(y);
        queue.push(y);
      }
    }
  }
  return { start, kept: [...kept].sort(compareStrings), detached: keys.filter((k) => !kept.has(k)) };
}
