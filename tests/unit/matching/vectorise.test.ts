// The vector the topic model multiplies: ascending feature indices, each field scaled to
// its weight's length, vocabulary scores unscaled, the field-blind phrases as one more
// unit-length group, and features the model never saw dropped.
import { describe, expect, it } from 'vitest'
import type { PaperTerms } from '../../../src/matching/features'
import { type FeatureSpace, vectorise, vectoriseWithCombined } from '../../../src/matching/vectorise'

// Indices deliberately out of the paper's order, so the vector must be sorted.
const names = ['c:qubit', 'a:qubit', 't:routing', 'v:quantum', 'a:routing', 't:qubit', 'c:routing']
const space = (combinedWeight: number): FeatureSpace => ({
  index: new Map(names.map((n, i) => [n, i])),
  idf: [1, 2, 1, 1, 1, 3, 1],
  fieldWeights: { title: 1, keywords: 0.7, abstract: 0.5 },
  vocabularyWeight: 0.5,
  combinedWeight,
})
const terms: PaperTerms = new Map([
  ['t:qubit', { count: 1, quote: 'Qubit' }],
  ['t:routing', { count: 1, quote: 'routing' }],
  ['a:qubit', { count: 3, quote: 'qubit' }],
  ['a:unseen', { count: 2, quote: 'unseen' }],
  ['v:quantum', { count: 10, quote: '' }],
])
const length = (values: number[]) => Math.hypot(...values)

describe('vectorise', () => {
  it('keeps the known features in index order, each field at its weight, the vocabulary score as is', () => {
    const x = vectorise(terms, space(0))
    expect([...x.indices]).toEqual([1, 2, 3, 5])
    const at = (i: number) => x.values[[...x.indices].indexOf(i)]!
    // The title's two features (idf 1 and 3) scaled together to length 1.
    expect(length([at(2), at(5)])).toBeCloseTo(1, 12)
    expect(at(5) / at(2)).toBeCloseTo(3, 12)
    // The abstract's one feature alone: its field weight.
    expect(at(1)).toBeCloseTo(0.5, 12)
    // ln(1 + 10) / ln(1 + 10) × 0.5.
    expect(at(3)).toBeCloseTo(0.5, 12)
  })

  it('adds the field-blind phrases as a group of length combinedWeight, and nothing when it is 0', () => {
    const x = vectoriseWithCombined(terms, space(2))
    expect([...x.indices]).toEqual([0, 1, 2, 3, 5, 6])
    const at = (i: number) => x.values[[...x.indices].indexOf(i)]!
    // "qubit" 4 times (1 in the title, 3 in the abstract), "routing" once: 1 + ln 4 against 1.
    expect(length([at(0), at(6)])).toBeCloseTo(2, 12)
    expect(at(0) / at(6)).toBeCloseTo(1 + Math.log(4), 12)
    expect(vectoriseWithCombined(terms, space(0))).toEqual(vectorise(terms, space(0)))
  })

  it('gives an empty vector for a paper without known features', () => {
    const x = vectoriseWithCombined(new Map([['t:nothing', { count: 1, quote: 'nothing' }]]), space(1))
    expect(x.indices).toHaveLength(0)
    expect(x.values).toHaveLength(0)
  })
})
