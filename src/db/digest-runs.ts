// The DigestRun row, owned here and written nowhere else: where a date's run is (phase),
// why it stopped (error), how often the list was not there yet (attempts), who holds it,
// and its counts. The run (jobs/run-digest.ts) opens, fails and releases it; the planner
// moves it to 'planning' and 'delivering' with the date's planned counts; delivery adds
// each batch's outcomes (runCountsFromOutcomes, inside its one recording statement) and
// closes it ('done') when nothing is left to send. Only the holder of the run lock calls
// the run's writers.
import type { DigestPhase } from '../../prisma/generated/client'
import { type Db, Prisma } from './prisma'

const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`

export type RunStatus = {
  date: string
  phase: DigestPhase
  source: string | null
  error: string | null
  attempts: number
  due: number
  planned: number
  skipped: number
  /** Held at send time because the reader had paused. */
  paused: number
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
    paused: row.paused,
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

/** Records the topic model's version too, so a change of model shows on the runs it planned. */
export async function markPlanning(prisma: Db, date: string, modelVersion: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "DigestRun" (date, phase, "planStartedAt", "modelVersion", "updatedAt")
    VALUES (${date}::date, 'planning', now(), ${modelVersion}, now())
    ON CONFLICT (date) DO UPDATE SET
      phase = CASE WHEN "DigestRun".phase = 'done' THEN "DigestRun".phase ELSE 'planning' END,
      "planStartedAt" = CASE WHEN "DigestRun".phase = 'done' THEN "DigestRun"."planStartedAt" ELSE now() END,
      "modelVersion" = EXCLUDED."modelVersion",
      "updatedAt" = now()`
}

/** Counts are the date's totals from the Delivery rows, so re-planning never inflates them. */
export async function markPlanned(
  prisma: Db,
  date: string,
): Promise<{ due: number; planned: number; skipped: number }> {
  const [row] = await prisma.$queryRaw<{ due: number; planned: number; skipped: number }[]>`
    UPDATE "DigestRun" r SET
      phase = CASE WHEN r.phase = 'done' THEN r.phase ELSE 'delivering' END,
      "deliverStartedAt" = CASE WHEN r.phase = 'done' THEN r."deliverStartedAt" ELSE now() END,
      due = c.due, planned = c.planned, skipped = c.skipped, error = NULL, "updatedAt" = now()
    FROM (
      SELECT count(*)::int AS due,
             (count(*) FILTER (WHERE status <> 'skipped'))::int AS planned,
             (count(*) FILTER (WHERE status = 'skipped'))::int AS skipped
      FROM "Delivery" WHERE date = ${date}::date
    ) c
    WHERE r.date = ${date}::date
    RETURNING r.due, r.planned, r.skipped`
  return row ?? { due: 0, planned: 0, skipped: 0 }
}

/** A planning failure is recorded on the run, unless another phase has taken over since. */
export async function markPlanningFailed(prisma: Db, date: string, error: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "DigestRun" SET phase = 'failed', error = ${error.slice(0, 1000)}, "updatedAt" = now()
    WHERE date = ${date}::date AND phase = 'planning'`
}

/**
 * Closes the runs of `dates` that are delivering and have nothing pending or sending:
 * phase 'done', with sent/failed/skipped/paused recounted from the ledger (the incremental counts can
 * only drift if someone edits rows by hand, but the final numbers should be exact).
 */
export async function finishDeliveredRuns(prisma: Db, dates: readonly string[]): Promise<string[]> {
  if (dates.length === 0) return []
  const rows = await prisma.$queryRaw<{ date: Date }[]>`
    UPDATE "DigestRun" r SET phase = 'done', "finishedAt" = ${NOW}, "updatedAt" = ${NOW},
      sent = (SELECT count(*) FROM "Delivery" d WHERE d.date = r.date AND d.status = 'sent'),
      failed = (SELECT count(*) FROM "Delivery" d WHERE d.date = r.date AND d.status = 'failed'),
      skipped = (SELECT count(*) FROM "Delivery" d WHERE d.date = r.date AND d.status = 'skipped'),
      paused = (SELECT count(*) FROM "Delivery" d WHERE d.date = r.date AND d.status = 'paused')
    WHERE r.date = ANY(${[...dates]}::date[]) AND r.phase = 'delivering'
      AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d.date = r.date AND d.status IN ('pending', 'sending'))
    RETURNING r.date`
  return rows.map((r) => r.date.toISOString().slice(0, 10))
}

/**
 * The part of delivery's recording statement that adds a batch's outcomes to the runs'
 * counts. It reads the CTE `upd` (id, date, status of each recorded delivery) of that
 * statement, so the counts move in the same transaction as the deliveries they count.
 */
export function runCountsFromOutcomes(): Prisma.Sql {
  return Prisma.sql`
      UPDATE "DigestRun" r SET sent = r.sent + c.sent, failed = r.failed + c.failed,
        skipped = r.skipped + c.skipped, paused = r.paused + c.paused, "updatedAt" = ${NOW}
      FROM (SELECT date, count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
              count(*) FILTER (WHERE status = 'paused')::int AS paused
            FROM upd GROUP BY date) c
      WHERE r.date = c.date
      RETURNING r.id`
}
