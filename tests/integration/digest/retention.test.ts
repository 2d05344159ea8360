// RETENTION_DAYS drops the reasons of old emails and nothing else: their papers stay, so
// "never resend" still holds when the same papers are listed again months later; a date
// with an email still waiting keeps its reasons; recent emails and the feed's 30 days are
// untouched; the preferences page lists old papers without reasons.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { planDigest } from '../../../src/digest/plan'
import { pruneDeliveryDetail } from '../../../src/digest/retention'
import { createLogger } from '../../../src/log'
import { recentPapers } from '../../../src/subscribers/preferences'
import { resetData, testPrisma } from '../../support/db'
import { itemsByDelivery, setItems } from '../../support/delivery-items'
import { topicModel } from '../../support/topic-model'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

const log = createLogger('silent')
const OLD = '2025-02-03' // more than 90 days before HF_DAY, with the same papers listed
const WAITING = '2025-02-10' // old too, but its email has not gone yet
const RECENT = '2025-05-20'
const day = (d: string) => new Date(`${d}T00:00:00Z`)
let prisma: Db
let readers: number[]

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma, OLD)
  await ingestHfDay(prisma, HF_DAY)
  readers = [
    await createReader(prisma, {
      email: 'a@example.org',
      topics: ['language-models', 'multimodal'],
      maxPapers: 5,
    }),
    await createReader(prisma, { email: 'b@example.org', topics: ['agents', 'reasoning'], maxPapers: 5 }),
  ]
  await planDigest({ prisma, log, topicModel }, { date: OLD })
  await prisma.delivery.updateMany({ where: { date: day(OLD) }, data: { status: 'sent', sentAt: day(OLD) } })
  const papers = await prisma.paper.findMany({ orderBy: { id: 'asc' }, take: 2 })
  const waiting = await prisma.delivery.create({ data: { subscriberId: readers[0]!, date: day(WAITING) } })
  await setItems(prisma, waiting.id, [{ paperId: papers[0]!.id, why: ['still waiting'] }])
  const recent = await prisma.delivery.create({
    data: { subscriberId: readers[1]!, date: day(RECENT), status: 'sent', sentAt: day(RECENT) },
  })
  await setItems(prisma, recent.id, [{ paperId: papers[1]!.id, why: ['recent reason'] }])
})

describe('pruneDeliveryDetail (RETENTION_DAYS)', () => {
  it('drops the reasons of emails older than the window, keeps their papers, and never resends them', async () => {
    const old = await prisma.delivery.findMany({ where: { date: day(OLD) }, orderBy: { id: 'asc' } })
    expect(old).toHaveLength(2)
    expect(old.every((d) => d.paperIds.length > 0 && d.reasonIds.length === d.paperIds.length)).toBe(true)
    const before = await itemsByDelivery(
      prisma,
      old.map((d) => d.id),
    )

    const report = await pruneDeliveryDetail(prisma, HF_DAY, 90)
    expect(report).toMatchObject({ before: '2025-03-04', deliveries: 2 })

    const after = await prisma.delivery.findMany({ where: { date: day(OLD) }, orderBy: { id: 'asc' } })
    expect(after.map((d) => d.paperIds)).toEqual(old.map((d) => d.paperIds))
    expect(after.every((d) => d.reasonIds.length === 0)).toBe(true)
    expect(await prisma.deliveryReason.count({ where: { date: day(OLD) } })).toBe(0)
    // The waiting email and the recent one keep theirs.
    const kept = await prisma.delivery.findMany({ where: { date: { in: [day(WAITING), day(RECENT)] } } })
    const keptItems = await itemsByDelivery(
      prisma,
      kept.map((d) => d.id),
    )
    expect(
      [...keptItems.values()]
        .flat()
        .map((i) => i.why)
        .sort(),
    ).toEqual([['recent reason'], ['still waiting']])

    // The same papers are listed again on HF_DAY: nobody gets one they were sent on OLD.
    await planDigest({ prisma, log, topicModel }, { date: HF_DAY })
    for (const d of old) {
      const now = await prisma.delivery.findUniqueOrThrow({
        where: { subscriberId_date: { subscriberId: d.subscriberId, date: day(HF_DAY) } },
      })
      const sentBefore = new Set(before.get(d.id)!.map((i) => i.paperId))
      expect(now.paperIds.filter((p) => sentBefore.has(p))).toEqual([])
    }

    // The preferences page still lists the old papers, now without reasons.
    const listed = await recentPapers(prisma, old[0]!.subscriberId)
    expect(listed.filter((p) => p.date === OLD).map((p) => p.why)).toEqual(
      before.get(old[0]!.id)!.map(() => []),
    )

    // Run again: nothing more to clear.
    expect(await pruneDeliveryDetail(prisma, HF_DAY, 90)).toMatchObject({ deliveries: 0, reasons: 0 })
  })
})
