// The signups answered 202 and not decided yet (SignupRequest rows). The route writes one
// row per valid signup before it answers — the same insert whatever the address, so the
// answer's timing says nothing about it — and a decider claims the oldest due row with
// FOR UPDATE SKIP LOCKED, decides it and deletes it in that one transaction. A process
// killed before its commit leaves the row, unlocked, for whichever process looks next.
import type { Db, Prisma } from '../db/prisma'
import type { SendDefaults } from './signup'
import type { Subscription } from './subscription-input'

export type ClaimedSignup = {
  id: number
  /** The route's validated signup, as stored (re-checked before it is decided). */
  input: unknown
  defaults: SendDefaults
  /** Decisions of this row that failed before. */
  attempts: number
}

/**
 * Stores one signup unless `maxBacklog` are already waiting (false: nothing stored). The
 * count reads at most `maxBacklog` rows, so a full table costs the same as a short one.
 */
export async function storeSignupRequest(
  db: Db,
  input: Subscription,
  defaults: SendDefaults,
  maxBacklog: number,
): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "SignupRequest" (input, "defaultTimezone", "defaultSendHour", "nextAttemptAt", "createdAt")
    SELECT ${JSON.stringify(input)}::jsonb, ${defaults.timezone}, ${defaults.sendHour}::int,
      (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
    WHERE (SELECT count(*) FROM (SELECT 1 FROM "SignupRequest" LIMIT ${maxBacklog}::int) AS waiting)
      < ${maxBacklog}::int
    RETURNING id`
  return rows.length > 0
}

/** Locks the oldest due signup for the rest of `tx`, or null when none is free. */
export async function claimSignupRequest(
  tx: Prisma.TransactionClient,
  now: Date,
): Promise<ClaimedSignup | null> {
  const rows = await tx.$queryRaw<
    { id: number; input: unknown; defaultTimezone: string; defaultSendHour: number; attempts: number }[]
  >`
    SELECT id, input, "defaultTimezone", "defaultSendHour", attempts FROM "SignupRequest"
    WHERE "nextAttemptAt" <= ${now}
    ORDER BY id LIMIT 1
    FOR UPDATE SKIP LOCKED`
  const row = rows[0]
  if (!row) return null
  return {
    id: row.id,
    input: row.input,
    defaults: { timezone: row.defaultTimezone, sendHour: row.defaultSendHour },
    attempts: row.attempts,
  }
}

/** Removes a decided (or undecidable) signup; inside the deciding transaction. */
export async function deleteSignupRequest(tx: Prisma.TransactionClient | Db, id: number): Promise<void> {
  await tx.signupRequest.deleteMany({ where: { id } })
}

/** A decision that failed: try this row again at `at`. */
export async function deferSignupRequest(db: Db, id: number, attempts: number, at: Date): Promise<void> {
  await db.signupRequest.updateMany({ where: { id }, data: { attempts, nextAttemptAt: at } })
}

/** When the next waiting signup is due (null: none waiting). */
export async function nextSignupRequestAt(db: Db): Promise<Date | null> {
  const row = await db.signupRequest.findFirst({
    orderBy: { nextAttemptAt: 'asc' },
    select: { nextAttemptAt: true },
  })
  return row?.nextAttemptAt ?? null
}
