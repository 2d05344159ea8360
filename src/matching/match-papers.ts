// One interest set against one prepared day: for every paper, which of the reader's topics
// and keywords it matches, which followed authors wrote it and which exclusions it hits.
// The cost is per distinct interest set; topic scores were already computed by prepareDay.
import { type CompiledInterests, compileInterests, type InterestsInput } from './interests'
import type { KeywordMatch, PreparedDay, TopicMatch } from './prepare-day'
import { matchKeyword } from './prepare-day'
import type { FieldCounts } from './why'

export interface PaperMatch {
  id: string
  title: string
  rank: number | null
  /** The reader's topics this paper matches; every taxonomy topic when the reader chose
   * neither topics nor keywords (the CLI's "what is this paper about" view). */
  topics: TopicMatch[]
  keywords: KeywordMatch[]
  /** Followed authors (as the reader wrote them) among the paper's authors. */
  authors: string[]
  /** Exclusions the paper contains; a non-empty list means it is never sent. */
  excludedBy: string[]
}

export function isCompiled(interests: InterestsInput | CompiledInterests): interests is CompiledInterests {
  return typeof (interests as CompiledInterests).key === 'string'
}

/** All papers of the day, in day order (trending rank, then id), matched or not. */
export function matchPapers(day: PreparedDay, input: InterestsInput | CompiledInterests): PaperMatch[] {
  const interests = isCompiled(input) ? input : compileInterests(input)
  const allTopics = interests.topics.length === 0 && interests.keywords.length === 0
  const wanted = new Set(interests.topics)
  const keywordHits = interests.keywords.map((k) => matchKeyword(day, k))
  const excludeHits = interests.exclude.map((k) => matchKeyword(day, k))
  return day.papers.map((index, i) => {
    const { paper } = index
    return {
      id: paper.id,
      title: paper.title,
      rank: paper.rank ?? null,
      topics: allTopics ? day.topics[i]! : day.topics[i]!.filter((t) => wanted.has(t.slug)),
      keywords: keywordHits.map((hits) => hits[i]).filter((m): m is KeywordMatch => m != null),
      authors: interests.authors.filter((a) => index.authorKeys.has(a.key)).map((a) => a.name),
      excludedBy: excludeHits.flatMap((hits, k) => (hits[i] ? [interests.exclude[k]!.term] : [])),
    }
  })
}

export type { FieldCounts }
