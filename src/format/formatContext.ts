import { compareStrings } from "../_lib/hash.js";
import { InvalidInputError } from "../errors.js";
import type { CustomerSnapshot, Violation } from "../schema/outputs.js";
import {
  day,
  heading,
  letter,
  plural,
  stamp,
  type TextOptions,
  truncate,
  widthOf,
  wrap,
  zoneLabel,
} from "./_lib/text.js";
import { violationLines } from "./_lib/violations.js";
import { checkTimeZone } from "./_lib/zone.js";

/** Options of {@link formatContext}. */
export interface FormatContextOptions extends TextOptions {
  /**
   * Offer violations to show with the customer, for example `cc.offers.audit()`. Only those of
   * presentations in `view.offers`, or of this profile, are shown. Default: none.
   */
  violations?: readonly Violation[];
}

/**
 * Formats a customer's snapshot (`cc.context(ref)`) as an agent would read it in a terminal: the
 * profile and its identifiers, alerts, conversations (lettered A, B, …, with their channels in
 * order), the timeline across channels with each interaction's conversation letter, the offers
 * shown (`✖` marks one that broke a rule), and the customer's offer violations, grouped, each with
 * its time. Times are in `timeZone` (default UTC). Pure and isomorphic: it runs in browsers too.
 *
 * @param view - the snapshot
 * @param options - `width` (default 80 columns), `timeZone` (IANA, default `"UTC"`) and
 *   `violations` (for example `cc.offers.audit()`; only this customer's are shown)
 * @returns the text, lines separated by `\n`, none wider than `width`
 * @throws {InvalidInputError} when `view` is not a snapshot or `timeZone` is unknown
 *
 * @example
 * ```ts
 * const view = await cc.context({ identifier: { type: "phone", value: "+48601234567" } });
 * if (view) console.log(formatContext(view));
 * // Customer: Anna Kowalska (prof_rh3m95whgr2zqbrax766) …
 * ```
 */
export function formatContext(view: CustomerSnapshot, options: FormatContextOptions = {}): string {
  checkView(view);
  const timeZone = checkTimeZone(options.timeZone, "formatContext input", ["options", "timeZone"]);
  const zone = zoneLabel(timeZone);
  const when = (iso: string) => stamp(iso, timeZone);
  const width = widthOf(options);
  const out: string[] = [];
  const name = view.profile.traits.name;
  const title = typeof name === "string" && name !== "" ? name : "(no name)";
  out.push(...wrap(`Customer: ${title} (${view.profile.id})`, width, "  ", ""));
  const traits = Object.entries(view.profile.traits)
    .filter(([key]) => key !== "name")
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([key, value]) => `${key}: ${String(value)}`);
  if (traits.length > 0) out.push(...wrap(traits.join(" · "), width, "  ", ""));
  out.push(`First seen ${when(view.profile.createdAt)} ${zone}, last ${when(view.profile.updatedAt)} ${zone}`);

  out.push("", heading(`Identifiers (${view.identifiers.length})`, width));
  const typeWidth = Math.min(12, Math.max(4, ...view.identifiers.map((i) => i.type.length)));
  for (const i of view.identifiers) {
    const seen = `  since ${day(i.firstSeen, timeZone)}, ${i.count}×`;
    const value = truncate(i.value, width - 4 - typeWidth - seen.length);
    out.push(`  ${i.type.padEnd(typeWidth)}  ${value}`.padEnd(width - seen.length) + seen);
  }

  if (view.alerts.length > 0) {
    out.push("", heading(`Alerts (${view.alerts.length})`, width));
    const ordered = [...view.alerts].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
    for (const alert of ordered)
      out.push(...wrap(alert.message, width, "    ", alert.severity === "error" ? "  ✖ " : "  ! "));
  }

  const letters = new Map(view.conversations.map((c, index) => [c.id, letter(index)]));
  out.push("", heading(`Conversations (${view.conversations.length})`, width));
  for (const c of view.conversations) {
    const tag = letters.get(c.id) as string;
    const status = `${c.status}, ${plural(c.interactionCount ?? c.interactionIds.length, "interaction")}`;
    const subject = truncate(c.subject ?? "(no subject)", width - 8 - status.length);
    out.push(`  [${tag}] ${subject}`.padEnd(width - status.length) + status);
    out.push(...wrap(c.channels.join(" → "), width, "      "));
    const tags = c.tags.length > 0 ? `   tags: ${c.tags.join(", ")}` : "";
    out.push(...wrap(`${when(c.startedAt)} … ${when(c.lastAt)} ${zone}${tags}`, width, "      "));
    out.push(`      ${c.id}`);
  }

  out.push("", heading(`Timeline (${view.timeline.length}, oldest first, ${zone})`, width));
  const channelWidth = Math.min(10, Math.max(5, ...view.timeline.map((i) => i.channel.length)));
  for (const i of view.timeline) {
    const conv = letters.get(i.conversationId) ?? "?";
    const prefix = `  ${when(i.at)} [${conv}] ${i.channel.padEnd(channelWidth)} ${i.direction === "inbound" ? "in " : "out"} `;
    const indent = " ".repeat(Math.min(prefix.length, width - 20));
    const summary = [i.subject, i.text].filter((s): s is string => s !== undefined && s !== "").join(" — ");
    const who = i.agent !== undefined ? ` · ${i.agent}` : "";
    const lines = wrap(`${summary || "(no text)"}${who}`, width, indent, prefix);
    out.push(...lines.slice(0, 3));
    if (lines.length > 3) out[out.length - 1] = truncate(`${out[out.length - 1]} …`, width);
  }

  // This customer's violations: by profile, or by a presentation shown to them.
  const shownIds = new Set(view.offers.map((p) => p.id));
  const mine = (options.violations ?? []).filter(
    (v) =>
      (v.presentationId !== undefined && shownIds.has(v.presentationId)) ||
      (v.presentationId === undefined && v.profileId === view.profile.id),
  );
  const broken = new Set(mine.map((v) => v.presentationId));

  if (view.offers.length > 0) {
    out.push("", heading(`Offers shown (${view.offers.length}, ${zone})`, width));
    const channelWidth = Math.min(10, Math.max(...view.offers.map((p) => p.channel.length)));
    for (const p of view.offers) {
      const terms = Object.entries(p.terms)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(", ");
      const agent = p.agent !== undefined ? ` by ${p.agent}` : "";
      out.push(
        ...wrap(
          `${p.offerId} v${p.offerVersion}: ${terms}${agent}`,
          width,
          "    ",
          `${broken.has(p.id) ? "✖" : " "} ${when(p.at)} ${p.channel.padEnd(channelWidth)}  `,
        ),
      );
    }
  }

  if (mine.length > 0) {
    out.push("", heading(`Offer violations (${mine.length})`, width));
    const times = new Map(view.offers.map((p) => [p.id, p.at]));
    out.push(...violationLines(mine, width, timeZone, { times }, false));
  }
  return out.join("\n");
}

/** Rejects what is not a snapshot before it is read, naming the field. */
function checkView(view: unknown): void {
  const v = view as Partial<CustomerSnapshot> | null;
  const missing = (["profile", "identifiers", "conversations", "timeline", "offers", "alerts"] as const).find(
    (key) =>
      v === null ||
      typeof v !== "object" ||
      (key === "profile" ? typeof v[key] !== "object" || v[key] === null : !Array.isArray(v[key])),
  );
  if (missing !== undefined) {
    throw new InvalidInputError("formatContext input", [
      {
        path: v === null || typeof v !== "object" ? ["view"] : ["view", missing],
        code: "invalid_type",
        message:
          v === null || typeof v !== "object"
            ? "must be a snapshot from cc.context()"
            : `must be ${missing === "profile" ? "an object" : "an array"}`,
      },
    ]);
  }
}
