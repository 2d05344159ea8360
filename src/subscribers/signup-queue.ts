// Signups are decided after the answer, not before it. Whether an address is new, pending,
// active or throttled decides how much database work a signup does (7.5 ms for an active
// address, 13–15 ms for the others), and an answer that waited for that work told a
// stranger which addresses read Paperboy. So the route only validates and stores the
// signup (signup-requests.ts: one insert, the same for every address) and answers; this
// queue decides the stored rows in the background, each in the transaction that deletes
// it. Because the row is written before the 202, a process killed before the decision
// loses nothing: start() decides leftovers at once and then polls, on `npm start` and on
// every `npm run worker`. Re-deciding is safe: the per-mailbox 10-minute slot lets at most
// one email out. Bounded: past `maxBacklog` waiting rows the route answers 503 for every
// address alike.
import type { Db } from '../db/prisma'
import { afterTemporaryFailure, type RetryPolicy } from '../delivery/backoff'
import type { Logger } from '../log'
import type { JourneyMail } from './journey-mail'
import { decideSignup, type SendDefaults } from './signup'
import {
  claimSignupRequest,
  deferSignupRequest,
  deleteSignupRequest,
  nextSignupRequestAt,
  storeSignupRequest,
} from './signup-requests'
import { Subscription } from './subscription-input'

export type SignupQueue = {
  /** Stores the signup (it survives a crash from here on); false when the backlog is full. */
  submit(input: Subscription, defaults: SendDefaults): Promise<boolean>
  /** Decides every due signup now, in the background. */
  wake(): void
  /** Resolves once no due signup is left undecided (those another process holds included). */
  drain(): Promise<void>
  /** Decides leftovers now and looks again every `pollMs`. */
  start(): void
  /** Stops deciding and waits for the decisions in progress. */
  stop(): Promise<void>
}

export type SignupQueueOptions = {
  /** Signups decided at once by this process (default 4). */
  concurrency?: number
  /** Waiting signups past which the route answers 503 (default 1,000). */
  maxBacklog?: number
  /** How often a started queue looks for leftovers (default 5 s). */
  pollMs?: number
  /** Retries of a decision that failed (a database error): 1 s doubling to 1 min, 8 tries. */
  retry?: Partial<RetryPolicy>
}

const DEFAULT_DECISION_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 8, baseMs: 1_000, maxMs: 60_000 })

type Ctx = { prisma: Db; log: Logger; mail: JourneyMail }

export function createSignupQueue(ctx: Ctx, opts: SignupQueueOptions = {}): SignupQueue {
  const { prisma, log, mail } = ctx
  const concurrency = opts.concurrency ?? 4
  const maxBacklog = opts.maxBacklog ?? 1_000
  const pollMs = opts.pollMs ?? 5_000
  const retry = { ...DEFAULT_DECISION_RETRY, ...opts.retry }
  const running = new Set<Promise<void>>()
  // Wake-ups that arrived while every loop was busy: a loop that finds nothing looks again.
  let missed = 0
  let polling = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  /** Claims, decides and deletes one due signup; false when none was free. */
  async function decideOne(): Promise<boolean> {
    let claimed: { id: number; attempts: number } | undefined
    try {
      return await prisma.$transaction(async (tx) => {
        const row = await claimSignupRequest(tx, new Date())
        if (!row) return false
        claimed = row
        await deleteSignupRequest(tx, row.id)
        // Stored by an earlier version, or changed by hand: dropped, never half-decided.
        const input = Subscription.safeParse(row.input)
        if (!input.success) {
          log.error({ signupRequestId: row.id }, 'stored signup no longer valid; dropped')
          return true
        }
        const outcome = await decideSignup(tx, input.data, row.defaults)
        const subscriberId = outcome.kind === 'throttled' ? undefined : outcome.subscriber.id
        log.info({ subscriberId, outcome: outcome.kind }, 'signup')
        return true
      })
    } catch (err) {
      if (!claimed) throw err
      // The transaction rolled back, row included: try it later, or give up on it.
      const attempts = claimed.attempts + 1
      const next = afterTemporaryFailure(attempts, retry)
      if (next.retry) {
        log.warn({ err, signupRequestId: claimed.id, attempts }, 'deciding a signup failed; will retry')
        await deferSignupRequest(prisma, claimed.id, attempts, new Date(Date.now() + next.delayMs))
      } else {
        log.error({ err, signupRequestId: claimed.id, attempts }, 'deciding a signup failed; dropped')
        await deleteSignupRequest(prisma, claimed.id)
      }
      return true
    }
  }

  async function loop() {
    try {
      for (;;) {
        while (!stopped && (await decideOne())) mail.wake()
        if (stopped || missed === 0) return
        missed--
      }
    } catch (err) {
      log.error({ err }, 'deciding signups failed')
    }
  }

  function wake() {
    if (stopped) return
    if (running.size >= concurrency) {
      missed++
      return
    }
    const job = loop().finally(() => {
      running.delete(job)
      if (running.size === 0) void schedule()
    })
    running.add(job)
  }

  /** Next look: at the next retry's time, or the poll, whichever comes first. */
  async function schedule() {
    clearTimeout(timer)
    if (stopped) return
    let wait = polling ? pollMs : Number.POSITIVE_INFINITY
    try {
      const next = await nextSignupRequestAt(prisma)
      if (next) wait = Math.min(wait, Math.max(20, next.getTime() - Date.now() + 5))
    } catch (err) {
      log.warn({ err }, 'looking for waiting signups failed')
      wait = Math.min(wait, pollMs)
    }
    if (Number.isFinite(wait) && !stopped && running.size === 0) timer = setTimeout(wake, wait).unref()
  }

  return {
    async submit(input, defaults) {
      const stored = await storeSignupRequest(prisma, input, defaults, maxBacklog)
      if (stored) wake()
      return stored
    },
    wake,
    async drain() {
      for (;;) {
        while (running.size > 0) await Promise.allSettled([...running])
        const next = await nextSignupRequestAt(prisma)
        if (stopped || !next || next.getTime() > Date.now()) return
        // Due but held by another process (or just stored): look again shortly.
        await new Promise((r) => setTimeout(r, 20))
        wake()
      }
    },
    start() {
      polling = true
      wake()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      while (running.size > 0) await Promise.allSettled([...running])
    },
  }
}
