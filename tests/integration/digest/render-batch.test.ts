// The batch renderer against the one-reader renderer on a real plan: renderDeliveries builds
// each paper's card-with-reasons once per batch and checks only the per-email fields, while
// renderDigest parses each reader's whole DigestInput and shares nothing. Every email must
// be the same, byte for byte, and carry its own reader's tokens.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/config/env'
import type { Db } from '../../../src/db/prisma'
import type { OutgoingEmail } from '../../../src/delivery/mailer'
import { latest, loadListEntries } from '../../../src/digest/day-lists'
import { loadDeliveries } from '../../../src/digest/delivery-rows'
import { createDigestCaches, type DigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries, toOutgoing } from '../../../src/digest/digest-email'
import { buildDigestInput, digestSite } from '../../../src/digest/digest-input'
import { cardsOn, digestPapers, digestReader } from '../../../src/digest/email-papers'
import { planDigest } from '../../../src/digest/plan'
import { windowDates } from '../../../src/digest/plan/schedule'
import { renderDigest } from '../../../src/digest/render'
import { checkFeedbackToken, checkLinkToken } from '../../../src/links/link-tokens'
import { createLogger } from '../../../src/log'
import { generateReaders, insertReaders } from '../../../src/subscribers/synthetic-readers'
import { resetData, testConfig, testPrisma } from '../../support/db'
import { topicModel } from '../../support/topic-model'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

const SECRET = 's'.repeat(32)
let prisma: Db
let caches: DigestCaches
let config: Config
let ids: number[]

beforeAll(async () => {
  prisma = await testPrisma()
  caches = createDigestCaches(prisma, topicModel)
  await resetData(prisma)
  await ingestHfDay(prisma)
  const slugs = (await prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug)
  // Few profiles for many readers: most share their papers and reasons with others.
  await insertReaders(prisma, generateReaders(400, slugs, { seed: 7, profiles: 25 }))
  // Values that need escaping in the HTML, and one that needs a line of its own cleaned.
  await createReader(prisma, {
    email: 'zoe@example.org',
    name: `Zoë <O'Brien> & co`,
    topics: slugs.slice(0, 2),
    keywords: ['reasoning', 'a "quoted" term'],
  })
  await createReader(prisma, { email: 'sam@example.org', name: 'Sam\r\nBcc: x', topics: slugs.slice(0, 2) })
  await planDigest({ prisma, log: createLogger('silent'), topicModel }, { date: HF_DAY })
  ids = (
    await prisma.delivery.findMany({
      where: { status: 'pending' },
      select: { id: true },
      orderBy: { id: 'asc' },
    })
  ).map((d) => d.id)
  config = await testConfig({ PUBLIC_URL: 'https://papers.example/news&more', APP_SECRET: SECRET })
}, 120_000)

/** Each delivery on its own through renderDigest's full input: the renderer before batching. */
async function oneByOne(): Promise<Map<number, OutgoingEmail>> {
  const out = new Map<number, OutgoingEmail>()
  const templates = await caches.templates.get()
  const topics = await caches.topics.load()
  const site = digestSite(config)
  for (const d of await loadDeliveries(prisma, ids)) {
    // The lists of the email's window (a weekly reader's: its seven days), as renderDeliveries reads them.
    const entries = await loadListEntries(
      prisma,
      windowDates(d.date, 'weekly'),
      d.items.map((i) => i.paperId),
      caches.papers,
    )
    const cardOf = cardsOn(caches.cards, templates, topics, d.date, (id) =>
      latest(entries.filter((e) => e.paper.id === id)),
    )
    const slugs = d.subscriber.topicIds.map((id) => topics.slugById.get(id)).filter((x) => x !== undefined)
    const papers = digestPapers(topics, d.items, cardOf, new Set(slugs))
    if (papers.length === 0) continue
    const reader = digestReader({ ...d.subscriber, topicSlugs: slugs }, topics)
    const email = renderDigest(templates, buildDigestInput(site, reader, d.date, papers))
    out.set(d.id, toOutgoing(d.subscriber.email, email))
  }
  return out
}

describe('renderDeliveries in batches', () => {
  it('gives every reader of a real plan the email renderDigest gives them alone, with their own tokens', async () => {
    const expected = await oneByOne()
    expect(expected.size).toBeGreaterThan(200)
    // One batch of everything (the most sharing) and batches of 7 (little).
    for (const size of [ids.length, 7]) {
      const got = new Map<number, OutgoingEmail>()
      for (let i = 0; i < ids.length; i += size)
        for (const [id, e] of await renderDeliveries({ prisma, config, caches }, ids.slice(i, i + size)))
          got.set(id, e)
      expect([...got.keys()]).toEqual([...expected.keys()])
      for (const [id, email] of expected) expect(got.get(id), `delivery ${id}`).toEqual(email)
    }

    const subscribers = await prisma.subscriber.findMany({
      where: { deliveries: { some: { id: { in: [...expected.keys()] } } } },
      select: { id: true, accessKey: true, deliveries: { select: { id: true } } },
    })
    const byDelivery = new Map(subscribers.flatMap((s) => s.deliveries.map((d) => [d.id, s] as const)))
    for (const [id, email] of expected) {
      const s = byDelivery.get(id)!
      const unsubscribe = /\/unsubscribe\/([^>]+)>$/.exec(email.headers!['List-Unsubscribe']!)![1]!
      expect(checkLinkToken(SECRET, unsubscribe, 'unsubscribe', s)).toBe(true)
      const votes = [...email.text.matchAll(/\/feedback\/([^/]+)\/more/g)]
      expect(votes.length).toBeGreaterThan(0)
      for (const [, token] of votes) {
        const paperId = Number.parseInt(token!.split('.')[1]!.slice(1), 36)
        expect(checkFeedbackToken(SECRET, token!, s, paperId)).toBe(true)
      }
    }
    const zoe = [...expected.values()].find((e) => e.to === 'zoe@example.org')!
    expect(zoe.html).toContain('Hi Zoë,')
    expect(zoe.html).toContain('https://papers.example/news&amp;more/unsubscribe/')
  }, 120_000)
})
