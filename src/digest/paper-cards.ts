// A paper card is the same for every reader who gets that paper on that date, so it is
// prepared once per (paper, date) and kept in a small LRU (one per process, built in src/deps.ts): 100,000 emails over
// a 50-paper day prepare 50 cards. The key carries everything the card is built from
// (the paper's updatedAt, source, upvotes, topic version), so a re-ingested paper or an
// edited topic never serves a stale card.
import { prepareDay } from '../matching'
import {
  type CompiledTemplates,
  cardFromPaper,
  type PaperForCard,
  type PreparedCard,
  prepareCard,
} from './render'
import type { TopicCatalog } from './topic-catalog'

export interface CardPaper extends PaperForCard {
  id: number
  updatedAt: Date
  aiKeywords: readonly string[]
}

export interface DayCard {
  card: PreparedCard
  /** Every taxonomy topic the paper matches (reader-independent), best first. */
  topicSlugs: readonly string[]
}

export type CardCache = {
  /** The paper's card on that date, from the cache or prepared now. */
  get(
    templates: CompiledTemplates,
    topics: TopicCatalog,
    paper: CardPaper,
    entry: { date: string; source: string; upvotes: number | null },
  ): DayCard
  /** Cards this cache has prepared (tests and the benchmark prove the cache works with it). */
  readonly prepared: number
}

/** An LRU of `maxEntries` cards; a process keeps one (src/deps.ts). */
export function createCardCache(maxEntries = 2_000): CardCache {
  const lru = new Map<string, DayCard>()
  let prepared = 0
  return {
    get(templates, topics, paper, entry) {
      const key = `${paper.id}|${entry.date}|${paper.updatedAt.getTime()}|${entry.source}|${entry.upvotes}|${topics.version}`
      const hit = lru.get(key)
      if (hit) {
        // Re-insert so the Map's insertion order is least-recently-used first.
        lru.delete(key)
        lru.set(key, hit)
        return hit
      }
      prepared++
      const card = prepareCard(
        templates,
        cardFromPaper(paper, { source: entry.source, upvotes: entry.upvotes }),
      )
      const day = prepareDay(
        [
          {
            id: String(paper.id),
            title: paper.title,
            abstract: paper.abstract,
            authors: paper.authors,
            aiKeywords: paper.aiKeywords,
          },
        ],
        topics.compiled,
      )
      const value: DayCard = { card, topicSlugs: day.topics[0]!.map((t) => t.slug) }
      lru.set(key, value)
      if (lru.size > maxEntries) lru.delete(lru.keys().next().value!)
      return value
    },
    get prepared() {
      return prepared
    },
  }
}
