// Per digest date: emails planned, sent, failed, skipped and held for a paused reader, and the median and 95th
// percentile of the time from planned to sent: from when the email was due (the row was
// written, or the reader's send-at time if later: waiting for the reader's own hour is not
// a delay) to when the SMTP server accepted it. Ninety
// days of a large list are millions of Delivery rows, too many to aggregate on every page
// view, so a day whose run is done is aggregated once into DeliveryDayStats. Every change
// to a day's deliveries also updates its DigestRun row (the planner's counts, the workers'
// counts), so a stored day whose run row has changed since is aggregated again. Days still
// in progress, or without a run, are aggregated live: they are few.

import { Prisma } from '../../prisma/generated/client'
import type { Db } from '../db/prisma'

export type DeliveryDay = {
  date: string
  planned: number
  sent: number
  failed: number
  skipped: number
  /** Planned, then held at send time: the reader had paused. */
  paused: number
  p50Ms: number | null
  p95Ms: number | null
}

type RunStamp = { day: string; done: boolean; updatedAt: Date }
type Stored = DeliveryDay & { runUpdatedAt: Date }

const empty = (date: string): DeliveryDay => ({
  date,
  planned: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  paused: 0,
  p50Ms: null,
  p95Ms: null,
})

/** Aggregates these dates from their Delivery rows (index on date, status). */
export function aggregateDays(prisma: Db, days: readonly string[]): Promise<DeliveryDay[]> {
  return prisma.$queryRaw<DeliveryDay[]>(DELIVERY_SQL.aggregate(days))
}

/** The statements themselves, for the benchmark's EXPLAIN. */
export const DELIVERY_SQL = {
  aggregate: (days: readonly string[]) => Prisma.sql`
    SELECT to_char(date, 'YYYY-MM-DD') AS date,
      count(*) FILTER (WHERE status <> 'skipped')::int AS planned,
      count(*) FILTER (WHERE status = 'sent')::int AS sent,
      count(*) FILTER (WHERE status = 'failed')::int AS failed,
      count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
      count(*) FILTER (WHERE status = 'paused')::int AS paused,
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "sentAt" - GREATEST("createdAt", "sendAt")))
        FILTER (WHERE status = 'sent') * 1000)::int AS "p50Ms",
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "sentAt" - GREATEST("createdAt", "sendAt")))
        FILTER (WHERE status = 'sent') * 1000)::int AS "p95Ms"
    FROM "Delivery" WHERE date = ANY(${days}::date[])
    GROUP BY date`,
  runs: (days: readonly string[]) => Prisma.sql`
    SELECT to_char(date, 'YYYY-MM-DD') AS day, phase = 'done' AS done, "updatedAt"
    FROM "DigestRun" WHERE date = ANY(${days}::date[])`,
  stored: (days: readonly string[]) => Prisma.sql`
    SELECT to_char(date, 'YYYY-MM-DD') AS date, planned, sent, failed, skipped, paused, "p50Ms", "p95Ms",
           "runUpdatedAt"
    FROM "DeliveryDayStats" WHERE date = ANY(${days}::date[])`,
}

async function store(prisma: Db, rows: readonly DeliveryDay[], stamps: Map<string, RunStamp>) {
  const done = rows.filter((r) => stamps.get(r.date)?.done)
  if (done.length === 0) return
  const col = <T>(f: (r: DeliveryDay) => T) => done.map(f)
  await prisma.$executeRaw`
    INSERT INTO "DeliveryDayStats" (date, planned, sent, failed, skipped, paused, "p50Ms", "p95Ms", "runUpdatedAt")
    SELECT * FROM unnest(${col((r) => r.date)}::date[], ${col((r) => r.planned)}::int[],
      ${col((r) => r.sent)}::int[], ${col((r) => r.failed)}::int[], ${col((r) => r.skipped)}::int[],
      ${col((r) => r.paused)}::int[],
      ${col((r) => r.p50Ms)}::int[], ${col((r) => r.p95Ms)}::int[],
      ${col((r) => stamps.get(r.date)!.updatedAt)}::timestamp[])
    ON CONFLICT (date) DO UPDATE SET planned = EXCLUDED.planned, sent = EXCLUDED.sent,
      failed = EXCLUDED.failed, skipped = EXCLUDED.skipped, paused = EXCLUDED.paused, "p50Ms" = EXCLUDED."p50Ms",
      "p95Ms" = EXCLUDED."p95Ms", "runUpdatedAt" = EXCLUDED."runUpdatedAt", "computedAt" = now()`
}

/** One row per date of `days` (oldest first), days without deliveries as zeros. */
export async function deliveryDays(prisma: Db, days: readonly string[]): Promise<DeliveryDay[]> {
  const [runs, stored] = await Promise.all([
    prisma.$queryRaw<RunStamp[]>(DELIVERY_SQL.runs(days)),
    prisma.$queryRaw<Stored[]>(DELIVERY_SQL.stored(days)),
  ])
  const stamps = new Map(runs.map((r) => [r.day, r]))
  const fresh = new Map<string, DeliveryDay>()
  for (const { runUpdatedAt, ...row } of stored) {
    const run = stamps.get(row.date)
    if (run?.done && run.updatedAt.getTime() === runUpdatedAt.getTime()) fresh.set(row.date, row)
  }
  const stale = days.filter((d) => !fresh.has(d))
  if (stale.length > 0) {
    // The stamps were read before aggregating: a change made meanwhile leaves the stored
    // row with an older stamp, and the next read aggregates that day again.
    const live = await aggregateDays(prisma, stale)
    await store(prisma, live, stamps)
    for (const row of live) fresh.set(row.date, row)
  }
  return days.map((d) => fresh.get(d) ?? empty(d))
}
