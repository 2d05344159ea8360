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
  const entries: { i: number; v: number }[] = []
  const byField = new Map<Field, { i: number; v: number }[]>()
  for (const [name, occ] of terms) {
    const i = space.index.get(name)
    if (i === undefined) continue
    if (name.startsWith('v:')) {
      entries.push({ i, v: (space.vocabularyWeight * Math.log1p(occ.count)) / VOCABULARY_SCALE })
      continue
    }
    const { field } = splitName(name)
    const list = byField.get(field) ?? []
    list.push({ i, v: (1 + Math.log(occ.count)) * space.idf[i]! })
    byField.set(field, list)
  }
  for (const [field, list] of byField) {
    const norm = Math.sqrt(list.reduce((s, e) => s + e.v * e.v, 0))
    const scale = space.fieldWeights[field] / norm
    for (const e of list) entries.push({ i: e.i, v: e.v * scale })
  }
  entries.sort((a, b) => a.i - b.i)
  return {
    indices: Int32Array.from(entries, (e) => e.i),
    values: Float64Array.from(entries, (e) => e.v),
  }
}

/** The paper's field-kept features and, when the space has them, its field-blind phrases
 * scaled to `combinedWeight` (what the topic model reads). */
export function vectoriseWithCombined(terms: PaperTerms, space: FeatureSpace): SparseVector {
  const x = vectorise(terms, space)
  if (space.combinedWeight <= 0) return x
  const list: { i: number; v: number }[] = []
  for (const [name, count] of combinedTerms(terms)) {
    const i = space.index.get(name)
    if (i !== undefined) list.push({ i, v: (1 + Math.log(count)) * space.idf[i]! })
  }
  if (list.length === 0) return x
  const scale = space.combinedWeight / Math.sqrt(list.reduce((s, e) => s + e.v * e.v, 0))
  const entries = [
    ...Array.from(x.indices, (i, k) => ({ i, v: x.values[k]! })),
    ...list.map((e) => ({ i: e.i, v: e.v * scale })),
  ].sort((a, b) => a.i - b.i)
  return {
    indices: Int32Array.from(entries, (e) => e.i),
    values: Float64Array.from(entries, (e) => e.v),
  }
}

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
