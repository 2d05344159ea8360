// One reader's choice from their interest set's ranked list: the first papers they have
// not been sent, up to their limit. Pure, so every rule is checked with tiny builders.
import type { RankedPaper } from '../../matching'

export interface PlannedItem {
  paperId: number
  position: number
  score: number
  why: string[]
}

/** `sendAt`: when the email may go out (null: as soon as it is planned). */
export type ReaderPlan =
  | { subscriberId: number; sendAt: Date | null; status: 'pending'; items: PlannedItem[] }
  | { subscriberId: number; sendAt: Date | null; status: 'skipped'; skipReason: string; items: [] }

/** What choosing needs of a ranked paper (planning keeps only this across pages). */
export type RankedChoice = Pick<RankedPaper, 'id' | 'score' | 'why'> & { followed?: boolean }

export const SKIP = {
  noMatch: 'no paper matched your interests',
  allSent: 'every paper that matched your interests was already sent to you',
  trendingSent: 'no paper matched your interests, and every trending paper was already sent to you',
  badInterests: 'your interests could not be read; please update your preferences',
} as const

/** The first `max` papers of `ranked` not in `alreadySent`, numbered from 1. */
export function choosePapers(
  ranked: readonly RankedChoice[],
  alreadySent: ReadonlySet<number>,
  max: number,
): PlannedItem[] {
  const items: PlannedItem[] = []
  for (const paper of ranked) {
    if (items.length >= max) break
    const paperId = Number(paper.id)
    if (alreadySent.has(paperId)) continue
    items.push({ paperId, position: items.length + 1, score: paper.score, why: paper.why })
  }
  return items
}

export interface ReaderChoice {
  subscriberId: number
  maxPapers: number
  fallbackToTrending: boolean
  /** The reader's send-at time for this date (send-at.ts), null: when planned. */
  sendAt: Date | null
}

/**
 * The plan of one reader. `trending` is computed only when asked for (it is the same for
 * every reader of the interest set, so the caller memoises it).
 */
export function planReader(
  reader: ReaderChoice,
  ranked: readonly RankedChoice[],
  alreadySent: ReadonlySet<number>,
  trending: () => readonly RankedChoice[],
): ReaderPlan {
  const { subscriberId, sendAt } = reader
  const max = Math.max(1, reader.maxPapers)
  const items = choosePapers(ranked, alreadySent, max)
  if (items.length > 0) return { subscriberId, sendAt, status: 'pending', items }
  if (reader.fallbackToTrending) {
    const fallback = choosePapers(trending(), alreadySent, max)
    if (fallback.length > 0) return { subscriberId, sendAt, status: 'pending', items: fallback }
    return { subscriberId, sendAt, status: 'skipped', skipReason: SKIP.trendingSent, items: [] }
  }
  const skipReason = ranked.length === 0 ? SKIP.noMatch : SKIP.allSent
  return { subscriberId, sendAt, status: 'skipped', skipReason, items: [] }
}
