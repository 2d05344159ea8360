// The ledger queries under contention and takeover, and a worker's graceful stop: claims
// of concurrent workers are disjoint, a dead worker's expired lease is taken over (a live
// one is not), a worker that lost its lease cannot overwrite the new owner's row, and
// stop() lets in-flight sends finish while unsent claims go back untouched.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { claimBatch, recordOutcomes } from '../../../src/delivery/delivery-store'
import { startWorker } from '../../../src/delivery/worker'
import { resetData, testPrisma } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import { deliverDeps, FAST, planDay } from './fixtures'

let prisma: Db
let sink: SmtpSink
beforeAll(async () => {
  prisma = await testPrisma()
  sink = await startSmtpSink()
})
beforeEach(() => resetData(prisma))
afterAll(() => sink?.close())

const lease = { leaseMs: 60_000 }

describe('claims', () => {
  it('gives concurrent workers disjoint batches that together cover every due delivery', async () => {
    await planDay(prisma, 100)
    const batches = await Promise.all(
      ['a', 'b', 'c', 'd'].map((w) => claimBatch(prisma, { workerId: w, limit: 30, ...lease })),
    )
    const ids = batches.flat().map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(100)
    expect(await claimBatch(prisma, { workerId: 'e', limit: 30, ...lease })).toEqual([])
    const rows = await prisma.delivery.findMany()
    expect(rows.every((r) => r.status === 'sending' && r.attempts === 1 && r.leaseUntil! > new Date())).toBe(
      true,
    )
  })

  it('takes over an expired lease, leaves a live one alone, and ignores the late result of the old owner', async () => {
    await planDay(prisma, 3)
    const [dead, live] = await prisma.delivery.findMany({ orderBy: { id: 'asc' } })
    await prisma.delivery.update({
      where: { id: dead!.id },
      data: { status: 'sending', leaseOwner: 'dead', leaseUntil: new Date(Date.now() - 1_000), attempts: 1 },
    })
    await prisma.delivery.update({
      where: { id: live!.id },
      data: {
        status: 'sending',
        leaseOwner: 'alive',
        leaseUntil: new Date(Date.now() + 60_000),
        attempts: 1,
      },
    })
    const claimed = await claimBatch(prisma, { workerId: 'new', limit: 10, ...lease })
    expect(claimed.map((c) => c.id)).not.toContain(live!.id)
    expect(claimed.find((c) => c.id === dead!.id)).toMatchObject({ attempts: 2, holdReason: null })
    expect(claimed).toHaveLength(2)

    // The old owner wakes up and reports: its write must not land.
    const late = await recordOutcomes(prisma, 'dead', [
      { id: dead!.id, kind: 'failed', error: 'late', hard: true },
    ])
    expect(late.recorded.size).toBe(0)
    const row = await prisma.delivery.findUniqueOrThrow({
      where: { id: dead!.id },
      include: { subscriber: true },
    })
    expect(row).toMatchObject({ status: 'sending', leaseOwner: 'new', lastError: null })
    expect(row.subscriber.consecutiveHardBounces).toBe(0)

    const mine = await recordOutcomes(prisma, 'new', [
      { id: dead!.id, kind: 'sent', messageId: '<m@x>', response: '250 OK: queued as Q1' },
    ])
    expect([...mine.recorded]).toEqual([dead!.id])
    expect(await prisma.delivery.findUniqueOrThrow({ where: { id: dead!.id } })).toMatchObject({
      status: 'sent',
      leaseOwner: null,
      messageId: '<m@x>',
      smtpResponse: '250 OK: queued as Q1',
    })
  })

  it('schedules retries by the database clock and gives back attempts that were not the reader’s fault', async () => {
    await planDay(prisma, 2)
    const [a, b] = await claimBatch(prisma, { workerId: 'w', limit: 10, ...lease })
    await recordOutcomes(prisma, 'w', [
      { id: a!.id, kind: 'retry', delayMs: 60_000, error: '451 later', countsAsAttempt: true },
      { id: b!.id, kind: 'retry', delayMs: 0, error: null, countsAsAttempt: false },
    ])
    const [ra, rb] = await prisma.delivery.findMany({ orderBy: { id: 'asc' } })
    expect(ra).toMatchObject({ status: 'pending', attempts: 1, leaseOwner: null, lastError: '451 later' })
    expect(ra!.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(50_000)
    expect(rb).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null })
    // Only the one due now is claimable.
    expect((await claimBatch(prisma, { workerId: 'w', limit: 10, ...lease })).map((c) => c.id)).toEqual([
      b!.id,
    ])
  })
})

describe('startWorker', () => {
  it('stop() finishes the sends in flight and hands the rest back untouched', async () => {
    await planDay(prisma, 40)
    sink.options.latencyMs = 400
    const deps = await deliverDeps(prisma, sink, { SEND_CONCURRENCY: '3' })
    const worker = startWorker(deps, { ...FAST, batchSize: 20 })
    // Stop while a message is mid-DATA (the sink holds each one 400 ms): a send in flight.
    while (sink.counts.receiving === 0) await new Promise((r) => setTimeout(r, 10))
    await worker.stop()
    await deps.mailer.close()
    const rows = await prisma.delivery.findMany()
    const sent = rows.filter((r) => r.status === 'sent')
    // Every send that had started was completed and recorded; none was cut off.
    expect(sent.length).toBeGreaterThanOrEqual(1)
    expect(sent.length).toBe(sink.messages.length)
    expect(worker.summary.sent).toBe(sent.length)
    const rest = rows.filter((r) => r.status !== 'sent')
    expect(rest.length).toBe(40 - sent.length)
    for (const r of rest) expect(r).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null })
  })
})
