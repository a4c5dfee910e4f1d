import type { Identifier } from "../schema/primitives.js";
import { heading, plural, stamp, type TextOptions, widthOf, wrap, zoneLabel } from "./_lib/text.js";
import { checkTimeZone } from "./_lib/zone.js";

/** The result of `cc.profiles.explain(profileId)`. */
export interface ProfileExplanation {
  profileId: string;
  anchor: Identifier;
  identifiers: Identifier[];
  edges: Array<
    | {
        kind: "observation";
        from: Identifier;
        to: Identifier;
        at: string;
        count: number;
        channel?: string;
        source?: string;
      }
    | { kind: "operator"; from: Identifier; to: Identifier; at: string; reason: string; by?: string }
  >;
  refused: Array<{ identifier: Identifier; message: string; at: string }>;
  separations: Array<{ identifier: Identifier; at: string; reason: string; active: boolean }>;
}

function ident(identifier: Identifier): string {
  return `${identifier.type} ${identifier.value}`;
}

/**
 * Formats how a profile's identifiers are linked (`cc.profiles.explain(profileId)`): one entry per
 * evidence edge (seen together in an observation, or joined by an operator), then refusals and
 * operator separations.
 *
 * @param explanation - the result of `cc.profiles.explain`
 * @param options - `width` (default 80 columns)
 * @returns the text
 *
 * @example
 * ```ts
 * console.log(formatExplanation(await cc.profiles.explain(profileId)));
 * // How the identifiers are linked (4 links)
 * // ───────────────────────────────────────
 * //   email anna.kowalska@kowalska.name ─ twitter @anna_k_krakow
 * //     seen together on social, 2026-04-02 18:40 UTC
 * ```
 */
export function formatExplanation(explanation: ProfileExplanation, options: TextOptions = {}): string {
  const width = widthOf(options);
  const timeZone = checkTimeZone(options.timeZone, "formatExplanation input", ["options", "timeZone"]);
  const zone = zoneLabel(timeZone);
  const out: string[] = [
    heading(`How the identifiers are linked (${plural(explanation.edges.length, "link")})`, width),
  ];
  out.push(...wrap(`The profile started from ${ident(explanation.anchor)}.`, width, "  ", "  "));
  for (const edge of explanation.edges) {
    out.push(...wrap(`${ident(edge.from)} ─ ${ident(edge.to)}`, width, "      ", "  "));
    let why: string;
    if (edge.kind === "observation") {
      const where = edge.channel !== undefined ? ` on ${edge.channel}` : "";
      const source = edge.source !== undefined ? ` by ${edge.source}` : "";
      const times = edge.count > 1 ? ` (${edge.count} times)` : "";
      why = `seen together${where}${source}, ${stamp(edge.at, timeZone)} ${zone}${times}`;
    } else {
      why = `merged by an operator${edge.by !== undefined ? ` (${edge.by})` : ""}, ${stamp(edge.at, timeZone)} ${zone}: ${edge.reason}`;
    }
    out.push(...wrap(why, width, "      ", "    "));
  }
  if (explanation.edges.length === 0) out.push("  (a single identifier: nothing to link)");
  for (const refusal of explanation.refused) {
    out.push(...wrap(`refused ${stamp(refusal.at, timeZone)} ${zone}: ${refusal.message}`, width, "      ", "  ✖ "));
  }
  for (const s of explanation.separations) {
    const state = s.active ? "kept apart" : "separation lifted";
    out.push(
      ...wrap(
        `${ident(s.identifier)} ${state} since ${stamp(s.at, timeZone)} ${zone}: ${s.reason}`,
        width,
        "      ",
        "  ✂ ",
      ),
    );
  }
  return out.join("\n");
}
