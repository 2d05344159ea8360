// How much a term found in a paper counts. The title says what a paper is about; the
// abstract mentions much in passing, so one abstract mention is weak evidence and repeats
// add a little. The source's keywords sit in between. A term's contribution is its
// vocabulary weight times this field factor, and a topic's score is the sum over its terms.
import type { CompiledEntry, CompiledTerm, CompiledVocabulary } from './compile-vocabulary'
import { FIELDS, type Field, findTerm, type PaperIndex, spanText } from './paper-index'
import { describeMatch, type FieldCounts } from './why'

export const TITLE_FACTOR = 2
export const KEYWORDS_FACTOR = 1
export const ABSTRACT_FIRST = 1
export const ABSTRACT_REPEAT = 0.5
export const ABSTRACT_CAP = 2

export function fieldFactor(counts: FieldCounts): number {
  const head = (counts.title ?? 0) > 0 ? TITLE_FACTOR : (counts.keywords ?? 0) > 0 ? KEYWORDS_FACTOR : 0
  const n = counts.abstract ?? 0
  const body = n === 0 ? 0 : Math.min(ABSTRACT_FIRST + ABSTRACT_REPEAT * (n - 1), ABSTRACT_CAP)
  return head + body
}

/** A topic term's field factor: like fieldFactor, but each abstract occurrence counts with
 * the weight of the sentence it stands in, the strongest one first. */
export function weightedFieldFactor(counts: FieldCounts, abstractWeights: readonly number[]): number {
  const head = (counts.title ?? 0) > 0 ? TITLE_FACTOR : (counts.keywords ?? 0) > 0 ? KEYWORDS_FACTOR : 0
  if (abstractWeights.length === 0) return head
  const best = Math.max(...abstractWeights)
  const rest = abstractWeights.reduce((s, w) => s + w, 0) - best
  return head + Math.min(ABSTRACT_FIRST * best + ABSTRACT_REPEAT * rest, ABSTRACT_CAP)
}

export interface Evidence {
  term: string
  weight: number
  counts: FieldCounts
  score: number
}

export interface Scored {
  score: number
  /** Strongest evidence first. */
  evidence: Evidence[]
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** Counts a lone term (a reader's keyword) wherever it occurs. */
export function countTerm(index: PaperIndex, term: CompiledTerm): FieldCounts {
  const counts: FieldCounts = {}
  for (const field of FIELDS) {
    const n = findTerm(index.fields[field], term).length
    if (n > 0) counts[field] = n
  }
  return counts
}

function claim(consumed: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (consumed[i]) return false
  consumed.fill(1, start, end)
  return true
}

/** Scores a whole vocabulary. Entries come longest first, and each occurrence claims its
 * tokens, so "reinforcement learning" inside "offline reinforcement learning" is counted
 * once, as the longer phrase. */
export function scoreVocabulary(index: PaperIndex, vocabulary: CompiledVocabulary): Scored {
  const consumed = {} as Record<Field, Uint8Array>
  for (const field of FIELDS) consumed[field] = new Uint8Array(index.fields[field].tokens.length)
  const evidence: Evidence[] = []
  let score = 0
  for (const entry of vocabulary.entries) {
    const found = claimTerm(index, entry, consumed)
    if (!found) continue
    const { counts, abstractWeights, shown } = found
    const s = entry.weight * weightedFieldFactor(counts, abstractWeights)
    score += s
    evidence.push({ term: shown ?? entry.term.term, weight: entry.weight, counts, score: s })
  }
  evidence.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
  return { score: round2(score), evidence }
}

function claimTerm(
  index: PaperIndex,
  entry: CompiledEntry,
  consumed: Record<Field, Uint8Array>,
): { counts: FieldCounts; abstractWeights: number[]; shown?: string } | null {
  let counts: FieldCounts | null = null
  const abstractWeights: number[] = []
  // A gap term ("introduce|present … benchmark|dataset") is quoted as the words it matched
  // first ("introduce … benchmark"), not as its whole list of alternatives.
  let shown: string | undefined
  for (const field of FIELDS) {
    let n = 0
    const { weights } = index.fields[field]
    const spans = findTerm(index.fields[field], entry.term)
    if (spans.length === 0) continue
    const shadows = entry.shadowedBy?.flatMap((t) => findTerm(index.fields[field], t)) ?? []
    for (const span of spans) {
      if (shadows.some((s) => s.start <= span.start && span.end <= s.end)) continue
      if (!claim(consumed[field], span.start, span.end)) continue
      n++
      if (span.gap && shown === undefined) shown = spanText(index.fields[field], span)
      if (field === 'abstract') abstractWeights.push(weights?.[span.start] ?? 1)
    }
    if (n > 0) {
      counts ??= {}
      counts[field] = n
    }
  }
  return counts && (shown === undefined ? { counts, abstractWeights } : { counts, abstractWeights, shown })
}

export function reasons(evidence: readonly Evidence[], max: number): string[] {
  return evidence.slice(0, max).map((e) => describeMatch(e.term, e.counts))
}
