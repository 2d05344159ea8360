// The happy path end to end: a day ingested, a few hundred readers planned by planDigest,
// deliverDue sending through a real SMTP server. Each reader gets exactly one email with
// the papers planned for them and the headers mailbox providers require; a second run
// sends nothing; the ledger and the run record what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { deliverDue } from '../../../src/delivery/worker'
import { resetData, testPrisma } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import { DAY, deliverDeps, FAST, perRecipient, planDay, readerEmail, statusCounts } from './fixtures'

const READERS = 300
let prisma: Db
let sink: SmtpSink

beforeAll(async () => {
  prisma = await testPrisma()
  sink = await startSmtpSink({ parse: 'full' })
})
afterAll(() => sink?.close())

describe('deliverDue on a planned day', () => {
  it('sends every reader exactly one email with their planned papers, and nothing on a second run', async () => {
    await resetData(prisma)
    const { planned } = await planDay(prisma, READERS)
    expect(planned).toBe(READERS)
    const deps = await deliverDeps(prisma, sink)

    const first = await deliverDue(deps, { date: DAY, ...FAST })
    await deps.mailer.close()
    console.info(
      `delivery: ${first.sent} messages (full MIME parse in the sink) in ${first.elapsedMs} ms = ${Math.round((first.sent * 1000) / first.elapsedMs)}/s`,
    )
    expect(first).toMatchObject({
      sent: READERS,
      failed: 0,
      retried: 0,
      skipped: 0,
      left: 0,
      finished: [DAY],
    })
    expect(sink.messages).toHaveLength(READERS)
    const counts = perRecipient(sink)
    for (let i = 0; i < READERS; i++) expect(counts.get(readerEmail(i)), readerEmail(i)).toBe(1)

    const deliveries = await prisma.delivery.findMany({
      include: { subscriber: { select: { email: true } } },
    })
    const titles = new Map((await prisma.paper.findMany()).map((p) => [p.id, p.title]))
    const byMessageId = new Map(sink.messages.map((m) => [m.messageId, m]))
    for (const d of deliveries) {
      expect(d.status).toBe('sent')
      expect(d.attempts).toBe(1)
      expect(d.leaseOwner).toBeNull()
      expect(d.sentAt).toBeInstanceOf(Date)
      expect(d.messageId).toBe(`<digest-${DAY}-${d.subscriberId}@papers.example>`)
      const msg = byMessageId.get(d.messageId!)!
      // The server's own id for the message is kept with the delivery.
      expect(d.smtpResponse).toBe(`250 OK: queued as ${msg.queueId}`)
      expect(msg.to).toEqual([d.subscriber.email])
      expect(msg.headers.get('list-unsubscribe')).toMatch(
        /^<https:\/\/papers\.example\/unsubscribe\/[\w.-]+>$/,
      )
      expect(msg.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
      expect(msg.headers.get('list-id')).toBe('Paperboy <digest.papers.example>')
      expect(msg.subject).toMatch(new RegExp(`^${d.paperIds.length} new papers? `))
      // Exactly the planned papers, in the planned order.
      const planned = d.paperIds.map((id) => titles.get(id)!)
      const positions = planned.map((title) =>
        msg.text!.indexOf(title.replace(/\s+/g, ' ').trim().slice(0, 40)),
      )
      expect(
        positions.every((p) => p >= 0),
        planned.join(' | '),
      ).toBe(true)
      expect([...positions].sort((a, b) => a - b)).toEqual(positions)
      expect(msg.html).toContain(d.subscriber.email === msg.to[0] ? 'unsubscribe' : '')
    }

    const run = await prisma.digestRun.findUniqueOrThrow({ where: { date: new Date(`${DAY}T00:00:00Z`) } })
    expect(run).toMatchObject({ phase: 'done', sent: READERS, failed: 0 })
    expect(run.finishedAt).toBeInstanceOf(Date)

    // Again: nothing is due, nothing is sent.
    const deps2 = await deliverDeps(prisma, sink)
    const second = await deliverDue(deps2, { date: DAY, ...FAST })
    await deps2.mailer.close()
    expect(second).toMatchObject({ sent: 0, failed: 0, retried: 0, left: 0 })
    expect(sink.messages).toHaveLength(READERS)
    expect(await statusCounts(prisma)).toEqual({ sent: READERS })
  })
})
