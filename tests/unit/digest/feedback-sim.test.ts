// The feedback simulation (npm run sim:feedback) meets the acceptance on its
// default seed, and gives the same figures for the same seed.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { simulateFeedback } from '../../../src/digest/feedback-sim'
import { readTrainingLabels } from '../../../src/matching/evaluate-labels'
import { compileTopics } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'

const topics = compileTopics(
  TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8'))),
  topicModel,
)
const labels = readTrainingLabels(DEFAULT_LABELS_PATH).papers

describe('npm run sim:feedback', () => {
  it('is deterministic for a seed', () => {
    const small = { readers: 12, days: 4, seed: 5 }
    expect(simulateFeedback(labels, topics, topicModel, small)).toEqual(
      simulateFeedback(labels, topics, topicModel, small),
    )
  }, 60_000)

  // About 15 s of CPU: 200 readers, 30 days, a model fitted per reader and day.
  it('narrow readers gain at least 0.15 F1 from days 1–3 to 21–30; exact readers lose at most 0.02', () => {
    const r = simulateFeedback(labels, topics, topicModel)
    expect(r.days).toHaveLength(30)
    expect(r.windows).toEqual({ early: [1, 3], late: [21, 30] })
    expect(r.narrow.late.f1 - r.narrow.early.f1).toBeGreaterThanOrEqual(0.15)
    expect(r.exact.early.f1 - r.exact.late.f1).toBeLessThanOrEqual(0.02)
    // Every reader is planned with their own model from day 2 on (each got papers on day 1).
    expect(r.days[0]!.personal).toBe(0)
    expect(r.days.at(-1)!.personal).toBeGreaterThan(150)
  }, 300_000)
})
