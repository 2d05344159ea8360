// The journey's emails (confirm, welcome, manage), sent from the JourneyEmail ledger. The
// step that asks for one writes its row in its own transaction (journey-store.ts); the HTTP
// answer never waits for SMTP, so it is as fast for a known address as for an unknown one
// (no timing oracle). wake() sends what is due right away in the background; start() also
// polls, so rows left by a process that died, and retries after an SMTP outage, go out
// from whichever process is running. A temporary failure is retried with backoff; a
// permanent one, or the last retry, gives the address's resend slot back.
import type { Config } from '../config/env'
import type { Db, Prisma } from '../db/prisma'
import { afterTemporaryFailure, DEFAULT_JOURNEY_RETRY, type RetryPolicy } from '../delivery/backoff'
import type { Mailer } from '../delivery/mailer'
import type { TemplateCache } from '../digest/render'
import type { Logger } from '../log'
import { buildJourneyEmail } from './journey-email'
import {
  type ClaimedJourneyEmail,
  claimDueJourneyEmail,
  type JourneyOutcome,
  nextJourneyEmailAt,
  recordJourneyOutcome,
} from './journey-store'
import { createLedgerPump, type LedgerPump } from './ledger-pump'
import { releaseSlot } from './signup'

/** wake() after the step's transaction commits sends its email in the background. */
export type JourneyMail = LedgerPump

export type JourneyMailOptions = {
  retry?: Partial<RetryPolicy>
  /** How often a started sender looks for due rows (default 5 s). */
  pollMs?: number
}

type Ctx = {
  config: Pick<Config, 'publicUrl' | 'appSecret'>
  mailer: Mailer
  log: Logger
  prisma: Db
  /** The process's compiled templates (src/deps.ts). */
  templates: TemplateCache
}

/** Longest a claim (one render and one SMTP exchange) may hold its transaction open. */
const CLAIM_TIMEOUT_MS = 120_000

export function createJourneyMail(ctx: Ctx, opts: JourneyMailOptions = {}): JourneyMail {
  const { prisma, mailer, log } = ctx
  const retry = { ...DEFAULT_JOURNEY_RETRY, ...opts.retry }

  async function attempt(tx: Prisma.TransactionClient, row: ClaimedJourneyEmail): Promise<JourneyOutcome> {
    const retryOrFail = (error: string): JourneyOutcome => {
      const next = afterTemporaryFailure(row.attempts + 1, retry)
      return next.retry
        ? { kind: 'retry', at: new Date(Date.now() + next.delayMs), error }
        : { kind: 'failed', error }
    }
    try {
      const built = await buildJourneyEmail(tx, ctx.config, await ctx.templates.get(), row)
      if (built.kind === 'skip') return { kind: 'skipped', reason: built.reason }
      const result = await mailer.send(built.email)
      if (result.status === 'sent') return { kind: 'sent', messageId: result.messageId }
      return result.permanent ? { kind: 'failed', error: result.error } : retryOrFail(result.error)
    } catch (err) {
      // A template or database problem: retried like an SMTP hiccup, never a hot loop.
      return retryOrFail(err instanceof Error ? err.message : String(err))
    }
  }

  /** Claims, sends and records one due row; false when none was free. */
  function sendOne(): Promise<boolean> {
    return prisma.$transaction(
      async (tx) => {
        const row = await claimDueJourneyEmail(tx, new Date())
        if (!row) return false
        const outcome = await attempt(tx, row)
        await recordJourneyOutcome(tx, row, outcome, new Date())
        if (outcome.kind === 'failed' && row.slotAt) await releaseSlot(tx, row.subscriberId, row.slotAt)
        const fields = { journeyEmailId: row.id, subscriberId: row.subscriberId, kind: row.kind }
        if (outcome.kind === 'sent') log.info(fields, 'journey email sent')
        else if (outcome.kind === 'skipped')
          log.info({ ...fields, reason: outcome.reason }, 'journey email skipped')
        else log.warn({ ...fields, outcome: outcome.kind, error: outcome.error }, 'journey email not sent')
        return true
      },
      { timeout: CLAIM_TIMEOUT_MS, maxWait: 10_000 },
    )
  }

  return createLedgerPump({
    log,
    what: 'journey emails',
    // One at a time: each send holds a transaction open for its SMTP exchange.
    concurrency: 1,
    pollMs: opts.pollMs ?? 5_000,
    takeOne: sendOne,
    nextDueAt: () => nextJourneyEmailAt(prisma),
  })
}
