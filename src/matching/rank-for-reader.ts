// Turns one interest set's matches into the ordered list a reader is sent. Relevance and
// the day's popularity are blended so a barely-matching paper does not outrank a strongly
// matching one just because it trends, and vice versa. Papers by followed authors come
// first; a paper containing an excluded phrase is dropped even then, because the reader
// said "never". Every tie breaks on trending rank, then id, so the same day and the same
// interests always give the same list.
import { type CompiledInterests, compileInterests, type InterestsInput, selectsNothing } from './interests'
import { isCompiled, matchPapers, type PaperMatch } from './match-papers'
import type { PreparedDay } from './prepare-day'
import { round2 } from './score'
import { describeAuthor, describeTrending } from './why'

export const RELEVANCE_WEIGHT = 0.7
/** Relevance saturates: a score of this size counts half of the maximum. */
export const RELEVANCE_HALF = 6
/** Popularity halves by this many ranks: #1 → 1, #11 → 0.5, unranked → 0. */
export const RANK_HALF = 10
const MAX_WHY = 3

export interface RankedPaper extends PaperMatch {
  /** Sum of the matched topic and keyword scores. */
  relevance: number
  /** The blended value the list is ordered by (0–1). */
  score: number
  followed: boolean
  /** The few reasons shown in the email, strongest first. */
  why: string[]
}

export interface RankOptions {
  /** Most papers to return; all when omitted. */
  limit?: number
}

function popularity(rank: number | null): number {
  return rank == null ? 0 : 1 / (1 + (Math.max(rank, 1) - 1) / RANK_HALF)
}

function blend(relevance: number, rank: number | null): number {
  const r = relevance / (relevance + RELEVANCE_HALF)
  return round2(RELEVANCE_WEIGHT * r + (1 - RELEVANCE_WEIGHT) * popularity(rank)) || 0
}

function reasonsFor(m: PaperMatch, fallback: boolean): string[] {
  if (fallback) return [describeTrending(m.rank)]
  const lines = [
    ...m.authors.map(describeAuthor),
    ...m.keywords.flatMap((k) => k.why),
    ...m.topics.flatMap((t) => t.why.slice(0, 1)),
  ]
  return [...new Set(lines)].slice(0, MAX_WHY)
}

function compareRanked(a: RankedPaper, b: RankedPaper): number {
  if (a.followed !== b.followed) return a.followed ? -1 : 1
  if (a.score !== b.score) return b.score - a.score
  const ra = a.rank ?? Number.POSITIVE_INFINITY
  const rb = b.rank ?? Number.POSITIVE_INFINITY
  if (ra !== rb) return ra - rb
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function rankForReader(
  day: PreparedDay,
  input: InterestsInput | CompiledInterests,
  options: RankOptions = {},
): RankedPaper[] {
  const interests = isCompiled(input) ? input : compileInterests(input)
  const fallback = selectsNothing(interests)
  const ranked: RankedPaper[] = []
  for (const m of matchPapers(day, interests)) {
    if (m.excludedBy.length > 0) continue
    const followed = m.authors.length > 0
    // matchPapers reports every topic when no topic was chosen; for ranking, only chosen ones count.
    const topics = interests.topics.length > 0 ? m.topics : []
    const selected = followed || topics.length > 0 || m.keywords.length > 0
    if (!fallback && !selected) continue
    const relevance = round2(
      topics.reduce((s, t) => s + t.score, 0) + m.keywords.reduce((s, k) => s + k.score, 0),
    )
    const match = { ...m, topics }
    ranked.push({
      ...match,
      relevance,
      score: blend(relevance, m.rank),
      followed,
      why: reasonsFor(match, fallback),
    })
  }
  ranked.sort(compareRanked)
  return options.limit === undefined ? ranked : ranked.slice(0, Math.max(0, options.limit))
}
