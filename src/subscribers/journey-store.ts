// The journey-mail ledger (JourneyEmail rows). A row is written in the transaction of the
// step that asks for the email, so a request answered 202 has its email on record even if
// the process dies the next instant. A sender claims one due row by locking it (FOR UPDATE
// SKIP LOCKED) inside a transaction it holds for the send: other processes skip it, and a
// sender that is killed mid-send drops its connection, PostgreSQL rolls the claim back and
// the row is due again at once — no lease to wait out. Each email is one short SMTP
// exchange, so holding one connection per send in flight costs nothing.

import type { JourneyEmailKind } from '../../prisma/generated/client'
import type { Prisma } from '../db/prisma'
import type { Client } from './subscriber-store'

export type { JourneyEmailKind }

export type JourneyRequest = {
  subscriberId: number
  kind: JourneyEmailKind
  /** confirm: the token the link carries (Subscriber holds only its hash). */
  token?: string
  /** When the step claimed the address's resend slot, to give back if the email fails for good. */
  slotAt?: Date
}

export async function enqueueJourneyEmail(db: Client, req: JourneyRequest, now = new Date()): Promise<void> {
  await db.journeyEmail.create({
    data: {
      subscriberId: req.subscriberId,
      kind: req.kind,
      token: req.token ?? null,
      slotAt: req.slotAt ?? null,
      nextAttemptAt: now,
    },
  })
}

export type ClaimedJourneyEmail = {
  id: number
  subscriberId: number
  kind: JourneyEmailKind
  token: string | null
  slotAt: Date | null
  /** Sends before this one. */
  attempts: number
}

/** Locks the oldest due row for the rest of `tx`, or returns null when none is free. */
export async function claimDueJourneyEmail(
  tx: Prisma.TransactionClient,
  now: Date,
): Promise<ClaimedJourneyEmail | null> {
  const rows = await tx.$queryRaw<ClaimedJourneyEmail[]>`
    SELECT id, "subscriberId", kind::text AS kind, token, "slotAt", attempts FROM "JourneyEmail"
    WHERE status = 'pending' AND "nextAttemptAt" <= ${now}
    ORDER BY "nextAttemptAt", id LIMIT 1
    FOR UPDATE SKIP LOCKED`
  return rows[0] ?? null
}

export type JourneyOutcome =
  | { kind: 'sent'; messageId: string }
  | { kind: 'retry'; at: Date; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'skipped'; reason: string }

/** Records what happened to a claimed row; a finished row forgets its token. */
export async function recordJourneyOutcome(
  tx: Prisma.TransactionClient,
  row: ClaimedJourneyEmail,
  outcome: JourneyOutcome,
  now: Date,
): Promise<void> {
  const attempts = outcome.kind === 'skipped' ? row.attempts : row.attempts + 1
  const data: Prisma.JourneyEmailUpdateInput =
    outcome.kind === 'retry'
      ? { attempts, nextAttemptAt: outcome.at, lastError: outcome.error }
      : outcome.kind === 'sent'
        ? { attempts, status: 'sent', sentAt: now, messageId: outcome.messageId, token: null }
        : {
            attempts,
            status: outcome.kind,
            lastError: outcome.kind === 'failed' ? outcome.error : outcome.reason,
            token: null,
          }
  await tx.journeyEmail.update({ where: { id: row.id }, data })
}

/** When the next pending row comes due (null: none pending). */
export async function nextJourneyEmailAt(db: Client): Promise<Date | null> {
  const next = await db.journeyEmail.findFirst({
    where: { status: 'pending' },
    orderBy: { nextAttemptAt: 'asc' },
    select: { nextAttemptAt: true },
  })
  return next?.nextAttemptAt ?? null
}
