// The feedback simulation (npm run sim:feedback) through the real planner and a real
// PostgreSQL: it meets the acceptance on its default seed, gives the same figures
// for the same seed, stores every vote it casts, and refuses a database that is in use.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { createDigestCaches } from '../../../src/digest/digest-caches'
import type { PlanDeps } from '../../../src/digest/plan'
import { createLogger } from '../../../src/log'
import { readTrainingLabels } from '../../../src/matching/evaluate-labels'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { SimulationError, simulateFeedback } from '../../../src/simulation/feedback-sim'
import { resetData, testPrisma } from '../../support/db'
import { topicModel } from '../../support/topic-model'

const labels = readTrainingLabels(DEFAULT_LABELS_PATH).papers
let prisma: Db
let deps: PlanDeps

beforeAll(async () => {
  prisma = await testPrisma()
  deps = { prisma, log: createLogger('silent'), topicModel, caches: createDigestCaches(prisma, topicModel) }
})

/** The simulation wants an empty database: each run starts from one. */
async function fresh(options: Parameters<typeof simulateFeedback>[2]) {
  await resetData(prisma)
  return simulateFeedback(deps, labels, options)
}

describe('npm run sim:feedback', () => {
  it('is deterministic for a seed, and stores every vote through the vote store', async () => {
    const small = { readers: 12, days: 4, seed: 5 }
    const first = await fresh(small)
    const votes = await prisma.vote.count()
    const sent = await prisma.delivery.findMany({ where: { status: 'sent' }, select: { paperIds: true } })
    // One vote per paper sent, and the planner's deliveries are what was counted as sent.
    expect(votes).toBe(first.days.reduce((s, d) => s + d.sent, 0))
    expect(sent.reduce((s, d) => s + d.paperIds.length, 0)).toBe(votes)
    expect(votes).toBeGreaterThan(0)
    expect(await fresh(small)).toEqual(first)
  }, 120_000)

  it('refuses a database that already holds readers or papers', async () => {
    // The previous test left its readers and papers behind.
    await expect(simulateFeedback(deps, labels, { readers: 4, days: 1 })).rejects.toThrow(SimulationError)
  })

  // About a minute: 200 readers, 30 days, each planned by planDigest and voting through the store.
  it('narrow readers gain at least 0.15 F1 from days 1–3 to 21–30; exact readers lose at most 0.02', async () => {
    const r = await fresh({})
    expect(r.days).toHaveLength(30)
    expect(r.windows).toEqual({ early: [1, 3], late: [21, 30] })
    expect(r.narrow.late.f1 - r.narrow.early.f1).toBeGreaterThanOrEqual(0.15)
    expect(r.exact.early.f1 - r.exact.late.f1).toBeLessThanOrEqual(0.02)
    // Every reader is planned with their own model from day 2 on (each got papers on day 1).
    expect(r.days[0]!.personal).toBe(0)
    expect(r.days.at(-1)!.personal).toBeGreaterThan(150)
  }, 300_000)
})
