// The DigestRun row as the planner moves it: 'planning' while it works, then 'delivering'
// with the date's counts, each stamped with the time it began (the dashboard's time per
// phase). A run already 'done' keeps its phase and stamps (only counts are refreshed): the
// planner never moves a finished run backwards.
import type { Db } from '../../db/prisma'
import { isoDay } from './schedule'

/** Records the topic model's version too, so a change of model shows on the runs it planned. */
export async function markPlanning(prisma: Db, date: string, modelVersion: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "DigestRun" (date, phase, "planStartedAt", "modelVersion", "updatedAt")
    VALUES (${isoDay(date)}::date, 'planning', now(), ${modelVersion}, now())
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
      FROM "Delivery" WHERE date = ${isoDay(date)}::date
    ) c
    WHERE r.date = ${isoDay(date)}::date
    RETURNING r.due, r.planned, r.skipped`
  return row ?? { due: 0, planned: 0, skipped: 0 }
}

/** A planning failure is recorded on the run, unless another phase has taken over since. */
export async function markPlanningFailed(prisma: Db, date: string, error: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "DigestRun" SET phase = 'failed', error = ${error.slice(0, 1000)}, "updatedAt" = now()
    WHERE date = ${isoDay(date)}::date AND phase = 'planning'`
}
