// The personal model's two fits (newtonFit up to NEWTON_MAX_VOTES votes, gradientFit
// beyond) find the same optimum: the dual coefficients where each vote's residual
// g(z) + λβ is 0. Real labelled papers and the committed topic model, including a paper
// voted twice (a singular Gram matrix) and votes that cannot all be fitted (noise).
import { describe, expect, it } from 'vitest'
import {
  fitPersonalModel,
  gradientFit,
  NEWTON_MAX_VOTES,
  newPersonalScratch,
  newtonFit,
  PERSONAL_L2,
  sparseDot,
} from '../../../src/matching/personal-model'
import type { SparseVector } from '../../../src/matching/vectorise'
import { labelledPersonalPapers } from '../../support/labelled-personal-papers'

const papers = labelledPersonalPapers(40).map((p) => p.x)

function gramOf(xs: SparseVector[]): Float64Array {
  const n = xs.length
  const g = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = sparseDot(xs[i]!, xs[j]!)
  return g
}

/** The largest |g(z_i) + λ·β_i|: 0 at the optimum. */
function residual(gram: Float64Array, y: Float64Array, beta: Float64Array): number {
  const n = y.length
  let worst = 0
  for (let i = 0; i < n; i++) {
    let z = 0
    for (let j = 0; j < n; j++) z += gram[i * n + j]! * beta[j]!
    const g = -y[i]! / (1 + Math.exp(y[i]! * z))
    worst = Math.max(worst, Math.abs(g + PERSONAL_L2 * beta[i]!))
  }
  return worst
}

// Vote sets: sizes up to Newton's limit, labels in a few patterns, one with a paper twice.
const sets: { xs: SparseVector[]; y: Float64Array }[] = [1, 2, 5, 10, 17, NEWTON_MAX_VOTES].flatMap((n) =>
  [(i: number) => i % 3 !== 2, (i: number) => i % 2 === 0, (i: number) => (i * 7) % 5 < 2].map((more) => {
    const xs = papers.slice(n, 2 * n)
    return { xs, y: Float64Array.from(xs, (_, i) => (more(i) ? 1 : -1)) }
  }),
)
const twice = [...papers.slice(0, 6), papers[2]!]
sets.push({ xs: twice, y: Float64Array.from(twice, (_, i) => (i % 2 ? 1 : -1)) })

describe('the personal model fit', () => {
  it("Newton's method finds the optimum gradient descent settles at", () => {
    for (const { xs, y } of sets) {
      const n = xs.length
      const gram = gramOf(xs)
      const newton = newtonFit(gram, y, n, newPersonalScratch())
      expect(newton).not.toBeNull()
      expect(residual(gram, y, newton!)).toBeLessThanOrEqual(1e-11)
      const descent = gradientFit(gram, y, n, new Float64Array(n))
      for (let i = 0; i < n; i++) expect(Math.abs(newton![i]! - descent[i]!)).toBeLessThan(1e-8)
    }
  })

  it('fits with Newton up to NEWTON_MAX_VOTES votes and by descent beyond, both at the optimum', () => {
    for (const n of [3, NEWTON_MAX_VOTES, NEWTON_MAX_VOTES + 1, 36]) {
      const xs = papers.slice(0, n)
      const y = Float64Array.from(xs, (_, i) => (i % 3 ? 1 : -1))
      const model = fitPersonalModel(xs.map((x, i) => ({ paper: { x }, more: y[i] === 1 })))!
      const gram = gramOf(xs)
      const byDescent = gradientFit(gram, y, n, new Float64Array(n))
      if (n > NEWTON_MAX_VOTES) expect([...model.beta]).toEqual([...byDescent])
      else expect([...model.beta]).toEqual([...newtonFit(gram, y, n, newPersonalScratch())!])
      // Descent's 60 steps leave more of a residual with more votes (~2e-8 at 36 here).
      expect(residual(gram, y, model.beta)).toBeLessThanOrEqual(n > NEWTON_MAX_VOTES ? 1e-6 : 1e-11)
    }
  })
})
