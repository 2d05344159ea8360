// With the trained model deciding topics, what readers ask for themselves works exactly
// as before: keywords, exclusions, followed authors and the trending fallback do not
// depend on how topics are decided.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { matchPapers } from '../../../src/matching/match-papers'
import { compileTopics, prepareDay } from '../../../src/matching/prepare-day'
import { rankForReader } from '../../../src/matching/rank-for-reader'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'
import { paper } from './builders'

const TOPICS = TopicSeeds.parse(
  JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8')),
)

const decoding = paper({
  id: 'decoding',
  rank: 2,
  title: 'Faster speculative decoding with a tiny draft model',
  abstract: 'Speculative decoding speeds up inference of large language models. We cut the KV cache.',
  authors: ['Grace Hopper'],
})
const robot = paper({
  id: 'robot',
  rank: 1,
  title: 'A diffusion policy for robot manipulation',
  abstract: 'A robot arm learns dexterous manipulation from demonstrations.',
})
const papers = [decoding, robot]
const withModel = prepareDay(papers, compileTopics(TOPICS, topicModel))
const withoutModel = prepareDay(papers, compileTopics(TOPICS))

describe('reader interests next to the model', () => {
  it('keywords, exclusions and authors match as with vocabularies alone', () => {
    const interests = { keywords: ['KV cache', 'robot'], exclude: ['draft model'], authors: ['grace hopper'] }
    const strip = (ms: ReturnType<typeof matchPapers>) =>
      ms.map((m) => ({ id: m.id, keywords: m.keywords, authors: m.authors, excludedBy: m.excludedBy }))
    expect(strip(matchPapers(withModel, interests))).toEqual(strip(matchPapers(withoutModel, interests)))
    expect(strip(matchPapers(withModel, interests))).toEqual([
      {
        id: 'robot',
        keywords: [{ term: 'robot', score: 9, why: ["'robot' in title, in abstract"] }],
        authors: [],
        excludedBy: [],
      },
      {
        id: 'decoding',
        keywords: [{ term: 'KV cache', score: 3, why: ["'KV cache' in abstract"] }],
        authors: ['grace hopper'],
        excludedBy: ['draft model'],
      },
    ])
  })

  it('an excluded phrase drops a paper even from a followed author', () => {
    const ranked = rankForReader(withModel, {
      topics: ['efficient-ml'],
      authors: ['Grace Hopper'],
      exclude: ['draft model'],
    })
    expect(ranked.map((r) => r.id)).toEqual([])
  })

  it('a reader who chose nothing gets the day in trending order, said as such', () => {
    const ranked = rankForReader(withModel, {})
    expect(ranked.map((r) => [r.id, r.why])).toEqual([
      ['robot', ['#1 trending today']],
      ['decoding', ['#2 trending today']],
    ])
  })

  it('a learned topic brings its paper with a quoted reason', () => {
    const [first] = rankForReader(withModel, { topics: ['efficient-ml'] })
    expect(first?.id).toBe('decoding')
    expect(first?.why[0]).toMatch(/^'[^']+' in title/)
  })
})
