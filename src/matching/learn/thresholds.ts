// Per-topic decision thresholds, chosen on out-of-fold scores (papers the classifier did
// not see while training), so a threshold reflects how the model scores new papers rather
// than how confidently it scores the ones it memorised.

export interface ScoredExample {
  score: number
  positive: boolean
}

/** The threshold with the best F1 over the given scores. A paper is assigned the topic
 * when its score is at least the threshold; the threshold sits halfway between the last
 * accepted score and the next one, so it does not hang on one exact training value. */
export function bestF1Threshold(examples: readonly ScoredExample[]): { threshold: number; f1: number } {
  const sorted = [...examples].sort((a, b) => b.score - a.score)
  const positives = sorted.filter((e) => e.positive).length
  if (positives === 0) return { threshold: Number.POSITIVE_INFINITY, f1: 0 }
  let tp = 0
  let best = { threshold: Number.POSITIVE_INFINITY, f1: 0 }
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.positive) tp++
    // Only cut between two different scores.
    const next = sorted[i + 1]
    if (next && next.score === sorted[i]!.score) continue
    const f1 = (2 * tp) / (i + 1 + positives)
    if (f1 > best.f1) {
      const threshold = next ? (sorted[i]!.score + next.score) / 2 : sorted[i]!.score - 1e-6
      best = { threshold, f1 }
    }
  }
  return best
}
