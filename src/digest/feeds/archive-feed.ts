// The public feed of the archive: the trending lists of the latest ARCHIVE_FEED_DAYS days,
// newest day first, each day's papers by rank (merged across sources, as the archive page).
import type { Db } from '../../db/prisma'
import { mergeByPaper } from '../day-lists'
import { toIsoDate } from '../plan/schedule'
import { type AtomFeed, tagUri } from './atom'
import { FEED_PAPER_FIELDS, paperEntry } from './paper-entry'

/** Days the public feed carries: a week of lists is a few hundred entries. */
export const ARCHIVE_FEED_DAYS = 7

export async function archiveFeed(prisma: Db, publicUrl: string): Promise<AtomFeed> {
  const days = await prisma.dailyList.groupBy({
    by: ['date'],
    where: { entries: { some: {} } },
    _max: { fetchedAt: true },
    orderBy: { date: 'desc' },
    take: ARCHIVE_FEED_DAYS,
  })
  const rows = await prisma.dailyListEntry.findMany({
    where: { dailyList: { date: { in: days.map((d) => d.date) } } },
    select: {
      rank: true,
      upvotes: true,
      dailyList: { select: { date: true, source: true } },
      paper: { select: { id: true, ...FEED_PAPER_FIELDS } },
    },
  })
  const entries = days.flatMap((d) => {
    const date = toIsoDate(d.date)
    const listed = mergeByPaper(
      rows
        .filter((r) => toIsoDate(r.dailyList.date) === date)
        .map((r) => ({ paper: r.paper, date, source: r.dailyList.source, rank: r.rank, upvotes: r.upvotes })),
    )
    return listed.map((l) => {
      const votes = l.upvotes === null ? '' : ` · ${l.upvotes} upvotes`
      return paperEntry(publicUrl, l.paper, date, d._max.fetchedAt!, `Trending #${l.rank} on ${date}${votes}`)
    })
  })
  return {
    id: tagUri(publicUrl, 'archive-feed'),
    title: 'Paperboy · trending research papers',
    subtitle: `Each day's trending papers, the last ${ARCHIVE_FEED_DAYS} days.`,
    self: `${publicUrl}/archive/feed.atom`,
    alternate: `${publicUrl}/archive`,
    updated: new Date(Math.max(0, ...days.map((d) => d._max.fetchedAt!.getTime()))),
    author: { name: 'Paperboy' },
    entries,
  }
}
