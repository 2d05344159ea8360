// planDigest: one Delivery per due reader and date, with its items, written in bulk.
// Planning is serialised across processes by a transaction-level advisory lock, and the
// reads (who is already planned, what was already sent) happen under it, so two planners
// at once, or two backfilled dates at once, see each other's rows: the second changes
// nothing, and no paper is planned twice for a reader. A failure rolls the whole plan
// back; running it again plans from scratch.
import type { Db } from '../../db/prisma'
import type { Logger } from '../../log'
import { loadTopicCatalog } from '../topic-catalog'
import { markPlanned, markPlanning, markPlanningFailed } from './digest-run'
import { countAlreadyPlanned, loadAlreadySent, loadDueReaders } from './due-readers'
import { loadPlanDay, type PlanDay } from './plan-day'
import { type PlanStats, planReaders } from './plan-readers'
import { writePlans } from './write-plan'

export interface PlanDeps {
  prisma: Db
  log: Logger
}

export interface PlanReport {
  date: string
  /** Readers due on the date (including those planned before). */
  due: number
  /** Deliveries created now with papers to send. */
  planned: number
  /** Deliveries created now as skipped (nothing to send; skipReason says why). */
  skipped: number
  /** Due readers that already had a Delivery for the date, left as they were. */
  alreadyPlanned: number
}

/** Key of the planner's lock (single-int key space; the run lock uses the two-int one). */
const PLAN_LOCK = 0x5042504c // 'PBPL'
const EMPTY = new Set<number>()
const ANALYZE_AFTER = 10_000

export async function planDigest(deps: PlanDeps, opts: { date: string }): Promise<PlanReport> {
  const { prisma, log } = deps
  const { date } = opts
  const started = Date.now()
  const topics = await loadTopicCatalog(prisma)
  // Fails before touching the run when the date has no list: there is nothing to plan from.
  const daily = await loadPlanDay(prisma, topics, date, 'daily')
  await markPlanning(prisma, date)
  try {
    const stats: PlanStats = { rankings: 0 }
    // Where the time goes, in the log line: waiting for the lock, loading, matching, writing.
    const ms: Record<string, number> = {}
    let mark = Date.now()
    const lap = () => {
      const now = Date.now()
      const spent = now - mark
      mark = now
      return spent
    }
    const report = await prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PLAN_LOCK}::int)`
        // No JIT: compiling the big reader query costs more than running it (see delivery-rows.ts).
        await tx.$executeRaw`SET LOCAL jit = off`
        ms.lock = lap()
        const readers = await loadDueReaders(tx, date)
        const alreadyPlanned = await countAlreadyPlanned(tx, date)
        const weeklyReaders = readers.filter((r) => r.frequency === 'weekly')
        const days: [PlanDay, typeof readers][] = [[daily, readers.filter((r) => r.frequency === 'daily')]]
        if (weeklyReaders.length)
          days.push([await loadPlanDay(prisma, topics, date, 'weekly'), weeklyReaders])
        const paperIds = [...new Set(days.flatMap(([d]) => d.listed.map((l) => l.paper.id)))]
        const sent = await loadAlreadySent(tx, date, paperIds)
        ms.load = lap()
        const plans = days.flatMap(([d, rs]) => planReaders(d.day, rs, (id) => sent.get(id) ?? EMPTY, stats))
        ms.match = lap()
        const written = await writePlans(tx, date, plans)
        ms.write = lap()
        return { date, due: readers.length + alreadyPlanned, ...written, alreadyPlanned }
      },
      // Waiting for another planner counts against this timeout; 100,000 readers take seconds.
      { timeout: 10 * 60_000, maxWait: 30_000 },
    )
    // A large plan changes the tables' shape at once; fresh statistics let the delivery
    // workers' first claims use the indexes instead of waiting for autovacuum to notice.
    if (report.planned + report.skipped >= ANALYZE_AFTER) {
      await prisma.$executeRawUnsafe('ANALYZE "Delivery", "DeliveryItem"')
      ms.analyze = lap()
    }
    const totals = await markPlanned(prisma, date)
    log.info(
      { ...report, totals, rankings: stats.rankings, ms: { ...ms, total: Date.now() - started } },
      'digest planned',
    )
    return report
  } catch (err) {
    await markPlanningFailed(prisma, date, err instanceof Error ? err.message : String(err)).catch(() => {})
    throw err
  }
}
