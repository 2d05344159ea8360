// The trending lists behind a digest. A date can have lists from several sources and a
// weekly email spans seven dates, so a paper may be listed more than once: it counts once,
// at its best rank (ties: the later date, then the source name, so the choice is stable).
import type { Db } from '../db/prisma'
import type { CardPaper } from './paper-cards'
import { toIsoDate } from './plan/schedule'

export interface ListedPaper {
  paper: CardPaper
  date: string
  source: string
  rank: number
  upvotes: number | null
}

type EntryRow = {
  paperId: number
  updatedAt: Date
  date: Date
  source: string
  rank: number
  upvotes: number | null
}

const CARD_PAPER_FIELDS = {
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
} as const

/**
 * Papers by id, as last read. Every batch of emails asks for the same few dozen papers:
 * the entries are read each time (ranks and upvotes are the list's), a paper's text only
 * when it is new here or its updatedAt moved. Returned papers are shared: read-only. A
 * process keeps one (src/deps.ts); a caller without one reads every paper.
 */
export type PaperCache = Map<number, CardPaper>
const MAX_PAPERS = 2_000

export function createPaperCache(): PaperCache {
  return new Map()
}

async function loadPapers(
  prisma: Db,
  wanted: Map<number, Date>,
  papers: PaperCache,
): Promise<Map<number, CardPaper>> {
  const stale = [...wanted].filter(([id, at]) => papers.get(id)?.updatedAt.getTime() !== at.getTime())
  if (stale.length > 0) {
    const rows = await prisma.paper.findMany({
      where: { id: { in: stale.map(([id]) => id) } },
      select: CARD_PAPER_FIELDS,
    })
    if (papers.size + rows.length > MAX_PAPERS) papers.clear()
    for (const row of rows) papers.set(row.id, row)
  }
  const found = new Map<number, CardPaper>()
  for (const id of wanted.keys()) {
    const paper = papers.get(id)
    if (paper) found.set(id, paper)
  }
  return found
}

export async function loadListEntries(
  prisma: Db,
  dates: readonly string[],
  paperIds?: readonly number[],
  papers: PaperCache = createPaperCache(),
): Promise<ListedPaper[]> {
  const rows = await prisma.$queryRaw<EntryRow[]>`
    SELECT e."paperId", p."updatedAt", l.date, l.source, e.rank, e.upvotes
    FROM "DailyListEntry" e
    JOIN "DailyList" l ON l.id = e."dailyListId"
    JOIN "Paper" p ON p.id = e."paperId"
    WHERE l.date = ANY(${[...dates]}::date[])
      AND (${paperIds === undefined}::boolean OR e."paperId" = ANY(${paperIds ?? []}::int[]))`
  const byPaper = await loadPapers(prisma, new Map(rows.map((r) => [r.paperId, r.updatedAt])), papers)
  const entries: ListedPaper[] = []
  for (const r of rows) {
    // A paper edited between the two reads is newer than its entry row said: still the paper.
    const paper = byPaper.get(r.paperId)
    if (!paper) continue // deleted in between
    entries.push({ paper, date: toIsoDate(r.date), source: r.source, rank: r.rank, upvotes: r.upvotes })
  }
  return entries
}

/** What ranking a listing needs; feeds merge their own lighter rows the same way. */
type Listing = Pick<ListedPaper, 'date' | 'source' | 'rank'> & { paper: { id: number } }

function better(a: Listing, b: Listing): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank
  if (a.date !== b.date) return a.date > b.date
  return a.source < b.source
}

/** One entry per paper (its best), ordered by rank then paper id. */
export function mergeByPaper<T extends Listing>(entries: readonly T[]): T[] {
  const best = new Map<number, T>()
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
