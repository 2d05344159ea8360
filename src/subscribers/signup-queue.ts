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
import { createLedgerPump, type LedgerPump } from './ledger-pump'
import { decideSignup, type SendDefaults } from './signup'
import {
  claimSignupRequest,
  deferSignupRequest,
  deleteSignupRequest,
  nextSignupRequestAt,
  storeSignupRequest,
} from './signup-requests'
import { Subscription } from './subscription-input'

export type SignupQueue = LedgerPump & {
  /** Stores the signup (it survives a crash from here on); false when the backlog is full. */
  submit(input: Subscription, defaults: SendDefaults): Promise<boolean>
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
  const maxBacklog = opts.maxBacklog ?? 1_000
  const retry = { ...DEFAULT_DECISION_RETRY, ...opts.retry }

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

  const pump = createLedgerPump({
    log,
    what: 'signups',
    concurrency: opts.concurrency ?? 4,
    pollMs: opts.pollMs ?? 5_000,
    takeOne: decideOne,
    nextDueAt: () => nextSignupRequestAt(prisma),
    // A decision may have put a confirmation on the journey-mail ledger.
    afterEach: () => mail.wake(),
  })

  return {
    ...pump,
    async submit(input, defaults) {
      const stored = await storeSignupRequest(prisma, input, defaults, maxBacklog)
      if (stored) pump.wake()
      return stored
    },
  }
}
