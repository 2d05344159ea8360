// A paper card is the same for every reader who gets that paper on that date, so it is
// prepared once per (paper, date) and kept in a small in-process LRU: 100,000 emails over
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

const MAX_ENTRIES = 2_000
const lru = new Map<string, DayCard>()
let preparations = 0

/** How many cards this process has prepared; tests use it to prove the cache works. */
export function cardPreparationCount(): number {
  return preparations
}

export function dayCard(
  templates: CompiledTemplates,
  topics: TopicCatalog,
  paper: CardPaper,
  entry: { date: string; source: string; upvotes: number | null },
): DayCard {
  const key = `${paper.id}|${entry.date}|${paper.updatedAt.getTime()}|${entry.source}|${entry.upvotes}|${topics.version}`
  const hit = lru.get(key)
  if (hit) {
    // Re-insert so the Map's insertion order is least-recently-used first.
    lru.delete(key)
    lru.set(key, hit)
    return hit
  }
  preparations++
  const card = prepareCard(templates, cardFromPaper(paper, { source: entry.source, upvotes: entry.upvotes }))
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
  if (lru.size > MAX_ENTRIES) lru.delete(lru.keys().next().value!)
  return value
}
