// Every reason of a learned topic, over every labelled paper we have, quotes words that
// stand in the paper where the reason says they stand, and is a phrase, never a score.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TrainingLabels } from '../../../src/matching/learn/training-labels'
import { compileTopics, prepareDay } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'

const seeds = TopicSeeds.parse(
  JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8')),
)
const labels = TrainingLabels.parse(JSON.parse(readFileSync(DEFAULT_LABELS_PATH, 'utf8')))
const REASON =
  /^'(.+)' ((?:in title|in keywords|in abstract|\d+× in abstract)(?:, (?:in keywords|in abstract|\d+× in abstract))*)$/

const fold = (s: string) => s.toLowerCase()
const countIn = (text: string, quote: string) => fold(text).split(fold(quote)).length - 1

describe('reasons of learned topics', () => {
  const papers = labels.papers.map((p) => ({ ...p, aiKeywords: p.ai_keywords ?? [], authors: [] }))
  const day = prepareDay(papers, compileTopics(seeds, topicModel))

  it('quote the paper, in the fields they name', () => {
    const wrong: string[] = []
    let checked = 0
    day.papers.forEach(({ paper }, i) => {
      const keywords = (paper.aiKeywords ?? []).join(' | ')
      const whole = [paper.title, keywords, paper.abstract].join('\n')
      for (const match of day.topics[i]!) {
        if (!topicModel.topics.has(match.slug)) continue
        expect(match.why.length).toBeGreaterThan(0)
        for (const why of match.why) {
          checked++
          const m = REASON.exec(why)
          if (!m) {
            wrong.push(`${paper.id}: not a phrase with places: ${why}`)
            continue
          }
          const [, quote, places] = m as unknown as [string, string, string]
          if (!whole.includes(quote)) wrong.push(`${paper.id}: '${quote}' is not in the paper`)
          if (places.includes('in title') && countIn(paper.title, quote) === 0)
            wrong.push(`${paper.id}: '${quote}' is not in the title`)
          if (places.includes('in keywords') && countIn(keywords, quote) === 0)
            wrong.push(`${paper.id}: '${quote}' is not in the keywords`)
          if (places.includes('in abstract') && countIn(paper.abstract, quote) === 0)
            wrong.push(`${paper.id}: '${quote}' is not in the abstract`)
          const times = /(\d+)× in abstract/.exec(places)
          if (times && countIn(paper.abstract, quote) < Number(times[1]))
            wrong.push(`${paper.id}: '${quote}' is not ${times[1]}× in the abstract`)
        }
      }
    })
    expect(checked).toBeGreaterThan(10_000)
    expect(wrong.slice(0, 10)).toEqual([])
  })
})
