// Learns the semantic space (see ../semantic.ts) from papers without labels: the words in
// at least `minDf` of them, their idf over these papers, and the strongest directions of
// the damped tf·idf matrix, stored as bytes. Pure and seeded.
import type { PaperTerms } from '../features'
import {
  readSemanticSpace,
  type SemanticSpace,
  type StoredSemanticSpace,
  semanticRow,
  semanticWords,
} from '../semantic'
import { rightSingularVectors } from './truncated-svd'

export interface SemanticOptions {
  dimensions: number
  minDf: number
  seed: number
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export function fitSemanticSpace(
  papers: readonly PaperTerms[],
  opts: SemanticOptions,
): { stored: StoredSemanticSpace; space: SemanticSpace } {
  const docs = papers.map(semanticWords)
  const df = new Map<string, number>()
  for (const d of docs) for (const w of d.keys()) df.set(w, (df.get(w) ?? 0) + 1)
  const words = [...df]
    .filter(([, n]) => n >= opts.minDf)
    .map(([w]) => w)
    .sort()
  const n = docs.length
  const idf = words.map((w) => round4(Math.log((1 + n) / (1 + df.get(w)!)) + 1))
  const index = new Map(words.map((w, i) => [w, i]))
  const rows = docs.map((d) => semanticRow(d, { index, idf }))
  const k = opts.dimensions
  const vectors = rightSingularVectors(rows, words.length, k, opts.seed)
  // One scale per dimension: the largest entry of its column becomes ±127.
  const scales = Array.from({ length: k }, (_, d) => {
    let max = 0
    for (let w = 0; w < words.length; w++) max = Math.max(max, Math.abs(vectors[w * k + d]!))
    return max > 0 ? Number((max / 127).toPrecision(6)) : 1
  })
  const bytes = new Int8Array(words.length * k)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(vectors[i]! / scales[i % k]!)
  const stored: StoredSemanticSpace = {
    words,
    idf,
    dimensions: k,
    scales,
    projection: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  }
  return { stored, space: readSemanticSpace(stored) }
}
