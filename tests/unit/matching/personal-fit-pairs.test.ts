// A page of voters shares the voted papers' dot products (PairDots): a model fitted from
// pairs another voter's fit left behind, in another order, is the very model fitted alone.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readTrainingLabels } from '../../../src/matching/evaluate-labels'
import { fitPersonalModel, newPairDots, personalPaper } from '../../../src/matching/personal-model'
import { compileTopics, paperVocabularyScores } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'

const topics = compileTopics(
  TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8'))),
  topicModel,
)
const papers = readTrainingLabels(DEFAULT_LABELS_PATH)
  .papers.slice(0, 12)
  .map((p) => {
    const text = { title: p.title, abstract: p.abstract, aiKeywords: p.ai_keywords ?? [] }
    return { x: personalPaper(text, topicModel.space, paperVocabularyScores(text, topics)).x }
  })

describe('fitPersonalModel with shared pair dots', () => {
  it('fits the same model from pairs another voter left, in another order', () => {
    const pairs = newPairDots()
    const first = papers.slice(0, 8).map((paper, i) => ({ paper, more: i % 3 !== 0 }))
    fitPersonalModel(first, pairs)
    expect(pairs.size).toBe(8 * 8)
    // Reversed, and four papers the first voter never voted on.
    const second = [...papers.slice(4, 12)].reverse().map((paper, i) => ({ paper, more: i % 2 === 0 }))
    const alone = fitPersonalModel(second)!
    const shared = fitPersonalModel(second, pairs)!
    expect(pairs.size).toBe(8 * 8 + 8 * 8 - 4 * 4)
    expect([...shared.beta]).toEqual([...alone.beta])
    expect([...shared.fitted]).toEqual([...alone.fitted])
    expect(alone.fitted.some((z) => z !== 0)).toBe(true)
  })
})
