/**
 * The prior from the data (Splink's `probability_two_random_records_match`): the expected number of
 * matches over the number of pairs. The expected number of matches comes from the model's own match
 * weights over the candidate pairs (pairs that share no blocking key are taken as non-matches): it
 * is the fixed point of λ = #{candidate pairs with posterior ≥ 1/2 under λ} / all pairs, found by
 * iterating from the largest value (every candidate a match) downwards. Counting confident pairs
 * rather than summing posteriors keeps the long tail of weak-evidence non-matches (which share a
 * blocking key, so agree on some fields) from inflating it. Bounded to [1 / pairs, 1/2].
 */
export function priorFromWeights(totals: ArrayLike<number>, pairs: number): { prior: number; iterations: number } {
  const lowest = 1 / Math.max(pairs, 2);
  if (totals.length === 0 || pairs <= 1) return { prior: Math.min(Math.max(lowest, 1e-12), 0.5), iterations: 0 };
  const sorted = Float64Array.from(totals).sort().reverse();
  let prior = Math.min(0.5, sorted.length / pairs);
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    // Posterior >= 1/2  <=>  log2 prior odds + weight >= 0.
    const cut = -Math.log2(prior / (1 - prior));
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! >= cut) lo = mid + 1;
      else hi = mid;
    }
    const next = Math.min(0.5, Math.max(lowest, lo / pairs));
    if (next === prior) break;
    prior = next;
  }
  return { prior, iterations };
}
