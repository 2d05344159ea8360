// What rendering keeps between batches, as one object the composition root (src/deps.ts)
// builds once per process and hands to every renderer: the compiled templates, the topic
// catalog, the prepared paper cards and the papers last read. No module holds state of its
// own, so two sets of deps in one process (tests do this) never share or see each other's.
import type { Db } from '../db/prisma'
import type { TopicModel } from '../matching'
import { createPaperCache, type PaperCache } from './day-lists'
import { type CardCache, createCardCache } from './paper-cards'
import { newVotedPaperCache, type VotedPaperCache } from './plan/reader-votes'
import { createTemplateCache, type TemplateCache } from './render'
import { createTopicCatalog, type TopicCatalogSource } from './topic-catalog'

export type DigestCaches = {
  templates: TemplateCache
  topics: TopicCatalogSource
  cards: CardCache
  papers: PaperCache
  /** Voted papers' vectors for the personal models, kept across plans (plan/reader-votes.ts). */
  votedPapers: VotedPaperCache
}

export function createDigestCaches(prisma: Db, topicModel: TopicModel): DigestCaches {
  return {
    templates: createTemplateCache(),
    topics: createTopicCatalog(prisma, topicModel),
    cards: createCardCache(),
    papers: createPaperCache(),
    votedPapers: newVotedPaperCache(),
  }
}
