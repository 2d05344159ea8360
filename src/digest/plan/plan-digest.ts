// planDigest answers "what does each reader get on date D?" — the one planner behind the
// daily run, `npm run digest -- --dry-run`, `npm run preview` and POST /api/preview's
// reader view. Its writer decides what happens to the answer: the daily run's stores one
// Delivery per due reader and date, with its items, in bulk; the others keep it in memory.
// A storing plan is serialised across processes by a transaction-level advisory lock, and
// the reads (who is already planned, what was already given) happen under it, so two
// planners at once, or two backfilled dates at once, see each other's rows: the second
// changes nothing, and no paper is planned twice for a reader. A failure rolls the whole
// plan back; running it again plans from scratch.
import type { Db } from '../../db/prisma'
import type { Logger } from '../../log'
import type { TopicModel } from '../../matching'
import { loadTopicCatalog, type TopicCatalog, type TopicCatalogSource } from '../topic-catalog'
import {
  countAlreadyPlanned,
  type DueReader,
  loadDueReaderPage,
  loadGivenPapers,
  type ReaderPage,
} from './due-readers'
import { loadPlanDay, type PlanDay } from './plan-day'
import { newRankCache, type PlanStats, planReaders } from './plan-readers'
import { type PlanWriter, storingWriter } from './plan-writer'
import type { Frequency } from './schedule'
import type { WriteCounts } from './write-plan'

export interface PlanDeps {
  prisma: Db
  log: Logger
  topicModel: TopicModel
  /** The process's topic catalog (src/deps.ts); without one, the catalog is compiled for this plan. */
  caches?: { topics: TopicCatalogSource }
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

/** The papers a frequency's emails draw from on a date (default: the stored lists). */
export type PlanDaySource = (topics: TopicCatalog, date: string, frequency: Frequency) => Promise<PlanDay>

export interface PlanOptions {
  date: string
  /** What happens to the plans (default: stored, as the daily run does). */
  writer?: PlanWriter
  source?: PlanDaySource
  /** Plan exactly these readers instead of everyone due (a preview's one reader). */
  readers?: DueReader[]
}

/** Key of the planner's lock (single-int key space; the run lock uses the two-int one). */
const PLAN_LOCK = 0x5042504c // 'PBPL'
const EMPTY = new Set<number>()
/** Readers loaded, planned and written at a time (one statement; a few MB of rows and plans). */
const READER_PAGE = 5_000

export async function planDigest(deps: PlanDeps, opts: PlanOptions): Promise<PlanReport> {
  const { prisma, log } = deps
  const { date } = opts
  const writer = opts.writer ?? storingWriter(prisma)
  const source: PlanDaySource = opts.source ?? ((t, d, f) => loadPlanDay(prisma, t, d, f))
  const started = Date.now()
  const topics = await (deps.caches?.topics.load() ?? loadTopicCatalog(prisma, deps.topicModel))
  // Fails before touching the run when the date has no list: there is nothing to plan from.
  const daily = await source(topics, date, 'daily')
  const only = opts.readers?.map((r) => r.subscriberId)
  const firstPage = (tx: Parameters<typeof loadDueReaderPage>[0]) =>
    opts.readers ? { readers: opts.readers, lastId: null } : loadDueReaderPage(tx, date, 0, READER_PAGE)
  await writer.begin(date, deps.topicModel.version)
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
        // Only a plan that stores needs to see other planners' rows settled.
        if (writer.stores) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PLAN_LOCK}::int)`
        // No JIT: compiling the big reader query costs more than running it (see delivery-rows.ts).
        await tx.$executeRaw`SET LOCAL jit = off`
        ms.lock = lap()
        const alreadyPlanned = opts.readers ? 0 : await countAlreadyPlanned(tx, date)
        const sent = await loadGivenPapers(
          tx,
          date,
          daily.listed.map((l) => l.paper.id),
          only,
        )
        const written = { planned: 0, skipped: 0 }
        let due = 0
        let weekly: PlanDay | undefined
        const caches = { daily: newRankCache(), weekly: newRankCache() }
        // Page by page: a page's readers and plans are dropped once written, so memory follows
        // the page size; the ranked lists (per interest set, small) carry over between pages.
        // Matching a page overlaps the server writing the previous one (one statement each).
        let writing: Promise<WriteCounts> | undefined
        const settle = async () => {
          if (!writing) return
          const counts = await writing
          written.planned += counts.planned
          written.skipped += counts.skipped
          ms.write = (ms.write ?? 0) + lap()
        }
        let page: ReaderPage | null = await firstPage(tx)
        ms.load = lap()
        while (page) {
          due += page.readers.length
          const weeklyReaders = page.readers.filter((r) => r.frequency === 'weekly')
          if (weeklyReaders.length && !weekly) {
            weekly = await source(topics, date, 'weekly')
            // The week's other papers: what each reader was already given of them, too.
            const today = new Set(daily.listed.map((l) => l.paper.id))
            const more = weekly.listed.map((l) => l.paper.id).filter((id) => !today.has(id))
            for (const [s, ps] of await loadGivenPapers(tx, date, more, only)) {
              const set = sent.get(s)
              if (set) for (const p of ps) set.add(p)
              else sent.set(s, ps)
            }
            ms.load += lap()
          }
          const given = (id: number) => sent.get(id) ?? EMPTY
          const dailyReaders = page.readers.filter((r) => r.frequency === 'daily')
          const plans = planReaders(daily.day, dailyReaders, given, stats, caches.daily)
          if (weekly) plans.push(...planReaders(weekly.day, weeklyReaders, given, stats, caches.weekly))
          ms.match = (ms.match ?? 0) + lap()
          await settle()
          const next: ReaderPage | null =
            page.lastId === null ? null : await loadDueReaderPage(tx, date, page.lastId, READER_PAGE)
          ms.load += lap()
          writing = writer.write(tx, date, plans)
          // Handled when settled; this only keeps a failure meanwhile from counting as unhandled.
          writing.catch(() => {})
          // Let the statement reach the server before the next page's matching holds the thread.
          await new Promise((resolve) => setTimeout(resolve, 1))
          page = next
        }
        await settle()
        return { date, due: due + alreadyPlanned, ...written, alreadyPlanned }
      },
      // Waiting for another planner counts against this timeout; 100,000 readers take seconds.
      { timeout: 10 * 60_000, maxWait: 30_000 },
    )
    const totals = await writer.finish(date, report)
    ms.finish = lap()
    log.info(
      {
        ...report,
        stored: writer.stores,
        totals,
        rankings: stats.rankings,
        ms: { ...ms, total: Date.now() - started },
      },
      writer.stores ? 'digest planned' : 'digest planned in memory (nothing stored)',
    )
    return report
  } catch (err) {
    await writer.fail(date, err instanceof Error ? err.message : String(err)).catch(() => {})
    throw err
  }
}
