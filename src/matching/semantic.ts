// A paper's place in a space of a hundred-odd latent directions learned from thousands of
// unlabelled papers (latent semantic analysis: the truncated SVD of their tf·idf matrix).
// Words that appear in the same kind of paper point the same way, so "we prove a regret
// bound" and "convergence guarantee" land near each other even when the labelled papers
// only ever used one of them: the sparse phrases alone miss such papers, which is what
// held back small topics (theory, interpretability). These coordinates add to the topic
// scores but are never quoted as reasons: they are not phrases of the paper.
import type { PaperTerms } from './features'

export interface SemanticSpace {
  /** Word (normalised, unigram) → its row of `projection`. */
  index: ReadonlyMap<string, number>
  idf: ArrayLike<number>
  dimensions: number
  /** words × dimensions, row-major. */
  projection: Float64Array
}

/** A paper's words across title, keywords and abstract, with their total counts. */
export function semanticWords(terms: PaperTerms): Map<string, number> {
  const words = new Map<string, number>()
  for (const [name, occ] of terms) {
    if (name.startsWith('v:')) continue
    const word = name.slice(2)
    if (word.includes(' ')) continue
    words.set(word, (words.get(word) ?? 0) + occ.count)
  }
  return words
}

/** The unit-length tf·idf row of a paper over the space's words (damped counts). */
export function semanticRow(
  words: ReadonlyMap<string, number>,
  space: Pick<SemanticSpace, 'index' | 'idf'>,
): { indices: number[]; values: number[] } {
  const indices: number[] = []
  const values: number[] = []
  for (const [word, count] of words) {
    const i = space.index.get(word)
    if (i === undefined) continue
    indices.push(i)
    values.push((1 + Math.log(count)) * space.idf[i]!)
  }
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1
  return { indices, values: values.map((v) => v / norm) }
}

/** The paper's coordinates, scaled to unit length (a paper with no known word: zeros). */
export function embed(terms: PaperTerms, space: SemanticSpace): Float64Array {
  const { indices, values } = semanticRow(semanticWords(terms), space)
  const k = space.dimensions
  const out = new Float64Array(k)
  for (let j = 0; j < indices.length; j++) {
    const base = indices[j]! * k
    for (let d = 0; d < k; d++) out[d]! += values[j]! * space.projection[base + d]!
  }
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0))
  if (norm > 0) for (let d = 0; d < k; d++) out[d]! /= norm
  return out
}

/** How the model file stores a space: each dimension's column as signed bytes times its
 * scale (base64), which keeps ten thousand words × 150 dimensions near 2 MB. */
export interface StoredSemanticSpace {
  words: string[]
  idf: number[]
  dimensions: number
  scales: number[]
  /** base64 of words × dimensions signed bytes, row-major. */
  projection: string
}

/** The space a stored one stands for. Training uses the result too, so the model learns
 * on exactly the coordinates the product computes. */
export function readSemanticSpace(stored: StoredSemanticSpace): SemanticSpace {
  const bytes = Buffer.from(stored.projection, 'base64')
  const k = stored.dimensions
  if (
    stored.scales.length !== k ||
    stored.idf.length !== stored.words.length ||
    bytes.length !== stored.words.length * k
  )
    throw new Error(`semantic space: ${stored.words.length} words × ${k} dimensions but data of other sizes`)
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)
  const projection = new Float64Array(q.length)
  for (let i = 0; i < q.length; i++) projection[i] = q[i]! * stored.scales[i % k]!
  return {
    index: new Map(stored.words.map((w, i) => [w, i])),
    idf: Float64Array.from(stored.idf),
    dimensions: k,
    projection,
  }
}
