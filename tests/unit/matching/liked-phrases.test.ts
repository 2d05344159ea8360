// The reason phrase of "you liked 3 papers on …" (likedPhrases), for many papers of one
// voter at once, against the rule stated directly on the model's sparse weights: the
// phrase of the paper with the largest sum of weight × value over its fields, among those
// that a liked paper has. Real labelled papers and the committed topic model.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readTrainingLabels } from '../../../src/matching/evaluate-labels'
import { splitName } from '../../../src/matching/features'
import {
  fitPersonalModel,
  likedPhrase,
  likedPhrases,
  type PersonalModel,
  paperPhrases,
  personalPaper,
  personalScore,
  weightOf,
} from '../../../src/matching/personal-model'
import { compileTopics, paperVocabularyScores } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'

const topics = compileTopics(
  TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8'))),
  topicModel,
)
const papers = readTrainingLabels(DEFAULT_LABELS_PATH)
  .papers.slice(0, 60)
  .map((p) => {
    const text = { title: p.title, abstract: p.abstract, aiKeywords: p.ai_keywords ?? [] }
    return personalPaper(text, topicModel.space, paperVocabularyScores(text, topics))
  })
const names = topicModel.names

// The rule, from the sparse weights (built by the model's own `weights`).
function expected(model: PersonalModel, paper: (typeof papers)[number]) {
  const parts = new Map<string, { part: number; indices: number[] }>()
  paper.x.indices.forEach((f, k) => {
    const part = weightOf(model, f) * paper.x.values[k]!
    if (part <= 0 || names[f]!.startsWith('v:') || !paper.terms.get(names[f]!)) return
    const { words } = splitName(names[f]!)
    const e = parts.get(words) ?? { part: 0, indices: [] }
    e.part += part
    e.indices.push(f)
    parts.set(words, e)
  })
  let best: { words: string; papers: number; weight: number } | null = null
  for (const [words, e] of parts) {
    const liked = model.votes.filter(
      (v) => v.more && e.indices.some((f) => v.paper.x.indices.includes(f)),
    ).length
    if (liked > 0 && (!best || e.part > best.weight || (e.part === best.weight && words < best.words)))
      best = { words, papers: liked, weight: e.part }
  }
  return best
}

describe('likedPhrases', () => {
  // Two voters on different papers: the second's phrases must not see the first's weights.
  const first = fitPersonalModel(
    papers.slice(0, 8).map((p, i) => ({ paper: { x: p.x }, more: i % 3 !== 2 })),
  )!
  const second = fitPersonalModel(
    papers.slice(8, 14).map((p, i) => ({ paper: { x: p.x }, more: i % 2 === 0 })),
  )!
  const others = papers.slice(14)

  it('quotes, for every paper, the heaviest phrase a liked paper has', () => {
    for (const model of [first, second, first]) {
      const got = likedPhrases(
        model,
        others.map((p) => paperPhrases(p, names)),
      )
      const want = others.map((p) => expected(model, p))
      expect(want.filter(Boolean).length).toBeGreaterThan(5)
      expect(got.map((g) => g && { words: g.words, papers: g.papers, weight: g.weight })).toEqual(want)
      // One paper at a time gives the same.
      expect(others.slice(0, 5).map((p) => likedPhrase(model, p, names))).toEqual(got.slice(0, 5))
    }
  })

  it('leaves the shared scratch clean: the model scores the same after as before', () => {
    const before = others.map((p) => personalScore(second, p))
    likedPhrases(
      first,
      others.map((p) => paperPhrases(p, names)),
    )
    const fresh = fitPersonalModel(second.votes)!
    expect(others.map((p) => personalScore(fresh, p))).toEqual(before)
  })
})
