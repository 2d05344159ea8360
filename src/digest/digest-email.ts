// The glue between planned deliveries and the mailer: loads a batch of deliveries with
// everything their emails need in a few bulk queries, reuses one prepared card per paper
// and date, and renders each reader's email. Delivery calls this per claimed batch.
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { OutgoingEmail } from '../delivery/mailer'
import { type ListedPaper, loadListEntries, mergeByPaper } from './day-lists'
import { buildDigestInput, type DigestReader } from './digest-input'
import { dayCard } from './paper-cards'
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
  for (const e of entries) byPaper.set(e.paper.id, [...(byPaper.get(e.paper.id) ?? []), e])

  for (const d of deliveries) {
    if (d.items.length === 0) continue
    const date = isoDate(d.date)
    const window = new Set(windowDates(date, 'weekly'))
    const s = d.subscriber
    const chosen = new Set(s.topics.map((t) => topics.slugById.get(t.topicId)).filter((x) => x !== undefined))
    const papers = []
    for (const item of d.items) {
      const best = mergeByPaper((byPaper.get(item.paperId) ?? []).filter((e) => window.has(e.date)))[0]
      // A paper whose list was deleted since planning cannot be described honestly: leave it out.
      if (!best) continue
      const { card, topicSlugs } = dayCard(templates, topics, best.paper, { ...best, date })
      const names = topicSlugs.filter((slug) => chosen.has(slug)).map((slug) => topics.nameBySlug.get(slug)!)
      papers.push({ card, why: item.why, topics: names })
    }
    if (papers.length === 0) continue
    const reader: DigestReader = {
      id: s.id,
      accessKey: s.accessKey,
      email: s.email,
      name: s.name,
      frequency: s.frequency,
      topicNames: [...chosen].map((slug) => topics.nameBySlug.get(slug)!),
      keywords: s.interests.filter((i) => i.kind === 'keyword').map((i) => i.term),
      authors: s.interests.filter((i) => i.kind === 'author').map((i) => i.term),
    }
    const email = renderDigest(templates, buildDigestInput(deps.config, reader, date, papers))
    out.set(d.id, toOutgoing(s.email, email))
  }
  return out
}

function toOutgoing(to: string, email: ReturnType<typeof renderDigest>): OutgoingEmail {
  // The Message-ID travels as messageId only: as a header too, a transport may write it twice.
  const { 'Message-ID': messageId, ...headers } = email.headers
  return { to, subject: email.subject, html: email.html, text: email.text, headers, messageId }
}
