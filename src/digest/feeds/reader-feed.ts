// A reader's private feed: the papers of the emails they were sent in the last FEED_DAYS
// days, newest email first, each email's papers in its order, each with the reasons the
// email gave. Read from the delivery ledger, so it says what the emails said.
import type { Db } from '../../db/prisma'
import { addDays, toIsoDate } from '../plan/schedule'
import { type AtomFeed, tagUri } from './atom'
import { FEED_DAYS, FEED_PAPER_FIELDS, paperEntry } from './paper-entry'

export interface FeedReader {
  id: number
  name: string | null
  createdAt: Date
}

export async function readerFeed(
  prisma: Db,
  publicUrl: string,
  reader: FeedReader,
  links: { self: string; preferences: string },
  now: Date,
): Promise<AtomFeed> {
  const since = addDays(toIsoDate(now), -FEED_DAYS)
  const deliveries = await prisma.delivery.findMany({
    where: { subscriberId: reader.id, status: 'sent', date: { gte: new Date(`${since}T00:00:00Z`) } },
    orderBy: { date: 'desc' },
    select: {
      date: true,
      sentAt: true,
      sendAt: true,
      items: { orderBy: { position: 'asc' }, select: { why: true, paper: { select: FEED_PAPER_FIELDS } } },
    },
  })
  const entries = deliveries.flatMap((d) => {
    const date = toIsoDate(d.date)
    const updated = d.sentAt ?? d.sendAt
    return d.items.map((i) =>
      paperEntry(publicUrl, i.paper, date, updated, i.why.length ? `Why: ${i.why.join(' · ')}` : ''),
    )
  })
  return {
    id: tagUri(publicUrl, `reader-feed:${reader.id}`),
    title: reader.name ? `Paperboy papers for ${reader.name}` : 'Your Paperboy papers',
    subtitle: `The papers of your Paperboy emails of the last ${FEED_DAYS} days, with why each was picked.`,
    self: links.self,
    alternate: links.preferences,
    // The newest email's time; before any, the subscription's: stable, so the ETag is too.
    updated: entries[0]?.updated ?? reader.createdAt,
    author: { name: 'Paperboy' },
    entries,
  }
}
