import type { CustomerContext } from "../context.js";
import type { Violation } from "../schema/outputs.js";

/** An identifier as the matchers take it: `{ type: "email", value: "jan@x.pl" }`. */
export interface MatcherIdentifier {
  type: string;
  value: string;
}

/** A customer reference as `context()` takes it. */
export type MatcherCustomerRef = { profileId: string } | { identifier: MatcherIdentifier };

/** What a matcher returns to vitest: whether it passed, and the message for either outcome. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The part of vitest's matcher context the matchers read. */
interface MatcherThis {
  isNot?: boolean;
}

const show = (identifier: MatcherIdentifier) => `${identifier.type}:${identifier.value}`;

function assertContext(received: unknown, matcher: string): asserts received is CustomerContext {
  const cc = received as Partial<CustomerContext> | null;
  if (typeof cc !== "object" || cc === null || typeof cc.context !== "function" || typeof cc.profiles !== "object") {
    throw new TypeError(`${matcher}: expected a customer context (createCustomerContext()), got ${typeof received}`);
  }
}

/** How a profile's identifiers were linked, one line per edge, for a failure message. */
async function evidenceOf(cc: CustomerContext, profileId: string): Promise<string> {
  const why = await cc.profiles.explain(profileId);
  const lines = why.edges.map((edge) => {
    const via =
      edge.kind === "operator"
        ? `operator decision (${edge.reason})`
        : `seen together${"channel" in edge && edge.channel ? ` on ${edge.channel}` : ""} ${edge.at}`;
    return `    ${show(edge.from)} — ${show(edge.to)}: ${via}`;
  });
  const refused = why.refused.map((r) => `    refused ${show(r.identifier)}: ${r.message}`);
  const all = [...lines, ...refused];
  return `  ${profileId} (${why.identifiers.map(show).join(", ")})${all.length > 0 ? `\n${all.join("\n")}` : ""}`;
}

/**
 * The customer-context matchers for vitest's `expect.extend`. Importing
 * `customer-context/testing/vitest` registers them; use this object to register them yourself.
 * They are async: `await` them.
 *
 * @example
 * ```ts
 * import { expect } from "vitest";
 * import { matchers } from "customer-context/testing";
 * expect.extend(matchers);
 * await expect(cc).toResolveTogether({ type: "email", value: "jan@x.pl" }, { type: "phone", value: "+48601234567" });
 * ```
 */
export const matchers = {
  /**
   * Passes when both identifiers belong to one profile. On failure the message shows each
   * profile's evidence (the `explain` edges and refusals), not only "expected true".
   */
  async toResolveTogether(
    this: MatcherThis,
    received: unknown,
    a: MatcherIdentifier,
    b: MatcherIdentifier,
  ): Promise<MatcherResult> {
    assertContext(received, "toResolveTogether");
    const cc = received;
    const [pa, pb] = await Promise.all([cc.profiles.find(a), cc.profiles.find(b)]);
    const pass = pa !== null && pb !== null && pa.id === pb.id;
    const unknown = [pa === null ? show(a) : null, pb === null ? show(b) : null].filter((x) => x !== null);
    const evidence = await Promise.all(
      [...new Set([pa?.id, pb?.id].filter((id) => id !== undefined))].map((id) => evidenceOf(cc, id)),
    );
    return {
      pass,
      message: () =>
        pass
          ? `expected ${show(a)} and ${show(b)} to resolve to different profiles, but both are in ${pa?.id}:\n${evidence.join("\n")}`
          : unknown.length > 0
            ? `expected ${show(a)} and ${show(b)} to resolve together, but ${unknown.join(" and ")} ${unknown.length > 1 ? "are" : "is"} unknown${evidence.length > 0 ? `:\n${evidence.join("\n")}` : ""}`
            : `expected ${show(a)} and ${show(b)} to resolve together, but they are two profiles:\n${evidence.join("\n")}`,
    };
  },

  /**
   * Passes when one conversation of the customer spans exactly these channels, in the order
   * they were first used. On failure the message lists the customer's conversations.
   */
  async toHaveConversationAcross(
    this: MatcherThis,
    received: unknown,
    ref: MatcherCustomerRef,
    channels: readonly string[],
  ): Promise<MatcherResult> {
    assertContext(received, "toHaveConversationAcross");
    const view = await received.context(ref);
    const wanted = channels.join(" → ");
    const found = view?.conversations.map((c) => c.channels.join(" → ")) ?? [];
    const pass = found.includes(wanted);
    const who = "identifier" in ref ? show(ref.identifier) : ref.profileId;
    return {
      pass,
      message: () =>
        view === null
          ? `expected a conversation across ${wanted} for ${who}, but the customer is unknown`
          : pass
            ? `expected no conversation across ${wanted} for ${who}, but there is one`
            : `expected a conversation across ${wanted} for ${who}; the customer's conversations are:\n${found.map((f) => `  ${f}`).join("\n") || "  (none)"}`,
    };
  },

  /**
   * Passes when a check or present result (or a list of violations, such as `audit()`'s) holds a
   * violation of the rule. On failure the message shows the violations there are.
   */
  toHaveViolation(this: MatcherThis, received: unknown, rule: string): MatcherResult {
    const list = violationsOf(received);
    const hits = list.filter((v) => v.rule === rule);
    const pass = hits.length > 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected no "${rule}" violation, but got:\n${hits.map((v) => `  ${v.message}`).join("\n")}`
          : `expected a "${rule}" violation; the violations are:\n${list.map((v) => `  ${v.rule}: ${v.message}`).join("\n") || "  (none)"}`,
    };
  },
};

function violationsOf(received: unknown): Violation[] {
  if (Array.isArray(received)) return received as Violation[];
  const violations = (received as { violations?: unknown } | null)?.violations;
  if (Array.isArray(violations)) return violations as Violation[];
  throw new TypeError("toHaveViolation: expected a check/present result with `violations`, or an array of violations");
}

/** The types vitest's `expect(...)` gains from `customer-context/testing/vitest`. */
export interface CustomerContextMatchers<R = unknown> {
  /** Both identifiers belong to one profile. Async: `await expect(cc).toResolveTogether(a, b)`. */
  toResolveTogether(a: MatcherIdentifier, b: MatcherIdentifier): Promise<R>;
  /** One conversation of the customer spans these channels. Async. */
  toHaveConversationAcross(ref: MatcherCustomerRef, channels: readonly string[]): Promise<R>;
  /** The result (or list) holds a violation of this rule. */
  toHaveViolation(rule: string): R;
}
