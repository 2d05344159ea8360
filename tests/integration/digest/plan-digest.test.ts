// planDigest on real PostgreSQL with the real HF day and a few hundred generated readers:
// every row is checked against the rules, then planning again (in sequence and at once)
// must change nothing, and a second day must not repeat the first.

import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { createDigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries } from '../../../src/digest/digest-email'
import { isDue, loadPlanDay, planDigest, SKIP, windowDates } from '../../../src/digest/plan'
import { loadTopicCatalog } from '../../../src/digest/topic-catalog'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { createLogger } from '../../../src/log'
import { matchPapers } from '../../../src/matching'
import { generateReaders, insertReaders } from '../../../src/subscribers/synthetic-readers'
import { resetData, testConfig, testPrisma } from '../../support/db'
import { itemsByDelivery } from '../../support/delivery-items'
import { topicModel } from '../../support/topic-model'
import { HF_DAY, ingestHfDay } from './helpers'

const log = createLogger('silent')
const atom = fileURLToPath(new URL('../../fixtures/arxiv-atom-cs.AI-2025-08-20.xml', import.meta.url))
const NEXT_DAY = '2025-06-03'
const EARLIER = '2025-05-30' // inside the weekly window of HF_DAY

let prisma: Db
const readers = generateReaders(400, [], { seed: 7, profiles: 400 })

async function snapshot(date: string) {
  const rows = await prisma.delivery.findMany({
    where: { date: new Date(`${date}T00:00:00Z`) },
    orderBy: { subscriberId: 'asc' },
    select: { id: true, subscriberId: true, status: true, skipReason: true },
  })
  const items = await itemsByDelivery(
    prisma,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({ ...r, items: items.get(r.id)! }))
}

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma)
  await ingestDay(prisma, { date: EARLIER, file: atom, source: 'arxiv:cs.AI' })
  const slugs = (await prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug)
  readers.splice(0, readers.length, ...generateReaders(400, slugs, { seed: 7, profiles: 400 }))
  await insertReaders(prisma, readers)
})

describe('planDigest', () => {
  it('refuses a date with nothing ingested, before touching anything', async () => {
    await expect(planDigest({ prisma, log, topicModel }, { date: '2025-01-01' })).rejects.toThrow(
      'no papers ingested for 2025-01-01',
    )
    expect(await prisma.delivery.count()).toBe(0)
    expect(await prisma.digestRun.count()).toBe(0)
  })

  it('plans one delivery per due reader and checks every row', async () => {
    const report = await planDigest({ prisma, log, topicModel }, { date: HF_DAY })
    const subscribers = await prisma.subscriber.findMany({ orderBy: { id: 'asc' } })
    const gen = new Map(readers.map((g) => [g.email, g]))
    const due = subscribers.filter((s) => isDue(s, HF_DAY))
    expect(due.some((s) => s.frequency === 'weekly')).toBe(true)
    expect(due.length).toBeLessThan(subscribers.length)

    const rows = await snapshot(HF_DAY)
    expect(rows.map((r) => r.subscriberId)).toEqual(due.map((s) => s.id))
    expect(report).toEqual({
      date: HF_DAY,
      due: due.length,
      planned: rows.filter((r) => r.status === 'pending').length,
      skipped: rows.filter((r) => r.status === 'skipped').length,
      alreadyPlanned: 0,
    })
    expect(report.planned).toBeGreaterThan(due.length / 2)
    expect(report.skipped).toBeGreaterThan(0)

    const topics = await loadTopicCatalog(prisma, topicModel)
    const daily = await loadPlanDay(prisma, topics, HF_DAY, 'daily')
    const weekly = await loadPlanDay(prisma, topics, HF_DAY, 'weekly')
    const hfIds = new Set(daily.listed.map((l) => l.paper.id))
    let weeklyGotEarlierPaper = false
    for (const row of rows) {
      const s = due.find((x) => x.id === row.subscriberId)!
      const g = gen.get(s.email)!
      if (row.status === 'skipped') {
        expect(row.items).toEqual([])
        expect(Object.values(SKIP)).toContain(row.skipReason)
        if (s.fallbackToTrending) expect(row.skipReason).not.toBe(SKIP.noMatch)
        continue
      }
      expect(row.status).toBe('pending')
      expect(row.items.length).toBeGreaterThan(0)
      expect(row.items.length).toBeLessThanOrEqual(s.maxPapers)
      expect(row.items.map((i) => i.position)).toEqual(row.items.map((_, i) => i + 1))
      expect(row.items.every((i) => i.why.length > 0)).toBe(true)
      // The window: daily readers only get the date's papers; weekly ones may get the week's.
      const plan = s.frequency === 'daily' ? daily : weekly
      const inWindow = new Set(plan.listed.map((l) => l.paper.id))
      expect(row.items.every((i) => inWindow.has(i.paperId))).toBe(true)
      if (s.frequency === 'weekly' && row.items.some((i) => !hfIds.has(i.paperId)))
        weeklyGotEarlierPaper = true
      // Exclusions, checked with the matcher's own view of each paper.
      const matches = new Map(matchPapers(plan.day, { exclude: g.exclude }).map((m) => [Number(m.id), m]))
      for (const item of row.items) expect(matches.get(item.paperId)!.excludedBy).toEqual([])
    }
    expect(weeklyGotEarlierPaper).toBe(true)
    expect(windowDates(HF_DAY, 'weekly')).toContain(EARLIER)

    const run = await prisma.digestRun.findUniqueOrThrow({ where: { date: new Date(`${HF_DAY}T00:00:00Z`) } })
    expect(run).toMatchObject({
      phase: 'delivering',
      due: due.length,
      planned: report.planned,
      skipped: report.skipped,
    })
  })

  it('planning twice changes nothing', async () => {
    const before = await snapshot(HF_DAY)
    const report = await planDigest({ prisma, log, topicModel }, { date: HF_DAY })
    expect(report).toMatchObject({
      planned: 0,
      skipped: 0,
      alreadyPlanned: before.length,
      due: before.length,
    })
    expect(await snapshot(HF_DAY)).toEqual(before)
  })

  it('does not move a finished run backwards', async () => {
    const where = { date: new Date(`${HF_DAY}T00:00:00Z`) }
    await prisma.digestRun.update({ where, data: { phase: 'done' } })
    await planDigest({ prisma, log, topicModel }, { date: HF_DAY })
    expect((await prisma.digestRun.findUniqueOrThrow({ where })).phase).toBe('done')
  })

  it('two planners at once on the next day yield one delivery per reader, and no repeats of the first day', async () => {
    await ingestHfDay(prisma, NEXT_DAY)
    const [a, b] = await Promise.all([
      planDigest({ prisma, log, topicModel }, { date: NEXT_DAY }),
      planDigest({ prisma, log, topicModel }, { date: NEXT_DAY }),
    ])
    const rows = await snapshot(NEXT_DAY)
    expect(new Set(rows.map((r) => r.subscriberId)).size).toBe(rows.length)
    expect(a.planned + b.planned).toBe(rows.filter((r) => r.status === 'pending').length)
    expect(a.skipped + b.skipped).toBe(rows.filter((r) => r.status === 'skipped').length)
    expect(Math.min(a.alreadyPlanned, b.alreadyPlanned)).toBe(0)

    // The same papers trend both days: what day 1 planned (still pending) is never planned again.
    const first = new Map(
      (await snapshot(HF_DAY)).map((r) => [r.subscriberId, new Set(r.items.map((i) => i.paperId))]),
    )
    for (const row of rows)
      for (const item of row.items)
        expect(first.get(row.subscriberId)?.has(item.paperId) ?? false).toBe(false)
    expect(rows.filter((r) => r.skipReason === SKIP.allSent).length).toBeGreaterThan(0)
  })

  it('renders an email for every planned delivery', async () => {
    const config = await testConfig()
    const rows = await snapshot(HF_DAY)
    const emails = await renderDeliveries(
      { prisma, config, caches: createDigestCaches(prisma, topicModel) },
      rows.map((r) => r.id),
    )
    const pending = rows.filter((r) => r.status === 'pending')
    expect([...emails.keys()].sort((x, y) => x - y)).toEqual(pending.map((r) => r.id).sort((x, y) => x - y))
    const subscribers = new Map((await prisma.subscriber.findMany()).map((s) => [s.id, s]))
    const papers = new Map((await prisma.paper.findMany()).map((p) => [p.id, p]))
    for (const row of pending) {
      const email = emails.get(row.id)!
      expect(email.to).toBe(subscribers.get(row.subscriberId)!.email)
      expect(email.subject).toMatch(new RegExp(`^${row.items.length} new papers? `))
      expect(email.messageId).toContain(`digest-${HF_DAY}-${row.subscriberId}@`)
      for (const item of row.items)
        expect(email.text).toContain(papers.get(item.paperId)!.title.replace(/\s+/g, ' ').trim())
    }
  })
})
