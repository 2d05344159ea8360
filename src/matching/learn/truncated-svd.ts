// The top right singular vectors of a sparse documents × words matrix, by randomized
// subspace iteration (Halko, Martinsson & Tropp 2011): multiply by a seeded Gaussian
// block, sharpen with a few power iterations, then solve the small problem exactly
// (Jacobi eigenvalues of an l × l Gram matrix). A few hundred directions of ten thousand
// papers take seconds, with no linear-algebra dependency, and the same seed gives the
// same vectors because every sum runs in a fixed order.
import { seededRandom } from './seeded-random'

/** One document's non-zero entries. */
export interface SparseRow {
  indices: readonly number[]
  values: readonly number[]
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/** Modified Gram–Schmidt, twice over ("twice is enough"), on columns in place. Each
 * subtraction is fused with the next projection's dot product (and the last with the norm):
 * entry r of y is final for one step before the next step reads it, so every sum adds the
 * same numbers in the same order as two separate loops would, in half the passes over y. */
function orthonormalise(columns: Float64Array[]): void {
  for (let j = 0; j < columns.length; j++) {
    const y = columns[j]!
    const m = y.length
    let norm = 0
    if (j === 0) for (let r = 0; r < m; r++) norm += y[r]! * y[r]!
    else {
      let q = columns[0]!
      let d = 0
      for (let r = 0; r < m; r++) d += q[r]! * y[r]!
      const steps = 2 * j
      for (let s = 1; s <= steps; s++) {
        const prev = q
        const dPrev = d
        if (s === steps) {
          for (let r = 0; r < m; r++) {
            y[r]! -= dPrev * prev[r]!
            norm += y[r]! * y[r]!
          }
          break
        }
        q = columns[s % j]!
        d = 0
        for (let r = 0; r < m; r++) {
          y[r]! -= dPrev * prev[r]!
          d += q[r]! * y[r]!
        }
      }
    }
    norm = Math.sqrt(norm) || 1
    for (let r = 0; r < m; r++) y[r]! /= norm
  }
}

// The blocks are multiplied in row-major form (one row of l entries per document or word),
// so each sparse entry meets l contiguous numbers; orthonormalise works on columns. Every
// entry is still the same sum, in the same order, as column by column.

/** A (documents × words, sparse) times C (words × l), or with `transposed` Aᵀ times C
 * (documents × l): `outRows` × l. Every matrix row-major. */
function sparseTimes(
  rows: readonly SparseRow[],
  c: Float64Array,
  l: number,
  outRows: number,
  transposed: boolean,
): Float64Array {
  const out = new Float64Array(outRows * l)
  for (let i = 0; i < rows.length; i++) {
    const { indices, values } = rows[i]!
    for (let j = 0; j < indices.length; j++) {
      const v = values[j]!
      const to = (transposed ? indices[j]! : i) * l
      const from = (transposed ? i : indices[j]!) * l
      for (let b = 0; b < l; b++) out[to + b]! += v * c[from + b]!
    }
  }
  return out
}

/** Columns (l arrays of `length`) as one row-major `length` × l array. */
function rowMajor(block: readonly Float64Array[], length: number, l: number): Float64Array {
  const out = new Float64Array(length * l)
  for (let b = 0; b < l; b++) {
    const col = block[b]!
    for (let r = 0; r < length; r++) out[r * l + b] = col[r]!
  }
  return out
}

/** The inverse of rowMajor. */
function toColumns(m: Float64Array, length: number, l: number): Float64Array[] {
  return Array.from({ length: l }, (_, b) => {
    const col = new Float64Array(length)
    for (let r = 0; r < length; r++) col[r] = m[r * l + b]!
    return col
  })
}

/** Cyclic Jacobi rotations of a symmetric l × l matrix (row-major, destroyed). */
function symmetricEigen(a: Float64Array, l: number): { values: number[]; vectors: Float64Array } {
  const v = new Float64Array(l * l)
  for (let i = 0; i < l; i++) v[i * l + i] = 1
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2
    if (off < 1e-22) break
    for (let p = 0; p < l; p++)
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!
        if (apq === 0) continue
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq)
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!
          const akq = a[k * l + q]!
          a[k * l + p] = c * akp - s * akq
          a[k * l + q] = s * akp + c * akq
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!
          const aqk = a[q * l + k]!
          a[p * l + k] = c * apk - s * aqk
          a[q * l + k] = s * apk + c * aqk
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!
          const vkq = v[k * l + q]!
          v[k * l + p] = c * vkp - s * vkq
          v[k * l + q] = s * vkp + c * vkq
        }
      }
  }
  return { values: Array.from({ length: l }, (_, i) => a[i * l + i]!), vectors: v }
}

/** The `k` strongest right singular vectors, as a words × k matrix (row-major): a
 * document's coordinates are its row times this matrix. */
export function rightSingularVectors(
  rows: readonly SparseRow[],
  columns: number,
  k: number,
  seed: number,
  powerIterations = 2,
): Float64Array {
  const n = rows.length
  // Oversampling: the last few directions of a random block are the least accurate.
  const l = Math.min(k + 10, n, columns)
  const random = seededRandom(seed)
  const times = (block: Float64Array[]) =>
    toColumns(sparseTimes(rows, rowMajor(block, columns, l), l, n, false), n, l)
  const transposedTimes = (block: Float64Array[]) =>
    sparseTimes(rows, rowMajor(block, n, l), l, columns, true)
  let y = times(
    Array.from({ length: l }, () => Float64Array.from({ length: columns }, () => gaussian(random))),
  )
  orthonormalise(y)
  for (let p = 0; p < powerIterations; p++) {
    const z = toColumns(transposedTimes(y), columns, l)
    orthonormalise(z)
    y = times(z)
    orthonormalise(y)
  }
  // B = Qᵀ A (l × words); B Bᵀ = U S² Uᵀ; the right singular vectors are Bᵀ U S⁻¹.
  const bRows = transposedTimes(y)
  const b = toColumns(bRows, columns, l)
  const gram = new Float64Array(l * l)
  for (let i = 0; i < l; i++)
    for (let j = i; j < l; j++) {
      let s = 0
      for (let c = 0; c < columns; c++) s += b[i]![c]! * b[j]![c]!
      gram[i * l + j] = s
      gram[j * l + i] = s
    }
  const { values, vectors } = symmetricEigen(gram, l)
  const top = values
    .map((value, i) => ({ value, i }))
    .sort((x, z) => z.value - x.value || x.i - z.i)
    .slice(0, Math.min(k, l))
  const out = new Float64Array(columns * k)
  const u = new Float64Array(l)
  top.forEach(({ value, i }, dim) => {
    const s = Math.sqrt(Math.max(value, 1e-12))
    for (let r = 0; r < l; r++) u[r] = vectors[r * l + i]!
    for (let c = 0; c < columns; c++) {
      const at = c * l
      let acc = 0
      for (let r = 0; r < l; r++) acc += bRows[at + r]! * u[r]!
      out[c * k + dim] = acc / s
    }
  })
  return out
}
