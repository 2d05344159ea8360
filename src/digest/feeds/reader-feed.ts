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
    select: { date: true, sentAt: true, sendAt: true, paperIds: true, reasonIds: true },
  })
  // Papers and reasons are read once each for the whole feed (30 emails share many papers).
  const paperIds = [...new Set(deliveries.flatMap((d) => d.paperIds))]
  const reasonIds = [...new Set(deliveries.flatMap((d) => d.reasonIds))]
  const [papers, reasons] = await Promise.all([
    prisma.paper.findMany({ where: { id: { in: paperIds } }, select: { id: true, ...FEED_PAPER_FIELDS } }),
    prisma.deliveryReason.findMany({ where: { id: { in: reasonIds } }, select: { id: true, why: true } }),
  ])
  const paperById = new Map(papers.map((p) => [p.id, p]))
  const whyById = new Map(reasons.map((r) => [r.id, r.why]))
  const entries = deliveries.flatMap((d) => {
    const date = toIsoDate(d.date)
    const updated = d.sentAt ?? d.sendAt
    return d.paperIds.flatMap((id, n) => {
      const paper = paperById.get(id)
      if (!paper) return []
      const why = whyById.get(d.reasonIds[n] ?? -1) ?? []
      return [paperEntry(publicUrl, paper, date, updated, why.length ? `Why: ${why.join(' · ')}` : '')]
    })
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
