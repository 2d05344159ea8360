// The DigestRun row as the run sees it: where a date's run is (phase), why it stopped
// (error), how often the list was not there yet (attempts), and the counts the planner
// and the workers keep. The planner writes 'planning'/'delivering' and the counts, the
// workers write 'done'; this module writes the rest. Only the holder of the run lock
// calls the writers here.
import type { Db } from '../db/prisma'
import type { DigestPhase } from '../generated/prisma/client'

export type RunStatus = {
  date: string
  phase: DigestPhase
  source: string | null
  error: string | null
  attempts: number
  due: number
  planned: number
  skipped: number
  sent: number
  failed: number
  /** The topic model the date was last planned with (null before planning). */
  modelVersion: string | null
  startedAt: string
  finishedAt: string | null
}

const day = (date: string) => new Date(`${date}T00:00:00.000Z`)

export async function readRun(prisma: Db, date: string): Promise<RunStatus | null> {
  const row = await prisma.digestRun.findUnique({ where: { date: day(date) } })
  if (!row) return null
  return {
    date,
    phase: row.phase,
    source: row.source,
    error: row.error,
    attempts: row.attempts,
    due: row.due,
    planned: row.planned,
    skipped: row.skipped,
    sent: row.sent,
    failed: row.failed,
    modelVersion: row.modelVersion,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}

/**
 * Opens (or re-opens) the run of a date in phase 'ingesting'. An unfinished run keeps its
 * attempts (a restart does not buy a late source more tries); a failed one starts over,
 * since a run by hand is how an operator retries a failed date. A done run stays done —
 * running it again only confirms nothing is left to send — as the planner also keeps it.
 */
export async function beginRun(prisma: Db, date: string, owner: string): Promise<{ attempts: number }> {
  const now = new Date()
  const existing = await prisma.digestRun.findUnique({ where: { date: day(date) }, select: { phase: true } })
  const row = await prisma.digestRun.upsert({
    where: { date: day(date) },
    create: { date: day(date), phase: 'ingesting', lockedBy: owner, lockedAt: now, startedAt: now },
    update:
      existing?.phase === 'done'
        ? { lockedBy: owner, lockedAt: now }
        : {
            phase: 'ingesting',
            lockedBy: owner,
            lockedAt: now,
            finishedAt: null,
            ...(existing?.phase === 'failed' ? { attempts: 0, error: null, startedAt: now } : {}),
          },
    select: { attempts: true },
  })
  return { attempts: row.attempts }
}

/** Records one attempt at a list that was not there, with the reason shown while waiting. */
export async function recordAttempt(prisma: Db, date: string, reason: string): Promise<number> {
  const row = await prisma.digestRun.update({
    where: { date: day(date) },
    data: { attempts: { increment: 1 }, error: reason },
    select: { attempts: true },
  })
  return row.attempts
}

export async function recordSource(prisma: Db, date: string, source: string): Promise<void> {
  await prisma.digestRun.update({ where: { date: day(date) }, data: { source, error: null } })
}

/**
 * Ends a run with nothing to send: the list was empty on a day without one. A run that
 * is already done (re-run by hand with an empty file) keeps the counts it has.
 */
export async function finishEmpty(prisma: Db, date: string, source: string): Promise<void> {
  await prisma.digestRun.updateMany({
    where: { date: day(date), phase: { not: 'done' } },
    data: { phase: 'done', error: null, source, due: 0, planned: 0, skipped: 0, finishedAt: new Date() },
  })
}

export async function failRun(prisma: Db, date: string, error: string): Promise<void> {
  await prisma.digestRun.upsert({
    where: { date: day(date) },
    create: { date: day(date), phase: 'failed', error, finishedAt: new Date() },
    update: { phase: 'failed', error, finishedAt: new Date() },
  })
}

/** Clears the holder shown on the row once this process lets go of the run lock. */
export async function releaseRun(prisma: Db, date: string, owner: string): Promise<void> {
  await prisma.digestRun.updateMany({
    where: { date: day(date), lockedBy: owner },
    data: { lockedBy: null, lockedAt: null },
  })
}
