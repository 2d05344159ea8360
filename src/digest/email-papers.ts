// From planned items (paper ids and reasons) to what the digest template shows: one
// shared card per paper and date, and the reader's topics each paper matched (for the
// subject). Used by renderDeliveries and by `npm run preview`, so both show the same email.
import type { ListedPaper } from './day-lists'
import type { DigestPaper, DigestReader } from './digest-input'
import { dayCard } from './paper-cards'
import type { CompiledTemplates } from './render'
import type { TopicCatalog } from './topic-catalog'

export function digestPapers(
  templates: CompiledTemplates,
  topics: TopicCatalog,
  date: string,
  items: readonly { paperId: number; why: readonly string[] }[],
  listed: (paperId: number) => ListedPaper | undefined,
  readerTopics: ReadonlySet<string>,
): DigestPaper[] {
  const papers: DigestPaper[] = []
  for (const item of items) {
    const entry = listed(item.paperId)
    // A paper whose list was deleted since planning cannot be described honestly: leave it out.
    if (!entry) continue
    const { card, topicSlugs } = dayCard(templates, topics, entry.paper, { ...entry, date })
    const names = topicSlugs
      .filter((slug) => readerTopics.has(slug))
      .map((slug) => topics.nameBySlug.get(slug)!)
    papers.push({ card, why: item.why, topics: names })
  }
  return papers
}

export interface ReaderRow {
  id: number
  accessKey: string
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
    email: row.email,
    name: row.name,
    frequency: row.frequency,
    topicNames: row.topicSlugs.map((slug) => topics.nameBySlug.get(slug) ?? slug),
    keywords: terms('keyword'),
    authors: terms('author'),
  }
}
