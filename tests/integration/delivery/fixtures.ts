// Shared by the delivery integration tests: a planned day the way production gets one
// (the HF fixture ingested, readers written in bulk, planDigest), the dependencies
// deliverDue takes pointed at a test SMTP sink, and a few ledger queries the tests assert on.

import type { Config } from '../../../src/config/env'
import type { Db } from '../../../src/db/prisma'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'
import type { DeliverDeps } from '../../../src/delivery/worker'
import { createDigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries } from '../../../src/digest/digest-email'
import { planDigest } from '../../../src/digest/plan'
import { newAccessKey } from '../../../src/links/link-tokens'
import { createLogger } from '../../../src/log'
import { testConfig } from '../../support/db'
import type { SmtpSink } from '../../support/smtp-sink'
import { topicModel } from '../../support/topic-model'
import { HF_DAY, ingestHfDay } from '../digest/helpers'

export const DAY = HF_DAY
export const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent')

export const readerEmail = (i: number) => `reader${i}@example.org`

/** `n` active readers (varied topics and sizes, all with papers to get) planned for DAY. */
export async function planDay(prisma: Db, n: number): Promise<{ planned: number }> {
  await ingestHfDay(prisma)
  const now = new Date()
  await prisma.subscriber.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      email: readerEmail(i),
      emailKey: readerEmail(i),
      name: i % 4 === 0 ? `Reader ${i}` : null,
      status: 'active' as const,
      maxPapers: 2 + (i % 4),
      fallbackToTrending: true,
      accessKey: newAccessKey(),
      confirmedAt: now,
    })),
  })
  const [subscribers, topics] = await Promise.all([
    prisma.subscriber.findMany({ select: { id: true }, orderBy: { id: 'asc' } }),
    prisma.topic.findMany({ select: { id: true }, orderBy: { id: 'asc' } }),
  ])
  await prisma.subscriberTopic.createMany({
    data: subscribers
      .filter((_, i) => i % 3 !== 0)
      .map((s, i) => ({ subscriberId: s.id, topicId: topics[i % topics.length]!.id })),
  })
  const report = await planDigest({ prisma, log, topicModel }, { date: DAY })
  return { planned: report.planned }
}

export async function deliverDeps(
  prisma: Db,
  sink: SmtpSink,
  env: Record<string, string> = {},
): Promise<DeliverDeps & { config: Config }> {
  const config = await testConfig({
    PUBLIC_URL: 'https://papers.example',
    APP_SECRET: 'delivery-tests-secret-0123456789abcdef',
    SEND_CONCURRENCY: '5',
    SEND_RATE: '5000',
    ...env,
  })
  const mailer = createSmtpMailer({
    url: sink.url,
    from: 'Paperboy <digest@papers.example>',
    maxConnections: config.sendConcurrency,
    timeoutMs: 3_000,
  })
  const caches = createDigestCaches(prisma, topicModel)
  return {
    prisma,
    mailer,
    log,
    config,
    topicModel,
    render: (ids) => renderDeliveries({ prisma, config, caches }, ids),
  }
}

/** Fast schedules for tests: retries within a second, pauses of a few hundred ms. */
export const FAST = {
  retry: { maxAttempts: 10, baseMs: 40, maxMs: 300 },
  pause: { baseMs: 100, maxMs: 400 },
  pollMs: 50,
} as const

export async function statusCounts(prisma: Db, date = DAY): Promise<Record<string, number>> {
  const rows = await prisma.delivery.groupBy({
    by: ['status'],
    where: { date: new Date(`${date}T00:00:00Z`) },
    _count: true,
  })
  return Object.fromEntries(rows.map((r) => [r.status, r._count]))
}

/** Sink messages per recipient address. */
export function perRecipient(sink: SmtpSink): Map<string, number> {
  const m = new Map<string, number>()
  for (const msg of sink.messages) for (const to of msg.to) m.set(to, (m.get(to) ?? 0) + 1)
  return m
}

/** Accepted messages beyond the first per Message-ID. */
export function duplicates(sink: SmtpSink): number {
  let extra = 0
  for (const list of sink.byMessageId().values()) extra += list.length - 1
  return extra
}
