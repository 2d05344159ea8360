// k-fold splits of the labelled papers, seeded so every run splits the same way.
import { seededRandom, shuffledIndices } from './seeded-random'

/** Per paper, its fold (0 … k-1); folds differ in size by at most one. */
export function assignFolds(n: number, k: number, seed: number): Int32Array {
  const fold = new Int32Array(n)
  shuffledIndices(n, seededRandom(seed)).forEach((paper, position) => {
    fold[paper] = position % k
  })
  return fold
}
