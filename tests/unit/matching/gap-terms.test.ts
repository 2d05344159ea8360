import { describe, expect, it } from 'vitest'
import { compileTerm, GAP_WORDS } from '../../../src/matching/compile-vocabulary'
import { findTerm, indexPaper } from '../../../src/matching/paper-index'
import { compileTopics, prepareDay } from '../../../src/matching/prepare-day'
import { paper } from './builders'

const TERM = 'introduce|present … benchmark|dataset'

function found(abstract: string, term = TERM): number {
  return findTerm(indexPaper(paper({ abstract })).fields.abstract, compileTerm(term)!).length
}

describe('gap terms', () => {
  it('match either first side followed, within a few words, by either second side', () => {
    expect(found('We introduce SpookyBench, a new benchmark for time.')).toBe(1)
    expect(found('We present a curated dataset of proofs.')).toBe(1)
    expect(found('We present a method. It works.')).toBe(0)
  })

  it('accept three dots for the ellipsis and ignore the order of alternatives', () => {
    expect(compileTerm('present|introduce ... dataset|benchmark')!.key).toBe(compileTerm(TERM)!.key)
  })

  it('stop at the end of the sentence and after GAP_WORDS words', () => {
    expect(found('We introduce a method. The benchmark is old.')).toBe(0)
    const filler = Array.from({ length: GAP_WORDS + 1 }, () => 'word').join(' ')
    expect(found(`We introduce ${filler} benchmark.`)).toBe(0)
  })

  it('are quoted in reasons as the words they matched', () => {
    const topics = compileTopics([{ slug: 'datasets', vocabulary: [{ term: TERM, weight: 5 }] }])
    const day = prepareDay([paper({ abstract: 'We present a large dataset of proofs.' })], topics)
    expect(day.topics[0]![0]!.why).toEqual(["'present … dataset' in abstract"])
  })
})
