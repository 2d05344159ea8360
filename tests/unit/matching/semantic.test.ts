// The semantic space: the truncated SVD finds a matrix's strongest directions, the space
// puts papers that use words of the same kind of paper near each other, and a stored space
// of the wrong size is refused.
import { describe, expect, it } from 'vitest'
import { paperTerms } from '../../../src/matching/features'
import { fitSemanticSpace } from '../../../src/matching/learn/fit-semantic'
import { seededRandom } from '../../../src/matching/learn/seeded-random'
import { rightSingularVectors, type SparseRow } from '../../../src/matching/learn/truncated-svd'
import { embed, readSemanticSpace } from '../../../src/matching/semantic'

/** The top eigenvector of AᵀA by plain power iteration on the dense matrix. */
function topDirection(rows: SparseRow[], columns: number): Float64Array {
  let v = new Float64Array(columns).fill(1)
  for (let it = 0; it < 500; it++) {
    const av = rows.map((r) => r.indices.reduce((s, c, j) => s + r.values[j]! * v[c]!, 0))
    const next = new Float64Array(columns)
    rows.forEach((r, i) => {
      r.indices.forEach((c, j) => {
        next[c]! += r.values[j]! * av[i]!
      })
    })
    const norm = Math.hypot(...next)
    v = next.map((x) => x / norm)
  }
  return v
}

describe('rightSingularVectors', () => {
  const random = seededRandom(3)
  const columns = 12
  const rows: SparseRow[] = Array.from({ length: 40 }, () => {
    const indices = [...new Set(Array.from({ length: 5 }, () => Math.floor(random() * columns)))].sort(
      (a, b) => a - b,
    )
    return { indices, values: indices.map(() => random()) }
  })

  it('finds the strongest direction, and the directions are orthonormal', () => {
    const k = 3
    const v = rightSingularVectors(rows, columns, k, 1)
    const column = (d: number) => Float64Array.from({ length: columns }, (_, c) => v[c * k + d]!)
    const truth = topDirection(rows, columns)
    const cos = column(0).reduce((s, x, c) => s + x * truth[c]!, 0)
    expect(Math.abs(cos)).toBeGreaterThan(0.9999)
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        const d = column(a).reduce((s, x, c) => s + x * column(b)[c]!, 0)
        expect(d).toBeCloseTo(a === b ? 1 : 0, 6)
      }
  })

  it('gives the same numbers for the same seed', () => {
    expect(rightSingularVectors(rows, columns, 3, 5)).toEqual(rightSingularVectors(rows, columns, 3, 5))
  })
})

describe('the semantic space', () => {
  // Two kinds of paper: bounds and proofs, or robots and grasping. No paper has both
  // "regret" and "convergence", yet both belong to the first kind.
  const theory = [
    'regret bound proof',
    'convergence bound proof',
    'regret theorem bound',
    'convergence theorem proof',
  ]
  const robots = [
    'robot grasping gripper',
    'robot manipulation gripper',
    'grasping manipulation arm',
    'robot arm gripper',
  ]
  const corpus = [...theory, ...robots, ...theory, ...robots].map((t) =>
    paperTerms({ title: t, abstract: '', aiKeywords: null }),
  )
  const { stored, space } = fitSemanticSpace(corpus, { dimensions: 2, minDf: 2, seed: 1 })
  const at = (title: string) => embed(paperTerms({ title, abstract: '', aiKeywords: null }), space)
  const cosine = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i]!, 0)

  it('puts words of the same kind of paper together, apart from the other kind', () => {
    expect(cosine(at('Regret'), at('Convergence'))).toBeGreaterThan(0.8)
    expect(Math.abs(cosine(at('Regret'), at('Gripper')))).toBeLessThan(0.2)
  })

  it('places a paper without any known word at the origin', () => {
    expect([...at('Quantum chromodynamics')]).toEqual([0, 0])
  })

  it('reads back what it stored, and refuses data of the wrong size', () => {
    expect(readSemanticSpace(stored).projection).toEqual(space.projection)
    expect(() => readSemanticSpace({ ...stored, scales: [1] })).toThrow(/other sizes/)
    expect(() =>
      readSemanticSpace({ ...stored, projection: Buffer.from([1, 2, 3]).toString('base64') }),
    ).toThrow(/other sizes/)
  })
})
