// One topic's classifier: a linear SVM with squared hinge loss, trained by dual coordinate
// descent (Hsieh et al. 2008, the method behind LIBLINEAR's default solver). It converges
// in a few passes over sparse text vectors, needs no learning rate, and with a seeded
// visiting order gives the same weights on every run.
import type { SparseVector } from '../vectorise'
import { seededRandom, shuffledIndices } from './seeded-random'

export interface SvmOptions {
  /** Inverse regularisation: larger fits the training papers more closely. */
  c: number
  /** Extra weight of the positive class's errors (topics are rare: 1–25 % of papers). */
  positiveWeight: number
  seed: number
  maxPasses?: number
  /** Stop when the largest projected gradient of a pass falls below this. */
  tolerance?: number
}

export interface LinearModel {
  weights: Float64Array
  bias: number
}

/** The bias is learned as the weight of a constant feature of this value. */
const BIAS_FEATURE = 1

export function trainSvm(
  xs: readonly SparseVector[],
  ys: readonly boolean[],
  dimension: number,
  opts: SvmOptions,
): LinearModel {
  const { c, positiveWeight, seed, maxPasses = 30, tolerance = 0.1 } = opts
  const n = xs.length
  const w = new Float64Array(dimension)
  let bias = 0
  const alpha = new Float64Array(n)
  // Squared hinge: the dual adds 1/(2C_i) on the diagonal and has no upper bound on alpha.
  const diag = new Float64Array(n)
  const qd = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    diag[i] = 1 / (2 * c * (ys[i] ? positiveWeight : 1))
    let sq = BIAS_FEATURE * BIAS_FEATURE
    for (const v of xs[i]!.values) sq += v * v
    qd[i] = sq + diag[i]!
  }
  const random = seededRandom(seed)
  for (let pass = 0; pass < maxPasses; pass++) {
    let maxPg = 0
    for (const i of shuffledIndices(n, random)) {
      const x = xs[i]!
      const y = ys[i] ? 1 : -1
      let margin = bias * BIAS_FEATURE
      for (let k = 0; k < x.indices.length; k++) margin += w[x.indices[k]!]! * x.values[k]!
      const g = y * margin - 1 + diag[i]! * alpha[i]!
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g
      if (Math.abs(pg) > maxPg) maxPg = Math.abs(pg)
      if (pg === 0) continue
      const old = alpha[i]!
      alpha[i] = Math.max(old - g / qd[i]!, 0)
      const step = (alpha[i]! - old) * y
      if (step === 0) continue
      for (let k = 0; k < x.indices.length; k++) w[x.indices[k]!]! += step * x.values[k]!
      bias += step * BIAS_FEATURE
    }
    if (maxPg < tolerance) break
  }
  return { weights: w, bias }
}
