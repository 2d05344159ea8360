// The trending lists behind a digest. A date can have lists from several sources and a
// weekly email spans seven dates, so a paper may be listed more than once: it counts once,
// at its best rank (ties: the later date, then the source name, so the choice is stable).
import type { Db } from '../db/prisma'
import type { CardPaper } from './paper-cards'
import { isoDay, toIsoDate } from './plan/schedule'

export interface ListedPaper {
  paper: CardPaper
  date: string
  source: string
  rank: number
  upvotes: number | null
}

export async function loadListEntries(
  prisma: Db,
  dates: readonly string[],
  paperIds?: readonly number[],
): Promise<ListedPaper[]> {
  const rows = await prisma.dailyListEntry.findMany({
    where: {
      dailyList: { date: { in: dates.map(isoDay) } },
      ...(paperIds ? { paperId: { in: [...paperIds] } } : {}),
    },
    select: {
      rank: true,
      upvotes: true,
      dailyList: { select: { date: true, source: true } },
      paper: {
        select: {
          id: true,
          updatedAt: true,
          arxivId: true,
          title: true,
          abstract: true,
          authors: true,
          url: true,
          aiSummary: true,
          aiKeywords: true,
          githubRepo: true,
          projectPage: true,
        },
      },
    },
  })
  return rows.map((r) => ({
    paper: r.paper,
    date: toIsoDate(r.dailyList.date),
    source: r.dailyList.source,
    rank: r.rank,
    upvotes: r.upvotes,
  }))
}

function better(a: ListedPaper, b: ListedPaper): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank
  if (a.date !== b.date) return a.date > b.date
  return a.source < b.source
}

/** One entry per paper (its best), ordered by rank then paper id. */
export function mergeByPaper(entries: readonly ListedPaper[]): ListedPaper[] {
  const best = new Map<number, ListedPaper>()
  for (const e of entries) {
    const kept = best.get(e.paper.id)
    if (!kept || better(e, kept)) best.set(e.paper.id, e)
  }
  return [...best.values()].sort((a, b) => a.rank - b.rank || a.paper.id - b.paper.id)
}

/** The most recent listing (then the best rank): what a card shows of a paper on a date. */
export function latest(entries: readonly ListedPaper[]): ListedPaper | undefined {
  let found: ListedPaper | undefined
  for (const e of entries) {
    if (!found || e.date > found.date || (e.date === found.date && better(e, found))) found = e
  }
  return found
}
