// Everything the dashboard shows, in one object: the same for the page, for
// `GET /api/admin/metrics?days=N` and (as counters and gauges) for `GET /metrics`.
import { z } from 'zod'
import type { Db } from '../db/prisma'
import { type DeliveryDay, deliveryDays } from './delivery-days'
import {
  changesSince,
  currentCounts,
  type KeywordCount,
  type Ranked,
  topKeywords,
  topTopics,
} from './list-queries'
import { lastRuns, type RunSummary } from './run-phases'
import {
  type JourneyDay,
  journeyByDay,
  type ListDay,
  type StatusCounts,
  statusHistory,
  windowDays,
} from './status-history'

export const MAX_DAYS = 365
const dayCount = `must be a whole number of days from 1 to ${MAX_DAYS}`
export const MetricsQuery = z.strictObject({
  days: z.coerce
    .number({ error: dayCount })
    .int(dayCount)
    .min(1, dayCount)
    .max(MAX_DAYS, dayCount)
    .default(90),
})
export type MetricsQuery = z.infer<typeof MetricsQuery>

export type Metrics = {
  generatedAt: string
  days: number
  from: string
  to: string
  subscribers: StatusCounts
  list: ListDay[]
  journey: JourneyDay[]
  deliveries: DeliveryDay[]
  /** Newest first, each with `listSize` (active + paused readers at the end of its date). */
  runs: (RunSummary & { listSize: number | null })[]
  topics: Ranked[]
  keywords: KeywordCount[]
}

export async function readMetrics(prisma: Db, { days }: MetricsQuery, now = new Date()): Promise<Metrics> {
  const dates = windowDays(now.toISOString().slice(0, 10), days)
  const [current, changes, deliveries, runs, topics, keywords] = await Promise.all([
    currentCounts(prisma),
    changesSince(prisma, dates[0]!),
    deliveryDays(prisma, dates),
    lastRuns(prisma),
    topTopics(prisma),
    topKeywords(prisma),
  ])
  const list = statusHistory(current, changes, dates)
  const byDate = new Map(list.map((d) => [d.date, d.active + d.paused]))
  return {
    generatedAt: now.toISOString(),
    days,
    from: dates[0]!,
    to: dates.at(-1)!,
    subscribers: current,
    list,
    journey: journeyByDay(changes, dates),
    deliveries,
    runs: runs.map((r) => ({ ...r, listSize: byDate.get(r.date) ?? null })),
    topics,
    keywords,
  }
}
