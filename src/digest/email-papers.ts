// From planned items (paper ids and reasons) to what the digest template shows: one
// shared card per paper and date, and the reader's topics each paper matched (for the
// subject). Used by renderDeliveries and by `npm run preview`, so both show the same email.
import type { ListedPaper } from './day-lists'
import type { DigestPaper, DigestReader } from './digest-input'
import type { CardCache, DayCard } from './paper-cards'
import type { CompiledTemplates } from './render'
import type { TopicCatalog } from './topic-catalog'

export function digestPapers(
  topics: TopicCatalog,
  items: readonly { paperId: number; why: readonly string[] }[],
  /** The paper's card on the email's date; undefined when the paper is no longer listed. */
  cardOf: (paperId: number) => DayCard | undefined,
  readerTopics: ReadonlySet<string>,
): DigestPaper[] {
  const papers: DigestPaper[] = []
  for (const item of items) {
    const day = cardOf(item.paperId)
    // A paper whose list was deleted since planning cannot be described honestly: leave it out.
    if (!day) continue
    const names = day.topicSlugs
      .filter((slug) => readerTopics.has(slug))
      .map((slug) => topics.nameBySlug.get(slug)!)
    papers.push({ paperId: item.paperId, card: day.card, why: item.why, topics: names })
  }
  return papers
}

/** Cards of listed papers on a date, prepared on first use (and shared through the LRU). */
export function cardsOn(
  cardCache: CardCache,
  templates: CompiledTemplates,
  topics: TopicCatalog,
  date: string,
  listed: (paperId: number) => ListedPaper | undefined,
): (paperId: number) => DayCard | undefined {
  const memo = new Map<number, DayCard | undefined>()
  return (paperId) => {
    if (memo.has(paperId)) return memo.get(paperId)
    const entry = listed(paperId)
    const day = entry && cardCache.get(templates, topics, entry.paper, { ...entry, date })
    memo.set(paperId, day)
    return day
  }
}

export interface ReaderRow {
  id: number
  accessKey: string
  feedVersion: number
  email: string
  name: string | null
  frequency: 'daily' | 'weekly'
  topicSlugs: readonly string[]
  interests: readonly { kind: string; term: string }[]
}

export function digestReader(row: ReaderRow, topics: TopicCatalog): DigestReader {
  const terms = (kind: string) => row.interests.filter((i) => i.kind === kind).map((i) => i.term)
  return {
    id: row.id,
    accessKey: row.accessKey,
    feedVersion: row.feedVersion,
    email: row.email,
    name: row.name,
    frequency: row.frequency,
    topicNames: row.topicSlugs.map((slug) => topics.nameBySlug.get(slug) ?? slug),
    keywords: terms('keyword'),
    authors: terms('author'),
  }
}
