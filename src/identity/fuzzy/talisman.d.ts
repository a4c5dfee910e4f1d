// Minimal types for the parts of talisman (which ships none) used by the fuzzy matcher.
declare module "talisman/metrics/jaro-winkler.js" {
  /** Jaro-Winkler similarity, 0..1 (1 = identical). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}
declare module "talisman/metrics/levenshtein.js" {
  /** Levenshtein edit distance. */
  const levenshtein: (a: string, b: string) => number;
  export default levenshtein;
}
declare module "talisman/phonetics/double-metaphone.js" {
  /** Double Metaphone: the primary and the alternate phonetic key. */
  const doubleMetaphone: (word: string) => [string, string];
  export default doubleMetaphone;
}
