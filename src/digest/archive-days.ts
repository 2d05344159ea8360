// The archive's days: which dates have a trending list, newest first and paged, and each
// day's neighbours for the previous/next links. Only dates whose lists have papers count
// (an empty weekend list is recorded, but there is nothing to show for it).
import type { Db } from '../db/prisma'
import { isoDay, toIsoDate } from './plan/schedule'

export const ARCHIVE_PAGE_SIZE = 30

export interface ArchiveDay {
  date: string
  papers: number
}

export interface ArchiveIndex {
  days: ArchiveDay[]
  page: number
  /** Pages in all (at least 1, so page 1 of an empty archive exists). */
  pages: number
}

/** Page `page` (1-based) of the days, newest first; null when the page is past the end. */
export async function archiveIndex(prisma: Db, page: number): Promise<ArchiveIndex | null> {
  const [{ n }] = (await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT l.date)::int AS n FROM "DailyList" l
    WHERE EXISTS (SELECT 1 FROM "DailyListEntry" e WHERE e."dailyListId" = l.id)`) as [{ n: number }]
  const pages = Math.max(1, Math.ceil(n / ARCHIVE_PAGE_SIZE))
  if (page > pages) return null
  const rows = await prisma.$queryRaw<{ date: Date; papers: number }[]>`
    SELECT l.date, count(DISTINCT e."paperId")::int AS papers
    FROM "DailyList" l JOIN "DailyListEntry" e ON e."dailyListId" = l.id
    GROUP BY l.date ORDER BY l.date DESC
    LIMIT ${ARCHIVE_PAGE_SIZE} OFFSET ${(page - 1) * ARCHIVE_PAGE_SIZE}`
  return { days: rows.map((r) => ({ date: toIsoDate(r.date), papers: r.papers })), page, pages }
}

/** The nearest earlier and later days with papers. */
export async function archiveNeighbours(
  prisma: Db,
  date: string,
): Promise<{ previous: string | null; next: string | null }> {
  const [row] = await prisma.$queryRaw<{ previous: Date | null; next: Date | null }[]>`
    SELECT
      (SELECT max(l.date) FROM "DailyList" l WHERE l.date < ${isoDay(date)}::date
         AND EXISTS (SELECT 1 FROM "DailyListEntry" e WHERE e."dailyListId" = l.id)) AS previous,
      (SELECT min(l.date) FROM "DailyList" l WHERE l.date > ${isoDay(date)}::date
         AND EXISTS (SELECT 1 FROM "DailyListEntry" e WHERE e."dailyListId" = l.id)) AS next`
  return {
    previous: row?.previous ? toIsoDate(row.previous) : null,
    next: row?.next ? toIsoDate(row.next) : null,
  }
}
