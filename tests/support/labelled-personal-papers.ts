// The first labelled papers as the personal model reads them (personalPaper with the
// committed topic model and topics): what the personal model's unit tests fit and score.
import { readFileSync } from 'node:fs'
import { readTrainingLabels } from '../../src/matching/evaluate-labels'
import { personalPaper } from '../../src/matching/personal-model'
import { compileTopics, paperVocabularyScores } from '../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../src/matching/read-topic-model'
import { TopicSeeds } from '../../src/matching/topic-seed'
import { topicModel } from './topic-model'

export function labelledPersonalPapers(count: number) {
  const topics = compileTopics(
    TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../prisma/topics.json', import.meta.url), 'utf8'))),
    topicModel,
  )
  return readTrainingLabels(DEFAULT_LABELS_PATH)
    .papers.slice(0, count)
    .map((p) => {
      const text = { title: p.title, abstract: p.abstract, aiKeywords: p.ai_keywords ?? [] }
      return personalPaper(text, topicModel.space, paperVocabularyScores(text, topics))
    })
}
