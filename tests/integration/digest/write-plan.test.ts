// writePlans stores each (date, paper, reasons) once and points deliveries at them: the
// reasons a reader reads back must be exactly what was planned, whatever characters they
// hold, shared between readers or not.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import type { ReaderPlan } from '../../../src/digest/plan/choose-papers'
import { writePlans } from '../../../src/digest/plan/write-plan'
import { resetData, testPrisma } from '../../support/db'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

let prisma: Db
let readers: number[]
let papers: number[]

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma)
  papers = (await prisma.paper.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 3 })).map(
    (p) => p.id,
  )
  readers = []
  for (let i = 0; i < 4; i++) readers.push(await createReader(prisma, { email: `w${i}@example.org` }))
})

describe('writePlans', () => {
  it('stores every item with its own reasons, however they are spelled', async () => {
    const shared = ["matched 'diffusion policy' in title", 'Robotics & embodied AI']
    const odd = ['quote " and backslash \\ here', 'braces {a,b}, commas, NULL', 'ünïcödé — ▲ 12', '']
    const plans: ReaderPlan[] = [
      {
        subscriberId: readers[0]!,
        sendAt: null,
        status: 'pending',
        items: [
          { paperId: papers[0]!, position: 1, score: 0.9, why: shared },
          { paperId: papers[1]!, position: 2, score: 0.5, why: odd },
        ],
      },
      {
        subscriberId: readers[1]!,
        sendAt: null,
        status: 'pending',
        items: [
          { paperId: papers[0]!, position: 1, score: 0.9, why: shared },
          { paperId: papers[2]!, position: 2, score: 0.25, why: [] },
        ],
      },
      {
        subscriberId: readers[2]!,
        sendAt: null,
        status: 'skipped',
        skipReason: 'no paper matched your interests',
        items: [],
      },
      // Same reasons as reader 0's second item, in a different array: stored the same.
      {
        subscriberId: readers[3]!,
        sendAt: null,
        status: 'pending',
        items: [{ paperId: papers[1]!, position: 1, score: 0.5, why: [...odd] }],
      },
    ]
    const counts = await prisma.$transaction((tx) => writePlans(tx, HF_DAY, plans))
    expect(counts).toEqual({ planned: 3, skipped: 1 })

    const stored = await prisma.delivery.findMany({
      orderBy: { subscriberId: 'asc' },
      select: { subscriberId: true, status: true, skipReason: true },
    })
    expect(
      await Promise.all(stored.map(async (d) => ({ ...d, items: await itemsOf(d.subscriberId) }))),
    ).toEqual(
      plans.map((p) => ({
        subscriberId: p.subscriberId,
        status: p.status,
        skipReason: p.status === 'skipped' ? p.skipReason : null,
        items: p.items.map(({ paperId, position, why }) => ({ paperId, position, why })),
      })),
    )
    // Reader 0's first item and reader 1's share one row, as do reader 0's second and reader 3's.
    expect(await prisma.deliveryReason.count()).toBe(3)
  })

  it('leaves a reader planned before as they were', async () => {
    const again = await prisma.$transaction((tx) =>
      writePlans(tx, HF_DAY, [
        {
          subscriberId: readers[0]!,
          sendAt: null,
          status: 'pending',
          items: [{ paperId: papers[2]!, position: 1, score: 1, why: ['other'] }],
        },
      ]),
    )
    expect(again).toEqual({ planned: 0, skipped: 0 })
    expect((await itemsOf(readers[0]!)).map((i) => i.paperId)).toEqual([papers[0]!, papers[1]!])
  })
})

/** A reader's planned items on HF_DAY, in order, with their reasons. */
async function itemsOf(
  subscriberId: number,
): Promise<{ paperId: number; position: number; why: string[] }[]> {
  return prisma.$queryRaw`
    SELECT u.p AS "paperId", u.n::int AS position, r.why
    FROM "Delivery" d, unnest(d."paperIds", d."reasonIds") WITH ORDINALITY AS u(p, rid, n)
    JOIN "DeliveryReason" r ON r.id = u.rid
    WHERE d."subscriberId" = ${subscriberId} AND d.date = ${HF_DAY}::date
    ORDER BY u.n`
}
