// Turns a paper's features into the vector the topic model multiplies: each count damped
// (1 + ln n: the tenth "agent" says little more than the third), times how rare the
// feature is across the training papers (idf), and each field scaled to unit length so a
// long abstract does not outvote the title. Features the model never saw are dropped.
import { type PaperTerms, splitName } from './features'
import type { Field } from './paper-index'

export interface SparseVector {
  /** Ascending feature indices. */
  indices: Int32Array
  values: Float64Array
}

export interface FeatureSpace {
  /** Feature name → position in `idf` and in every topic's weights. */
  index: ReadonlyMap<string, number>
  idf: ArrayLike<number>
  /** Each field's share of the vector after its own normalisation. */
  fieldWeights: Readonly<Record<Field, number>>
  /** Scale of the vocabulary scorer's topic scores (`v:` features), which are not words
   * and so are neither idf-weighted nor normalised: their size is the evidence. */
  vocabularyWeight: number
  /** Share of the field-blind phrases (`c:` features, see combinedPhrases); 0: none. */
  combinedWeight: number
}

/** Namespace of a phrase wherever it stands in the paper. */
export const COMBINED = 'c'

/** Each phrase of the paper once, whatever field it stands in, with its total count (`c:`
 * names). A phrase seen in the title of a few training papers and in the abstract of a few
 * others is one feature here, with one weight learned from all of them; the field-kept
 * features still tell the title's evidence from the abstract's. */
export function combinedTerms(terms: PaperTerms): Map<string, number> {
  const out = new Map<string, number>()
  for (const [name, occ] of terms) {
    if (name.startsWith('v:')) continue
    const key = `${COMBINED}:${name.slice(2)}`
    out.set(key, (out.get(key) ?? 0) + occ.count)
  }
  return out
}

/** A vocabulary score of this size becomes a feature value of about 1 × vocabularyWeight. */
const VOCABULARY_SCALE = Math.log1p(10)

/** The paper's field-kept features (what the personal model reads too). */
export function vectorise(terms: PaperTerms, space: FeatureSpace): SparseVector {
  return collect(terms, space, false)
}

/** The paper's field-kept features and, when the space has them, its field-blind phrases
 * scaled to `combinedWeight` (what the topic model reads). */
export function vectoriseWithCombined(terms: PaperTerms, space: FeatureSpace): SparseVector {
  return collect(terms, space, space.combinedWeight > 0)
}

// Both build the vector in typed arrays and sort it once: the list of {index, value}
// objects per field, sorted, then copied and sorted again with the field-blind phrases,
// was a sixth of a day's matching and much of its garbage. Every value is the same
// expression as before and every norm sums the same squares in the same order (a field's
// features in the paper's order), so the vectors are the same to the last bit.
function collect(terms: PaperTerms, space: FeatureSpace, withCombined: boolean): SparseVector {
  const combined = withCombined ? combinedTerms(terms) : null
  const cap = terms.size + (combined?.size ?? 0)
  const indices = new Int32Array(cap)
  const values = new Float64Array(cap)
  // Which norm each entry is scaled by: -1 none (a vocabulary score), else a slot of
  // `fields` (in the order the fields first appear), or the field-blind group.
  const group = new Int8Array(cap)
  const fields: Field[] = []
  const sums: number[] = []
  let m = 0
  for (const [name, occ] of terms) {
    const i = space.index.get(name)
    if (i === undefined) continue
    indices[m] = i
    if (name.startsWith('v:')) {
      values[m] = (space.vocabularyWeight * Math.log1p(occ.count)) / VOCABULARY_SCALE
      group[m++] = -1
      continue
    }
    const { field } = splitName(name)
    let g = fields.indexOf(field)
    if (g < 0) {
      g = fields.push(field) - 1
      sums.push(0)
    }
    const v = (1 + Math.log(occ.count)) * space.idf[i]!
    values[m] = v
    sums[g]! += v * v
    group[m++] = g
  }
  const scales = fields.map((field, g) => space.fieldWeights[field] / Math.sqrt(sums[g]!))
  let combinedSum = 0
  const firstCombined = m
  if (combined)
    for (const [name, count] of combined) {
      const i = space.index.get(name)
      if (i === undefined) continue
      const v = (1 + Math.log(count)) * space.idf[i]!
      indices[m] = i
      values[m] = v
      combinedSum += v * v
      group[m++] = fields.length
    }
  if (m > firstCombined) scales.push(space.combinedWeight / Math.sqrt(combinedSum))
  for (let k = 0; k < m; k++) if (group[k]! >= 0) values[k]! *= scales[group[k]!]!
  return sortedByIndex(indices, values, m)
}

/** The first `m` entries in ascending index order. Indices are distinct (one per feature
 * name), so the order is fully determined: sort keys index × 2²¹ + position, exact in a double. */
function sortedByIndex(indices: Int32Array, values: Float64Array, m: number): SparseVector {
  if (m > POSITIONS) throw new Error(`a paper with ${m} features is more than a vector holds`)
  const keys = new Float64Array(m)
  for (let k = 0; k < m; k++) keys[k] = indices[k]! * POSITIONS + k
  keys.sort()
  const out = { indices: new Int32Array(m), values: new Float64Array(m) }
  for (let k = 0; k < m; k++) {
    const at = keys[k]! % POSITIONS
    out.indices[k] = indices[at]!
    out.values[k] = values[at]!
  }
  return out
}

const POSITIONS = 2 ** 21

export function dot(weights: ArrayLike<number>, x: SparseVector): number {
  let s = 0
  for (let k = 0; k < x.indices.length; k++) s += weights[x.indices[k]!]! * x.values[k]!
  return s
}

/** `x` followed by dense coordinates (times `weight`) at indices `offset`, `offset + 1`, …:
 * the semantic dimensions sit after every named feature. */
export function appendDense(
  x: SparseVector,
  offset: number,
  dense: ArrayLike<number>,
  weight: number,
): SparseVector {
  const n = x.indices.length
  const indices = new Int32Array(n + dense.length)
  const values = new Float64Array(n + dense.length)
  indices.set(x.indices)
  values.set(x.values)
  for (let d = 0; d < dense.length; d++) {
    indices[n + d] = offset + d
    values[n + d] = dense[d]! * weight
  }
  return { indices, values }
}
