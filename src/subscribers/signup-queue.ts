// Signups are decided after the answer, not before it. Whether an address is new, pending,
// active or throttled decides how much database work a signup does (7.5 ms for an active
// address, 13–15 ms for the others), and an answer that waited for that work told a
// stranger which addresses read Paperboy. The route validates, hands the signup here and
// answers at once, in the same time whatever the address. Bounded: past `maxQueued` waiting
// signups the route answers 503 for every address alike. `drain()` lets a closing server
// finish what it accepted (a signup commits its email to the ledger, and wake() sends it).
import type { Db } from '../db/prisma'
import type { Logger } from '../log'
import type { JourneyMail } from './journey-mail'
import { type SendDefaults, signup } from './signup'
import type { Subscription } from './subscription-input'

export type SignupQueue = {
  /** false when the queue is full (nothing was accepted). */
  submit(input: Subscription, defaults: SendDefaults): boolean
  drain(): Promise<void>
}

type Job = { input: Subscription; defaults: SendDefaults }

export function createSignupQueue(
  ctx: { prisma: Db; log: Logger; mail: JourneyMail },
  opts: { concurrency?: number; maxQueued?: number } = {},
): SignupQueue {
  const concurrency = opts.concurrency ?? 4
  const maxQueued = opts.maxQueued ?? 1_000
  const waiting: Job[] = []
  const running = new Set<Promise<void>>()

  async function run({ input, defaults }: Job) {
    try {
      const outcome = await signup(ctx.prisma, input, defaults)
      // signup queued its email (if any) in its own transaction; send it now.
      if (outcome.kind !== 'throttled') ctx.mail.wake()
      const subscriberId = outcome.kind === 'throttled' ? undefined : outcome.subscriber.id
      ctx.log.info({ subscriberId, outcome: outcome.kind }, 'signup')
    } catch (err) {
      ctx.log.error({ err }, 'signup failed')
    }
  }

  function pump() {
    while (running.size < concurrency && waiting.length > 0) {
      const job = run(waiting.shift()!).finally(() => {
        running.delete(job)
        pump()
      })
      running.add(job)
    }
  }

  return {
    submit(input, defaults) {
      if (waiting.length >= maxQueued) return false
      waiting.push({ input, defaults })
      pump()
      return true
    },
    async drain() {
      while (running.size > 0 || waiting.length > 0) await Promise.allSettled([...running])
    },
  }
}
