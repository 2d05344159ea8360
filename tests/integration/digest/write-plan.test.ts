// writePlans sends each chunk's reasons once and points items at them: the reasons a
// reader reads back must be exactly what was planned, whatever characters they hold,
// shared between readers or not.
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
      select: {
        subscriberId: true,
        status: true,
        skipReason: true,
        items: {
          orderBy: { position: 'asc' },
          select: { paperId: true, position: true, score: true, why: true },
        },
      },
    })
    expect(stored).toEqual(
      plans.map((p) => ({
        subscriberId: p.subscriberId,
        status: p.status,
        skipReason: p.status === 'skipped' ? p.skipReason : null,
        items: p.items,
      })),
    )
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
    const items = await prisma.deliveryItem.findMany({ where: { delivery: { subscriberId: readers[0]! } } })
    expect(items.map((i) => i.paperId).sort()).toEqual([papers[0]!, papers[1]!].sort())
  })
})
