import type { z } from "zod";
import type { ConversationOptions } from "../schema/options.js";
import type { Duration } from "../schema/primitives.js";

/** Compiled `conversations` options. */
export interface CompiledConversationOptions {
  window: Duration;
  reopenWindow: Duration;
  sla: (channel: string) => Duration;
  caseRefPattern: RegExp | string | undefined;
  subjectPrefixes: string[] | undefined;
}

/** Compiles validated `conversations` options with their defaults. */
export function compileConversationOptions(
  options: z.output<typeof ConversationOptions> = {},
): CompiledConversationOptions {
  const sla = options.sla;
  const defaultSla: Duration = { hours: 24 };
  const isDuration = (v: unknown): v is Duration =>
    typeof v === "object" &&
    v !== null &&
    Object.keys(v).every((k) => ["years", "months", "weeks", "days", "hours", "minutes", "seconds"].includes(k));
  return {
    window: options.window ?? { days: 3 },
    reopenWindow: options.reopenWindow ?? { days: 14 },
    sla: (channel) => {
      if (sla === undefined) return defaultSla;
      if (isDuration(sla)) return sla;
      const map = sla as Record<string, Duration>;
      return map[channel] ?? map.default ?? defaultSla;
    },
    caseRefPattern: options.caseRefPattern,
    subjectPrefixes: options.subjectPrefixes,
  };
}
