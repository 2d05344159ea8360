// What the preferences page shows of a reader's votes: each vote (with undo) and the phrases
// their personal model now weighs most, fitted the way the planner fits it.
import { fitPersonalModel, type PersonalPhrase, personalPaper, topPhrases } from '../matching/personal-model'
import { type CompiledTopic, paperVocabularyScores } from '../matching/prepare-day'
import type { TopicModel } from '../matching/topic-model'
import type { Client } from './subscriber-store'
import { type ListedVote, listVotes } from './votes'

export interface VoteSummary {
  votes: ListedVote[]
  phrases: { more: PersonalPhrase[]; fewer: PersonalPhrase[] }
}

export async function voteSummary(
  db: Client,
  model: TopicModel,
  topics: readonly CompiledTopic[],
  subscriberId: number,
): Promise<VoteSummary> {
  const votes = await listVotes(db, subscriberId)
  if (votes.length === 0) return { votes, phrases: { more: [], fewer: [] } }
  const papers = await db.paper.findMany({
    where: { id: { in: votes.map((v) => v.paperId) } },
    select: { id: true, title: true, abstract: true, aiKeywords: true },
  })
  const byId = new Map(
    papers.map((p) => [p.id, personalPaper(p, model.space, paperVocabularyScores(p, topics))]),
  )
  // Oldest first, as the planner fits them.
  const ordered = [...votes].reverse().flatMap((v) => {
    const paper = byId.get(v.paperId)
    return paper ? [{ paper, more: v.direction === 'more' }] : []
  })
  const fitted = fitPersonalModel(ordered)
  const phrases = fitted
    ? topPhrases(
        fitted,
        ordered.map((v) => v.paper),
        model.names,
      )
    : { more: [], fewer: [] }
  return { votes, phrases }
}
