import * as z from "zod";
import { LIMITS } from "../../schema/primitives.js";

/** Severity option shared by the built-in rules. */
export const Severity = z.enum(["error", "warning"], { error: 'must be "error" or "warning"' });

/** A term name (a key of `terms`). */
export const TermName = z.string().min(1).max(LIMITS.name);

/** A list of term names. */
export const TermList = z.array(TermName).max(LIMITS.list);
