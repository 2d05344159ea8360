// The glue between planned deliveries and the mailer: loads a batch of deliveries with
// everything their emails need in a few bulk queries, reuses one prepared card per paper
// and date, and renders each reader's email. Delivery calls this per claimed batch.
import { setImmediate } from 'node:timers/promises'
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { OutgoingEmail } from '../delivery/mailer'
import { batchCards } from './batch-cards'
import { type ListedPaper, latest, loadListEntries } from './day-lists'
import { loadDeliveries } from './delivery-rows'
import type { DigestCaches } from './digest-caches'
import { digestSite, readerReason, recipientLinks } from './digest-input'
import { cardsOn, digestReader } from './email-papers'
import { windowDates } from './plan/schedule'
import { type DigestCard, DigestEmailFields, fillDigest, hostOf, type RenderedEmail, Site } from './render'

/** Emails rendered between two turns of the event loop. */
const YIELD_EVERY = 8

export interface RenderDeps {
  prisma: Db
  config: Pick<Config, 'publicUrl' | 'appSecret'>
  /** Templates, topics, cards and papers kept between batches (one set per process: src/deps.ts). */
  caches: DigestCaches
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
  // Independent of each other: one round trip's wait per batch instead of two.
  const [deliveries, templates, topics] = await Promise.all([
    loadDeliveries(deps.prisma, deliveryIds),
    deps.caches.templates.get(),
    deps.caches.topics.load(),
  ])

  const dates = new Set<string>()
  const paperIds = new Set<number>()
  // Every list a delivery of these dates may draw from (a weekly one: its seven days).
  const windows = new Map<string, Set<string>>()
  for (const d of deliveries) {
    if (!windows.has(d.date)) windows.set(d.date, new Set(windowDates(d.date, 'weekly')))
    for (const item of d.items) paperIds.add(item.paperId)
  }
  for (const w of windows.values()) for (const day of w) dates.add(day)
  const entries = await loadListEntries(deps.prisma, [...dates], [...paperIds], deps.caches.papers)
  const byPaper = new Map<number, ListedPaper[]>()
  for (const e of entries) {
    const list = byPaper.get(e.paper.id)
    if (list) list.push(e)
    else byPaper.set(e.paper.id, [e])
  }

  // One card lookup per (paper, date) per batch; the card itself comes from the process's LRU.
  const cards = new Map<string, ReturnType<typeof cardsOn>>()
  for (const [date, window] of windows) {
    // The card shows the paper as listed most recently up to the email's date (upvotes grow).
    const listed = (paperId: number) => latest((byPaper.get(paperId) ?? []).filter((e) => window.has(e.date)))
    cards.set(date, cardsOn(deps.caches.cards, templates, topics, date, listed))
  }

  const site = digestSite(deps.config)
  // What renderDigest would check in every email, checked once for the batch.
  const publicUrl = Site.parse({ publicUrl: site.publicUrl }).publicUrl
  const mailHost = hostOf(publicUrl)
  // A paper with the same card, reasons and topics looks the same in every email of the
  // batch (apart from the reader's vote links): built once (batch-cards.ts). Readers share
  // stored reasons (DeliveryReason): the 100,000-reader benchmark's day has 1,561 for 372,914 items.
  const cardsOf = batchCards(topics)
  let n = 0
  for (const d of deliveries) {
    // Delivery renders a batch while its SMTP connections are sending: a batch of 50 held the
    // event loop 22–46 ms, and meanwhile no server's answer was read and no connection got
    // its next message. Yielding every few emails lets them go on (bench:delivery at 20,000
    // readers, load 11–15: 195 and 195 msg/s against 166 and 168 without, 2.24–2.32 CPU ms a
    // message against 2.34–2.53).
    if (++n % YIELD_EVERY === 0) await setImmediate()
    const s = d.subscriber
    const cardOf = cards.get(d.date)!
    const readerCards = cardsOf(s.topicIds)
    const papers: DigestCard[] = []
    const paperIds: number[] = []
    for (const item of d.items) {
      const day = cardOf(item.paperId)
      // A paper whose list was deleted since planning cannot be described honestly: leave it out.
      if (!day) continue
      papers.push(readerCards(day, item))
      paperIds.push(item.paperId)
    }
    if (papers.length === 0) continue
    const slugs = s.topicIds.map((id) => topics.slugById.get(id)).filter((x) => x !== undefined)
    const reader = digestReader({ ...s, topicSlugs: slugs }, topics)
    const checked = DigestEmailFields.parse({
      subscriberId: s.id,
      reader: { email: s.email, name: s.name },
      date: d.date,
      reason: readerReason(site.host, reader),
    })
    const { links, feedback } = recipientLinks(site, reader, checked.date, paperIds)
    const email = fillDigest(
      templates,
      { date: checked.date, frequency: s.frequency, reason: checked.reason, publicUrl, mailHost },
      papers,
      { subscriberId: checked.subscriberId, name: checked.reader.name, links, feedback },
    )
    out.set(d.id, toOutgoing(s.email, email))
  }
  return out
}

/** A rendered digest as the mailer takes it. */
export function toOutgoing(to: string, email: RenderedEmail): OutgoingEmail {
  // The Message-ID travels as messageId only: as a header too, a transport may write it twice.
  const { 'Message-ID': messageId, ...headers } = email.headers
  return { to, subject: email.subject, html: email.html, text: email.text, headers, messageId }
}
