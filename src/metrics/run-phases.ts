// The last runs with the time each phase took: ingest from the run's start until planning
// began, plan until delivering began, deliver until the last email of the date was
// recorded. A phase that has not ended (or was never reached) has no duration.

import { Prisma } from '../../prisma/generated/client'
import type { Db } from '../db/prisma'

export type RunRow = {
  date: string
  phase: string
  error: string | null
  due: number
  planned: number
  skipped: number
  paused: number
  sent: number
  failed: number
  startedAt: Date
  planStartedAt: Date | null
  deliverStartedAt: Date | null
  finishedAt: Date | null
}

export type RunSummary = Omit<RunRow, 'startedAt' | 'planStartedAt' | 'deliverStartedAt' | 'finishedAt'> & {
  startedAt: string
  finishedAt: string | null
  ingestMs: number | null
  planMs: number | null
  deliverMs: number | null
}

const between = (a: Date | null, b: Date | null) =>
  a && b && b.getTime() >= a.getTime() ? b.getTime() - a.getTime() : null

export function summariseRun(r: RunRow): RunSummary {
  const { startedAt, planStartedAt, deliverStartedAt, finishedAt, ...rest } = r
  return {
    ...rest,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    ingestMs: between(startedAt, planStartedAt),
    planMs: between(planStartedAt, deliverStartedAt),
    deliverMs: r.phase === 'done' ? between(deliverStartedAt, finishedAt) : null,
  }
}

export async function lastRuns(prisma: Db, limit = 30): Promise<RunSummary[]> {
  const rows = await prisma.$queryRaw<RunRow[]>(lastRunsSql(limit))
  return rows.map(summariseRun)
}

export const lastRunsSql = (limit: number) => Prisma.sql`
    SELECT to_char(date, 'YYYY-MM-DD') AS date, phase::text AS phase, error, due, planned, skipped,
           paused, sent, failed, "startedAt", "planStartedAt", "deliverStartedAt", "finishedAt"
    FROM "DigestRun" ORDER BY date DESC LIMIT ${limit}`
