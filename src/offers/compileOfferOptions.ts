import type { z } from "zod";
import type { OfferOptions } from "../schema/options.js";
import { createRuleSet } from "./createRuleSet.js";
import type { RuleSet, RuleSetOptions } from "./types.js";

/** The `offers` option as users write it. */
export type OfferOptionsInput = z.input<typeof OfferOptions> & RuleSetOptions;

/** Validates rule options and builds the rule set once, at construction. */
export function compileOfferOptions(options: z.output<typeof OfferOptions> | undefined): RuleSet {
  return createRuleSet((options ?? {}) as RuleSetOptions);
}
