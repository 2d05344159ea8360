// What deliverDue and startWorker share: their options, the settings derived from them,
// and the scheduling loop that keeps the queue topped up, the send slots busy and the
// pauses honoured, then finishes in-flight sends and hands unsent claims back on the way out.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { Logger } from '../log'
import type { TopicModel } from '../matching'
import { DEFAULT_PAUSE, DEFAULT_RETRY, type RetryPolicy } from './backoff'
import type { Mailer } from './mailer'
import { type LoopSettings, type RenderDeliveries, SendLoop } from './send-loop'
import { defaultBurst } from './send-pace'

export type DeliverDeps = {
  prisma: Db
  mailer: Mailer
  log: Logger
  config: Pick<Config, 'sendConcurrency' | 'sendRate' | 'publicUrl' | 'appSecret'>
  topicModel: TopicModel
  /** Builds the emails of claimed deliveries (the composition root passes the digest renderer). */
  render: RenderDeliveries
}

export type DeliverOptions = {
  /** YYYY-MM-DD: only this date's deliveries (default: every due one). */
  date?: string
  workerId?: string
  batchSize?: number
  /** SMTP connections the sends share (default SEND_CONCURRENCY, the pool's size). */
  concurrency?: number
  /**
   * Messages being sent or sent-but-not-yet-recorded at once (default 2 × concurrency):
   * the bound on duplicates after a crash. Twice the connections, so that while one
   * result waits for its commit, the connection already carries the next message.
   */
  inFlight?: number
  /**
   * Messages per second of all workers together (default SEND_RATE): the pace this worker
   * keeps the shared schedule at (send-pace.ts).
   */
  rate?: number
  /** How long a claim stays ours without a heartbeat (renewed every third of it). */
  leaseMs?: number
  retry?: Partial<RetryPolicy>
  pause?: Partial<{ baseMs: number; maxMs: number }>
  /** startWorker: how often an idle worker looks for work. deliverDue: longest single wait. */
  pollMs?: number
  /** deliverDue: wait for retries (or other workers' leases) due within this long (default 10 min). */
  maxWaitMs?: number
  /** deliverDue: give up waiting after this long without a single outcome (default 15 min). */
  stallMs?: number
  signal?: AbortSignal
  /** Which send-at times have come is read on this clock (tests inject one; default: the database's). */
  clock?: () => Date
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}

export function settings(deps: DeliverDeps, o: DeliverOptions): LoopSettings {
  const concurrency = o.concurrency ?? deps.config.sendConcurrency
  const rate = o.rate ?? deps.config.sendRate
  return {
    workerId: o.workerId ?? newWorkerId(),
    date: o.date,
    batchSize: o.batchSize ?? Math.max(50, concurrency * 10),
    concurrency,
    inFlight: o.inFlight ?? concurrency * 2,
    rate,
    burst: defaultBurst(rate),
    leaseMs: o.leaseMs ?? 120_000,
    retry: { ...DEFAULT_RETRY, ...o.retry },
    pause: { ...DEFAULT_PAUSE, ...o.pause },
    clock: o.clock,
  }
}

export function createLoop(deps: DeliverDeps, opts: DeliverOptions): SendLoop {
  return new SendLoop(
    { prisma: deps.prisma, mailer: deps.mailer, log: deps.log, render: deps.render },
    settings(deps, opts),
  )
}

/**
 * The scheduling loop shared by both. `whenIdle` runs when nothing is queued, in flight or
 * claimable; it returns how long to wait before claiming again, or null to finish.
 */
export async function drive(
  loop: SendLoop,
  deps: Pick<DeliverDeps, 'log'>,
  signal: AbortSignal | undefined,
  pollMs: number,
  whenIdle: () => Promise<number | null>,
): Promise<void> {
  const onAbort = () => loop.stop()
  signal?.addEventListener('abort', onAbort, { once: true })
  if (signal?.aborted) loop.stop()
  const lowWater = loop.s.inFlight * 2
  let refilling: Promise<void> | null = null
  let claimEmpty = false
  let claimFailures = 0
  let claimBlockedUntil = 0
  const beat = setInterval(() => {
    if (loop.inFlight > 0 || loop.queue.length > 0 || refilling)
      loop.heartbeat().catch((err) => deps.log.warn({ err }, 'extending leases failed'))
  }, loop.s.leaseMs / 3)
  beat.unref()
  try {
    while (!loop.stopping) {
      const now = Date.now()
      if (
        !refilling &&
        !claimEmpty &&
        loop.queue.length <= lowWater &&
        now >= loop.pausedUntil &&
        now >= claimBlockedUntil
      ) {
        refilling = loop
          .refill()
          .then((n) => {
            claimFailures = 0
            if (n === 0) claimEmpty = true
          })
          .catch((err) => {
            // The database is unreachable or restarting: back off, the sends in flight carry on.
            claimFailures++
            claimBlockedUntil = Date.now() + Math.min(30_000, 250 * 2 ** Math.min(claimFailures, 7))
            deps.log.error({ err, claimFailures }, 'claiming deliveries failed')
          })
          .finally(() => {
            refilling = null
            loop.notify()
          })
      }
      while (loop.inFlight < loop.lanes() && loop.queue.length > 0) {
        const job = loop.queue.shift()!
        loop.inFlight++
        loop
          .send(job)
          .catch((err) => deps.log.error({ err, deliveryId: job.row.id }, 'send slot failed'))
          .finally(() => {
            loop.inFlight--
            loop.notify()
          })
      }
      if (loop.queue.length === 0 && loop.inFlight === 0 && !refilling && claimEmpty) {
        const wait = await whenIdle()
        if (wait === null) break
        await loop.changed(wait)
        claimEmpty = false
        continue
      }
      const blocked = Math.max(loop.pausedUntil, claimBlockedUntil) - Date.now()
      await loop.changed(blocked > 0 ? blocked : refilling || loop.inFlight > 0 ? undefined : pollMs)
    }
  } finally {
    loop.stop()
    signal?.removeEventListener('abort', onAbort)
    while (refilling) await refilling
    while (loop.inFlight > 0) await loop.changed(100)
    await Promise.all(loop.queue.splice(0).map((job) => loop.giveBack(job, 0)))
    await loop.recorderIdle()
    clearInterval(beat)
  }
}
