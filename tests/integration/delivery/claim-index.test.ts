// The claim must not read the emails planned for later: with tens of thousands of future
// deliveries and a few due ones, PostgreSQL answers "what is due?" from the
// (status, nextAttemptAt) index and stops at the batch's limit.
import { beforeAll, describe, expect, it } from 'vitest'
import { type Db, Prisma } from '../../../src/db/prisma'
import { claimBatch, dueQuery } from '../../../src/delivery/delivery-store'
import { newAccessKey } from '../../../src/links/link-tokens'
import { resetData, testPrisma } from '../../support/db'

let prisma: Db
const FUTURE = 30_000
const NOW = new Date('2026-06-01T12:00:00Z')

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  const s = await prisma.subscriber.create({
    data: {
      email: 'one@example.org',
      emailKey: 'one@example.org',
      status: 'active',
      accessKey: newAccessKey(),
    },
  })
  // One reader, one delivery per date; all but the last five are due after NOW.
  await prisma.$executeRaw`
    INSERT INTO "Delivery" ("subscriberId", date, status, "sendAt", "nextAttemptAt", "updatedAt")
    SELECT ${s.id}, DATE '2000-01-01' + i, 'pending', t, t, now()
    FROM generate_series(1, ${FUTURE + 5}) AS i,
         LATERAL (SELECT TIMESTAMP '2026-06-01 12:00:00' + (${FUTURE} - i + 1) * interval '1 minute' AS t) x`
  await prisma.$executeRawUnsafe('ANALYZE "Delivery"')
})

describe('claiming due deliveries', () => {
  it('is an index scan on (status, nextAttemptAt), not a scan of the future ones', async () => {
    const [row] = await prisma.$queryRaw<{ 'QUERY PLAN': unknown }[]>(
      Prisma.sql`EXPLAIN (FORMAT JSON) ${dueQuery({ limit: 100, now: NOW })}`,
    )
    const plan = JSON.stringify(row!['QUERY PLAN'])
    expect(plan).toMatch(/"Node Type":"Index (Only )?Scan"/)
    expect(plan).toContain('Delivery_status_nextAttemptAt_idx')
    expect(plan).not.toContain('Seq Scan')
    expect(plan).not.toMatch(/"Node Type":"Sort"/)
  })

  it('and claims exactly the due ones', async () => {
    const claimed = await claimBatch(prisma, { workerId: 'w', limit: 100, leaseMs: 60_000, now: NOW })
    expect(claimed).toHaveLength(5)
    expect(await claimBatch(prisma, { workerId: 'w', limit: 100, leaseMs: 60_000, now: NOW })).toEqual([])
  })
})
