import { describe, expect, it } from 'vitest'
import {
  CONTRIBUTION_WEIGHT,
  LATE_WEIGHT,
  OPENING_WEIGHT,
  OTHER_WEIGHT,
  splitSentences,
  weightAbstract,
} from '../../../src/matching/abstract-weights'
import { compileTopics, prepareDay } from '../../../src/matching/prepare-day'
import { paper } from './builders'

/** The weight of the first token spelled `word`. */
function weightOf(abstract: string, word: string): number {
  const { tokens, weights } = weightAbstract(abstract)
  return weights[tokens.findIndex((t) => t.raw === word)]!
}

const ABSTRACT = [
  'Large language models are everywhere.',
  'Yet planning remains hard for them, e.g. in long tasks.',
  'We propose Alpha, a planner for agents.',
  'It builds a search tree over partial plans with learned heuristics.',
  'Experiments on three benchmarks show that Alpha outperforms GPT baselines.',
].join(' ')

describe('weightAbstract', () => {
  it('splits sentences at end punctuation followed by a capital, not after "e.g."', () => {
    expect(splitSentences(ABSTRACT)).toHaveLength(5)
  })

  it('weighs the contribution above the setting and the setting above the experiments', () => {
    expect(weightOf(ABSTRACT, 'Alpha')).toBe(CONTRIBUTION_WEIGHT)
    expect(weightOf(ABSTRACT, 'Large')).toBe(OPENING_WEIGHT)
    expect(weightOf(ABSTRACT, 'planning')).toBe(OTHER_WEIGHT)
    expect(weightOf(ABSTRACT, 'GPT')).toBe(LATE_WEIGHT)
    expect(CONTRIBUTION_WEIGHT).toBeGreaterThan(OTHER_WEIGHT)
    expect(LATE_WEIGHT).toBeLessThan(OPENING_WEIGHT)
  })

  it('weighs every sentence of a short abstract fully', () => {
    expect(weightOf('Large models are everywhere. Planning is hard.', 'Large')).toBe(OTHER_WEIGHT)
  })

  it('treats an abstract that opens with its contribution as contribution', () => {
    expect(weightOf('We introduce Beta. It is fast.', 'Beta')).toBe(CONTRIBUTION_WEIGHT)
  })
})

describe('topic scores by position in the abstract', () => {
  const topics = compileTopics([{ slug: 'agents', vocabulary: [{ term: 'tool use', weight: 5 }] }])
  const score = (abstract: string) =>
    prepareDay([paper({ abstract })], topics, { threshold: 0 }).topics[0]![0]!.score

  it('counts a term in the contribution more than the same term among the results', () => {
    const head = score(
      'We propose a method for tool use. It has parts. It is tested. It works. Results are good.',
    )
    const tail = score(
      'We propose a method. It has parts. It is tested. It works. Results on tool use are good.',
    )
    expect(head).toBe(5 * CONTRIBUTION_WEIGHT)
    expect(tail).toBe(5 * LATE_WEIGHT)
  })

  it('never matches a phrase across two sentences', () => {
    expect(prepareDay([paper({ abstract: 'We study a tool. Use it well.' })], topics).topics[0]).toEqual([])
  })
})
