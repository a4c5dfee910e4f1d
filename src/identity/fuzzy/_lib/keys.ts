import { metaphone } from "./compare.js";
import type { PreparedRecord } from "./prepare.js";
import type { ParsedRule, Transform } from "./resolve.js";

function transformValue(value: string, transform: Transform, phonetic: string | undefined): string | undefined {
  switch (transform) {
    case "value":
      return value;
    case "metaphone":
      return (phonetic ?? metaphone(value)) || undefined;
    case "initial":
      return String.fromCodePoint(value.codePointAt(0)!);
    case "year":
      return /^\d{8}$/.test(value) ? value.slice(0, 4) : undefined;
    case "monthDay":
      return /^\d{8}$/.test(value) ? value.slice(4, 8) : undefined;
  }
}

/** The blocking keys of a prepared record: one per rule whose parts are all present, `rule#:part|part`. */
export function keysOf(record: PreparedRecord, rules: readonly ParsedRule[]): string[] {
  const keys: string[] = [];
  rules.forEach((rule, index) => {
    const parts: string[] = [];
    for (const { field, transform } of rule) {
      const value = record.values[field];
      const part = value === undefined ? undefined : transformValue(value, transform, record.phonetic[field]);
      if (part === undefined) return;
      parts.push(part);
    }
    keys.push(`${index}:${parts.join("|")}`);
  });
  return keys;
}

/**
 * Candidate pairs (indexes i < j into `records`) that share at least one blocking key, skipping
 * blocks larger than `maxBlockSize`. Deterministic: sorted by i, then j.
 */
export function candidatePairs(
  records: readonly PreparedRecord[],
  rules: readonly ParsedRule[],
  maxBlockSize: number,
): Array<[number, number]> {
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of keysOf(record, rules)) {
      const block = blocks.get(key);
      if (block === undefined) blocks.set(key, [index]);
      else block.push(index);
    }
  });
  const seen = new Set<number>();
  const n = records.length;
  const pairs: Array<[number, number]> = [];
  for (const block of blocks.values()) {
    if (block.length < 2 || block.length > maxBlockSize) continue;
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) {
        const i = block[x]!;
        const j = block[y]!;
        const code = i * n + j;
        if (seen.has(code)) continue;
        seen.add(code);
        pairs.push([i, j]);
      }
    }
  }
  return pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}
