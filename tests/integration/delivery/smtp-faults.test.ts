// Delivery against a misbehaving SMTP server: temporary refusals (451) retried until
// they pass, permanent ones (550) failed and counted toward bouncing the reader, 421
// answered with a pause instead of more traffic, and an outage waited out.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { deliverDue } from '../../../src/delivery/worker'
import { resetData, testPrisma } from '../../support/db'
import { itemsOf, setItems } from '../../support/delivery-items'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import {
  DAY,
  deliverDeps,
  duplicates,
  FAST,
  perRecipient,
  planDay,
  readerEmail,
  statusCounts,
} from './fixtures'

let prisma: Db
let sink: SmtpSink
const dayDate = (d: string) => new Date(`${d}T00:00:00Z`)

beforeAll(async () => {
  prisma = await testPrisma()
})
beforeEach(async () => {
  await resetData(prisma)
  sink = await startSmtpSink()
})
afterEach(() => sink.close())

async function deliver(opts: { concurrency?: number } = {}) {
  const deps = await deliverDeps(
    prisma,
    sink,
    opts.concurrency ? { SEND_CONCURRENCY: String(opts.concurrency) } : {},
  )
  try {
    return await deliverDue(deps, { date: DAY, ...FAST })
  } finally {
    await deps.mailer.close()
  }
}

/** Another planned date for the readers, with the same papers as their DAY delivery. */
async function planAgain(date: string, subscriberIds: number[]) {
  for (const subscriberId of subscriberIds) {
    const first = await prisma.delivery.findFirstOrThrow({ where: { subscriberId, date: dayDate(DAY) } })
    const again = await prisma.delivery.create({ data: { subscriberId, date: dayDate(date) } })
    await setItems(prisma, again.id, await itemsOf(prisma, first.id))
  }
}

describe('temporary and permanent refusals', () => {
  it('delivers everything in the end when a fifth of the messages get 451', async () => {
    await planDay(prisma, 150)
    sink.options.tempFailRate = 0.2
    const r = await deliver()
    expect(r).toMatchObject({ sent: 150, failed: 0, left: 0 })
    expect(r.retried).toBe(sink.counts.tempFailed)
    expect(sink.counts.tempFailed).toBeGreaterThan(15)
    expect(sink.messages).toHaveLength(150)
    expect(duplicates(sink)).toBe(0)
    expect(await statusCounts(prisma)).toEqual({ sent: 150 })
    const retried = await prisma.delivery.findMany({ where: { attempts: { gt: 1 } } })
    expect(retried.length).toBeGreaterThan(0)
    // The last error stays on the row for the operator, even once the retry went through.
    for (const d of retried) expect(d.lastError).toMatch(/451|Temporary/)
  })

  it('fails the deliveries of refused addresses (550) and sends the rest', async () => {
    await planDay(prisma, 60)
    const refused = [3, 17, 42].map(readerEmail)
    sink.options.reject = refused
    const r = await deliver()
    expect(r).toMatchObject({ sent: 57, failed: 3, retried: 0, bounced: 0, left: 0 })
    const failed = await prisma.delivery.findMany({
      where: { status: 'failed' },
      include: { subscriber: true },
    })
    expect(failed.map((d) => d.subscriber.email).sort()).toEqual([...refused].sort())
    for (const d of failed) {
      expect(d.attempts).toBe(1)
      expect(d.lastError).toMatch(/550|No such user/)
      expect(d.subscriber).toMatchObject({ status: 'active', consecutiveHardBounces: 1 })
    }
    expect(perRecipient(sink).size).toBe(57)
    const run = await prisma.digestRun.findUniqueOrThrow({ where: { date: dayDate(DAY) } })
    expect(run).toMatchObject({ phase: 'done', sent: 57, failed: 3 })
  })

  it('marks a reader bounced after three hard failures in a row, stops their mail, and a success resets the count', async () => {
    await planDay(prisma, 4)
    const subs = await prisma.subscriber.findMany({ orderBy: { id: 'asc' } })
    const [bouncer, recovering, quitter] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]]
    await prisma.subscriber.update({ where: { id: recovering.id }, data: { consecutiveHardBounces: 2 } })
    await planAgain('2025-06-03', [bouncer.id, quitter.id])
    await planAgain('2025-06-04', [bouncer.id])
    await planAgain('2025-06-05', [bouncer.id])
    sink.options.reject = [bouncer.email]

    // Three dates, one after the other, each refused: 1, 2, then bounced.
    const deps = await deliverDeps(prisma, sink)
    const run = (date: string) => deliverDue(deps, { date, ...FAST })
    expect(await run(DAY)).toMatchObject({ sent: 3, failed: 1, bounced: 0 })
    // The quitter unsubscribes after planning: their pending delivery is not sent.
    await prisma.subscriber.update({
      where: { id: quitter.id },
      data: { status: 'unsubscribed', unsubscribedAt: new Date() },
    })
    expect(await run('2025-06-03')).toMatchObject({ sent: 0, failed: 1, skipped: 1, bounced: 0 })
    expect(await run('2025-06-04')).toMatchObject({ sent: 0, failed: 1, bounced: 1 })
    // Bounced now: the fourth date's email is not even offered to the server.
    const before = sink.counts.rejected
    expect(await run('2025-06-05')).toMatchObject({ sent: 0, failed: 0, skipped: 1 })
    await deps.mailer.close()
    expect(sink.counts.rejected).toBe(before)

    const after = await prisma.subscriber.findMany({ orderBy: { id: 'asc' } })
    expect(after[0]).toMatchObject({ status: 'bounced', consecutiveHardBounces: 3 })
    // A sent email resets the count of a reader who had two hard failures.
    expect(after[1]).toMatchObject({ status: 'active', consecutiveHardBounces: 0 })
    expect(after[2]).toMatchObject({ status: 'unsubscribed' })
    const skipped = await prisma.delivery.findMany({ where: { status: 'skipped' }, orderBy: { id: 'asc' } })
    expect(skipped.map((d) => [d.subscriberId, d.skipReason])).toEqual([
      [quitter.id, 'reader unsubscribed'],
      [bouncer.id, 'reader bounced'],
    ])
    expect(perRecipient(sink).get(quitter.email)).toBe(1)
  })
})

describe('a reader who paused after planning', () => {
  it('has the email held as paused, counted apart from skipped on the delivery, the run and the summary', async () => {
    await planDay(prisma, 3)
    await prisma.digestRun.upsert({
      where: { date: dayDate(DAY) },
      create: { date: dayDate(DAY), phase: 'delivering' },
      update: { phase: 'delivering' },
    })
    const [pauser] = await prisma.subscriber.findMany({ orderBy: { id: 'asc' }, take: 1 })
    await prisma.subscriber.update({ where: { id: pauser!.id }, data: { paused: true } })
    expect(await deliver()).toMatchObject({ sent: 2, paused: 1, skipped: 0, failed: 0, left: 0 })
    expect(perRecipient(sink).get(pauser!.email)).toBeUndefined()
    const held = await prisma.delivery.findFirstOrThrow({ where: { subscriberId: pauser!.id } })
    expect(held).toMatchObject({ status: 'paused', skipReason: null, sentAt: null })
    expect(await prisma.digestRun.findUniqueOrThrow({ where: { date: dayDate(DAY) } })).toMatchObject({
      phase: 'done',
      sent: 2,
      paused: 1,
      skipped: 0,
    })
  })
})

describe('emails that cannot be built', () => {
  it('fails only the reader whose email cannot be rendered, and skips a delivery with nothing left to send', async () => {
    await planDay(prisma, 20)
    const [broken, empty] = await prisma.subscriber.findMany({ orderBy: { id: 'asc' }, take: 2 })
    // An address render refuses (it guards headers against junk) makes the whole batch throw.
    await prisma.subscriber.update({ where: { id: broken!.id }, data: { email: 'not-an-address' } })
    await prisma.delivery.updateMany({
      where: { subscriberId: empty!.id },
      data: { paperIds: [], reasonIds: [] },
    })
    const deps = await deliverDeps(prisma, sink)
    const r = await deliverDue(deps, { date: DAY, ...FAST, retry: { ...FAST.retry, maxAttempts: 3 } })
    await deps.mailer.close()
    expect(r).toMatchObject({ sent: 18, failed: 1, skipped: 1, left: 0 })
    const rows = await prisma.delivery.findMany({ where: { subscriberId: { in: [broken!.id, empty!.id] } } })
    const byReader = new Map(rows.map((d) => [d.subscriberId, d]))
    expect(byReader.get(broken!.id)).toMatchObject({ status: 'failed', attempts: 3 })
    expect(byReader.get(broken!.id)!.lastError).toMatch(/^gave up after 3 attempts: render failed/)
    expect(byReader.get(empty!.id)).toMatchObject({ status: 'skipped', skipReason: 'nothing left to send' })
    expect(sink.messages).toHaveLength(18)
    // A render failure is ours, not the address's: it does not count toward bouncing.
    expect(
      (await prisma.subscriber.findUniqueOrThrow({ where: { id: broken!.id } })).consecutiveHardBounces,
    ).toBe(0)
  })
})

describe('an overloaded or absent server', () => {
  it('pauses on 421 instead of hammering, then delivers everything', async () => {
    await planDay(prisma, 40)
    sink.throttleNext(3)
    const started = Date.now()
    const r = await deliver({ concurrency: 2 })
    expect(r).toMatchObject({ sent: 40, failed: 0, retried: 0, left: 0 })
    expect(r.deferred).toBeGreaterThan(0)
    // Only the answers already on their way hit the 421s; the pause held everything else back.
    expect(sink.counts.throttled).toBe(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.pause.baseMs / 2)
    // A throttled send is not the reader's fault: no attempt is spent on it.
    const rows = await prisma.delivery.findMany()
    expect(rows.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true)
    expect(sink.messages).toHaveLength(40)
  })

  it('waits while the server is down and completes when it returns', async () => {
    await planDay(prisma, 50)
    await sink.stop()
    const deps = await deliverDeps(prisma, sink)
    let returned = false
    const run = deliverDue(deps, { date: DAY, ...FAST }).finally(() => (returned = true))
    // The event: the run tried, found no server and handed its claims back with the reason.
    const deadline = Date.now() + 20_000
    while ((await prisma.delivery.count({ where: { lastError: { not: null } } })) === 0) {
      if (Date.now() > deadline) throw new Error('the run never recorded the outage')
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(await statusCounts(prisma)).not.toHaveProperty('sent')
    // …and it is still waiting, not given up or failed anyone.
    expect(returned).toBe(false)
    expect(await statusCounts(prisma)).not.toHaveProperty('failed')
    await sink.start()
    const r = await run
    await deps.mailer.close()
    expect(r).toMatchObject({ sent: 50, failed: 0, left: 0, finished: [DAY] })
    expect(r.deferred).toBeGreaterThan(0)
    expect(await statusCounts(prisma)).toEqual({ sent: 50 })
    expect(sink.messages).toHaveLength(50)
    // Connection failures spend no attempts: nobody gets closer to "failed" for our outage.
    expect((await prisma.delivery.findMany()).every((d) => d.attempts === 1)).toBe(true)
  })

  it('survives an outage in the middle of a run', async () => {
    await planDay(prisma, 120)
    sink.options.latencyMs = 5
    const deps = await deliverDeps(prisma, sink)
    const run = deliverDue(deps, { date: DAY, ...FAST })
    while (sink.messages.length < 20) await new Promise((r) => setTimeout(r, 10))
    const outage = sink.outage(800)
    expect(sink.messages.length).toBeLessThan(120)
    await outage
    const r = await run
    await deps.mailer.close()
    expect(r).toMatchObject({ sent: 120, failed: 0, left: 0 })
    expect(perRecipient(sink).size).toBe(120)
    // A message cut off mid-DATA was not accepted and is sent once, later. One the server
    // accepted just as it went down, its "250" lost with the connection, is sent again:
    // SMTP cannot tell that apart from a failure, so at most the sends in flight then (one
    // per connection) arrive twice. At load 10 two did.
    expect(duplicates(sink)).toBeLessThanOrEqual(deps.config.sendConcurrency)
  })
})
