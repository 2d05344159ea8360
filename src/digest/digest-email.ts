// The glue between planned deliveries and the mailer: loads a batch of deliveries with
// everything their emails need in a few bulk queries, reuses one prepared card per paper
// and date, and renders each reader's email. Delivery calls this per claimed batch.
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { OutgoingEmail } from '../delivery/mailer'
import { type ListedPaper, latest, loadListEntries } from './day-lists'
import { buildDigestInput } from './digest-input'
import { digestPapers, digestReader } from './email-papers'
import { toIsoDate as isoDate, windowDates } from './plan/schedule'
import { compileTemplates, renderDigest } from './render'
import { loadTopicCatalog } from './topic-catalog'

export interface RenderDeps {
  prisma: Db
  config: Pick<Config, 'publicUrl' | 'appSecret'>
}

/**
 * Emails for the given deliveries, keyed by delivery id. Deliveries that have nothing to send
 * (skipped, or without items) or no longer exist are absent from the map.
 */
export async function renderDeliveries(
  deps: RenderDeps,
  deliveryIds: readonly number[],
): Promise<Map<number, OutgoingEmail>> {
  const out = new Map<number, OutgoingEmail>()
  if (deliveryIds.length === 0) return out
  const deliveries = await deps.prisma.delivery.findMany({
    where: { id: { in: [...deliveryIds] }, status: { not: 'skipped' } },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      date: true,
      items: { orderBy: { position: 'asc' }, select: { paperId: true, why: true } },
      subscriber: {
        select: {
          id: true,
          email: true,
          name: true,
          accessKey: true,
          frequency: true,
          topics: { select: { topicId: true } },
          interests: { select: { kind: true, term: true }, orderBy: { id: 'asc' } },
        },
      },
    },
  })
  const [templates, topics] = await Promise.all([compileTemplates(), loadTopicCatalog(deps.prisma)])

  // Every list a delivery of these dates may draw from (a weekly one: its seven days).
  const dates = new Set<string>()
  const paperIds = new Set<number>()
  for (const d of deliveries) {
    for (const day of windowDates(isoDate(d.date), 'weekly')) dates.add(day)
    for (const item of d.items) paperIds.add(item.paperId)
  }
  const entries = await loadListEntries(deps.prisma, [...dates], [...paperIds])
  const byPaper = new Map<number, ListedPaper[]>()
  for (const e of entries) {
    const list = byPaper.get(e.paper.id)
    if (list) list.push(e)
    else byPaper.set(e.paper.id, [e])
  }

  for (const d of deliveries) {
    const date = isoDate(d.date)
    const window = new Set(windowDates(date, 'weekly'))
    const s = d.subscriber
    const slugs = s.topics.map((t) => topics.slugById.get(t.topicId)).filter((x) => x !== undefined)
    // The card shows the paper as listed most recently up to the email's date (upvotes grow).
    const best = (paperId: number) => latest((byPaper.get(paperId) ?? []).filter((e) => window.has(e.date)))
    const papers = digestPapers(templates, topics, date, d.items, best, new Set(slugs))
    if (papers.length === 0) continue
    const reader = digestReader({ ...s, topicSlugs: slugs }, topics)
    const email = renderDigest(templates, buildDigestInput(deps.config, reader, date, papers))
    out.set(d.id, toOutgoing(s.email, email))
  }
  return out
}

/** A rendered digest as the mailer takes it. */
export function toOutgoing(to: string, email: ReturnType<typeof renderDigest>): OutgoingEmail {
  // The Message-ID travels as messageId only: as a header too, a transport may write it twice.
  const { 'Message-ID': messageId, ...headers } = email.headers
  return { to, subject: email.subject, html: email.html, text: email.text, headers, messageId }
}
