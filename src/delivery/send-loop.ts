// The engine under deliverDue and startWorker. A claimer keeps a small queue of claimed,
// rendered deliveries topped up; up to `inFlight` sends run at once, each at a slot of the
// send schedule all workers share (send-pace.ts) and held back while the worker is paused; each send waits for its outcome
// to be recorded before freeing its slot (see result-recorder.ts for why).
import type { Db } from '../db/prisma'
import type { Logger } from '../log'
import { afterTemporaryFailure, backoffMs, type RetryPolicy } from './backoff'
import {
  type ClaimedDelivery,
  claimBatch,
  extendLeases,
  type Outcome,
  recordOutcomes,
} from './delivery-store'
import type { Mailer, OutgoingEmail, SendResult } from './mailer'
import { ResultRecorder } from './result-recorder'
import { SharedPace } from './send-pace'

export type RenderDeliveries = (deliveryIds: number[]) => Promise<Map<number, OutgoingEmail>>

export type LoopSettings = {
  workerId: string
  date: string | undefined
  batchSize: number
  concurrency: number
  inFlight: number
  rate: number
  burst: number
  leaseMs: number
  retry: RetryPolicy
  pause: { baseMs: number; maxMs: number }
  /** The clock that says which send-at times have come (default: the database's). */
  clock: (() => Date) | undefined
}

export type DeliverSummary = {
  sent: number
  failed: number
  /** Temporary failures scheduled for another attempt. */
  retried: number
  /** Readers no longer on the list (unsubscribed, bounced, erased) when their turn came, or nothing left to send. */
  skipped: number
  /** Readers who had paused their emails when their turn came. */
  paused: number
  /** Handed back untried while the worker paused (421, server unreachable) or stopped. */
  deferred: number
  /** Readers marked bounced by this run. */
  bounced: number
}

type Job = { row: ClaimedDelivery; email: OutgoingEmail }

export class SendLoop {
  readonly summary: DeliverSummary = {
    sent: 0,
    failed: 0,
    retried: 0,
    skipped: 0,
    paused: 0,
    deferred: 0,
    bounced: 0,
  }
  /** Dates whose deliveries this loop finished (their runs may now be done). */
  readonly touchedDates = new Set<string>()
  lastProgressAt = Date.now()
  queue: Job[] = []
  inFlight = 0
  stopping = false
  pausedUntil = 0
  private pauseLevel = 0
  private pauseEpoch = 0
  /** Whether the mailer has answered a send since the start or the last pause (see lanes()). */
  private answered = false
  private readonly pace: SharedPace
  private readonly recorder: ResultRecorder
  private readonly stopCtl = new AbortController()
  private waiters: (() => void)[] = []

  constructor(
    private readonly deps: { prisma: Db; mailer: Mailer; log: Logger; render: RenderDeliveries },
    readonly s: LoopSettings,
  ) {
    this.pace = new SharedPace(deps.prisma, { rate: s.rate, burst: s.burst })
    this.recorder = new ResultRecorder(
      (outcomes) => recordOutcomes(deps.prisma, s.workerId, outcomes),
      (outcomes, report) => this.count(outcomes, report),
      deps.log,
      s.leaseMs / 2,
      () => this.stopping,
    )
  }

  /** Claims one batch, sets aside readers who must not get mail, renders the rest into the queue. */
  async refill(): Promise<number> {
    const started = performance.now()
    const rows = await claimBatch(this.deps.prisma, {
      workerId: this.s.workerId,
      // Just after a pause, a few probes: a full batch would be rendered only to be handed back.
      limit: this.pauseLevel > 0 ? this.s.inFlight : this.s.batchSize,
      leaseMs: this.s.leaseMs,
      date: this.s.date,
      now: this.s.clock?.(),
    })
    const claimedAt = performance.now()
    const toRender: ClaimedDelivery[] = []
    for (const row of rows) {
      if (row.holdReason === 'paused') void this.recorder.record({ id: row.id, kind: 'paused' })
      else if (row.holdReason)
        void this.recorder.record({ id: row.id, kind: 'skipped', reason: `reader ${row.holdReason}` })
      // Claimed this often without an outcome: each claim died with its worker. Stop the crash loop.
      else if (row.attempts > this.s.retry.maxAttempts)
        void this.recorder.record({
          id: row.id,
          kind: 'failed',
          hard: false,
          error: `gave up after ${row.attempts - 1} attempts`,
        })
      else toRender.push(row)
    }
    if (toRender.length === 0) return rows.length
    const emails = await this.renderEach(toRender)
    const ms = (a: number, b: number) => Math.round(b - a)
    this.deps.log.debug(
      { claimed: rows.length, claimMs: ms(started, claimedAt), renderMs: ms(claimedAt, performance.now()) },
      'batch claimed',
    )
    for (const row of toRender) {
      const email = emails.get(row.id)
      if (email) this.queue.push({ row, email })
      // No items, or every paper deleted since planning: there is no honest email to send.
      else if (!emails.failed.has(row.id))
        void this.recorder.record({ id: row.id, kind: 'skipped', reason: 'nothing left to send' })
    }
    return rows.length
  }

  /**
   * Renders a batch; if that throws, renders each delivery alone, so one reader whose
   * email cannot be built is retried (and in the end failed) alone, not with the batch.
   */
  private async renderEach(
    rows: ClaimedDelivery[],
  ): Promise<Map<number, OutgoingEmail> & { failed: Set<number> }> {
    const failed = new Set<number>()
    try {
      return Object.assign(await this.deps.render(rows.map((r) => r.id)), { failed })
    } catch (err) {
      this.deps.log.warn(
        { err, deliveries: rows.length },
        'rendering a batch failed; rendering its emails one by one',
      )
    }
    const out = new Map<number, OutgoingEmail>()
    for (const row of rows) {
      try {
        const one = (await this.deps.render([row.id])).get(row.id)
        if (one) out.set(row.id, one)
      } catch (err) {
        failed.add(row.id)
        this.deps.log.error({ err, deliveryId: row.id }, 'rendering an email failed')
        void this.recorder.record(this.temporary(row, `render failed: ${(err as Error).message}`))
      }
    }
    return Object.assign(out, { failed })
  }

  /**
   * Sends that may be in flight now: one until the mailer has answered a send since the
   * start or the last pause, then `inFlight`. A cold worker's first sends wait on the SMTP
   * connections opening (1–2 s each on a loaded machine, measured), and the slots taken
   * meanwhile would all go out together when the connections came up: three workers at 15/s
   * sent their first ten messages at 30–65/s and their first 260 at 16.5/s (from the 60th on
   * they kept 15.0/s). One send at a time spends one slot on the wait, not a lane's worth.
   */
  lanes(): number {
    return this.answered ? this.s.inFlight : 1
  }

  /** Sends one job in a slot; the slot is freed by the caller when this resolves. */
  async send(job: Job): Promise<void> {
    for (;;) {
      if (Date.now() < this.pausedUntil) await this.sleep(this.pausedUntil - Date.now())
      if (this.stopping) return void (await this.giveBack(job, 0))
      let wait: number
      try {
        wait = await this.pace.take()
      } catch (err) {
        // No slot without the database: nothing goes out (the claim's lease keeps the row ours).
        this.deps.log.warn({ err }, 'reserving a send slot failed; retrying in a second')
        await this.sleep(1_000)
        continue
      }
      if (wait > 0) await this.sleep(wait)
      // A slot given up here is not handed back: the shared schedule only moves forward.
      if (this.stopping) return void (await this.giveBack(job, 0))
      if (Date.now() < this.pausedUntil) continue
      break
    }
    const epoch = this.pauseEpoch
    const result = await this.deps.mailer.send(job.email)
    this.answered = true
    await this.recorder.record(this.outcomeOf(job, result, epoch, performance.now()))
  }

  private outcomeOf(job: Job, result: SendResult, epoch: number, acceptedAt: number): Outcome {
    const { id } = job.row
    if (result.status === 'sent') {
      this.pauseLevel = 0
      const response = result.response.slice(0, 1000)
      return { id, kind: 'sent', messageId: result.messageId, response, acceptedAt }
    }
    const { error } = result
    if (result.throttled) {
      this.throttle(epoch, error)
      return { id, kind: 'retry', delayMs: this.pausedUntil - Date.now(), error, countsAsAttempt: false }
    }
    if (result.permanent) return { id, kind: 'failed', error, hard: true }
    return this.temporary(job.row, error)
  }

  private temporary(row: ClaimedDelivery, error: string): Outcome {
    const next = afterTemporaryFailure(row.attempts, this.s.retry)
    if (next.retry) return { id: row.id, kind: 'retry', delayMs: next.delayMs, error, countsAsAttempt: true }
    return {
      id: row.id,
      kind: 'failed',
      hard: false,
      error: `gave up after ${row.attempts} attempts: ${error}`,
    }
  }

  /** 421 or an unreachable server: pause every send, once per episode (in-flight sends fail together). */
  private throttle(epoch: number, error: string): void {
    if (epoch !== this.pauseEpoch) return
    this.pauseEpoch++
    this.pauseLevel++
    const ms = backoffMs(this.pauseLevel, this.s.pause)
    this.pausedUntil = Date.now() + ms
    this.answered = false
    this.pace.drop()
    this.deps.log.warn(
      { pauseMs: ms, level: this.pauseLevel, error },
      'SMTP server throttling or unreachable: pausing sends',
    )
    // Queued claims go back to the ledger, so a worker that can reach the server may take them meanwhile.
    for (const job of this.queue.splice(0)) void this.giveBack(job, ms)
    this.notify()
  }

  /** Returns a claimed delivery untried, without spending an attempt. */
  giveBack(job: Job, delayMs: number): Promise<boolean> {
    return this.recorder.record({
      id: job.row.id,
      kind: 'retry',
      delayMs,
      error: null,
      countsAsAttempt: false,
    })
  }

  private count(
    outcomes: Outcome[],
    report: { recorded: Set<number>; bounced: number[]; dates: string[] },
  ): void {
    for (const o of outcomes) {
      if (!report.recorded.has(o.id)) continue
      if (o.kind === 'retry') o.countsAsAttempt ? this.summary.retried++ : this.summary.deferred++
      else this.summary[o.kind]++
      if (o.kind !== 'retry') this.lastProgressAt = Date.now()
    }
    for (const d of report.dates) this.touchedDates.add(d)
    if (report.bounced.length) {
      this.summary.bounced += report.bounced.length
      this.deps.log.warn(
        { subscriberIds: report.bounced },
        'readers marked bounced after repeated hard failures',
      )
    }
    const lost = outcomes.filter((o) => !report.recorded.has(o.id)).map((o) => o.id)
    if (lost.length)
      this.deps.log.warn({ deliveryIds: lost }, 'leases lost to another worker; outcomes not recorded')
  }

  heartbeat(): Promise<unknown> {
    return extendLeases(this.deps.prisma, this.s.workerId, this.s.leaseMs)
  }

  recorderIdle(): Promise<void> {
    return this.recorder.idle()
  }

  stop(): void {
    this.stopping = true
    this.stopCtl.abort()
    this.notify()
  }

  notify(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  /** Resolves on the next state change (a slot freed, a refill done, stop), or after `ms`. */
  changed(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const t = ms === undefined ? undefined : setTimeout(resolve, Math.max(1, ms))
      this.waiters.push(() => {
        clearTimeout(t)
        resolve()
      })
    })
  }

  sleep(ms: number): Promise<void> {
    if (this.stopCtl.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(1, ms))
      const signal = this.stopCtl.signal
      function done() {
        clearTimeout(t)
        signal.removeEventListener('abort', done)
        resolve()
      }
      signal.addEventListener('abort', done, { once: true })
    })
  }
}
