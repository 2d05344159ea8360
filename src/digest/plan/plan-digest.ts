// planDigest answers "what does each reader get on date D?" — the one planner behind the
// daily run, `npm run digest -- --dry-run`, `npm run preview` and POST /api/preview's
// reader view. Its writer decides what happens to the answer: the daily run's stores one
// Delivery per due reader and date, with its papers, in bulk; the others keep it in memory.
// Planning goes in pages of readers by id, each page its own short transaction: a page reads
// its due readers (those without a Delivery for the date yet), what they were already given,
// plans them and writes them, and commits. Killed at any moment, the next run carries on with
// the readers not planned yet, and no structure outlives a page but the ranked lists per
// interest set. A storing page holds a transaction-level advisory lock, and its reads happen
// under it, so two planners at once, or two backfilled dates at once, see each other's
// committed pages: no reader is planned twice, and no paper is given twice to a reader (the
// unique (subscriberId, date) is the backstop).
import type { Db } from '../../db/prisma'
import type { Logger } from '../../log'
import type { TopicModel } from '../../matching'
import { loadTopicCatalog, type TopicCatalog, type TopicCatalogSource } from '../topic-catalog'
import {
  countAlreadyPlanned,
  type DueReader,
  firstListedDate,
  loadDueReaderPage,
  loadGivenPapers,
  type ReaderPage,
} from './due-readers'
import { loadPlanDay, type PlanDay } from './plan-day'
import { newRankCache, type PlanStats, planReaders } from './plan-readers'
import { type PlanWriter, storingWriter } from './plan-writer'
import { loadReaderVotes, newVotedPaperCache, type VotedPaperCache } from './reader-votes'
import type { Frequency } from './schedule'

export interface PlanDeps {
  prisma: Db
  log: Logger
  topicModel: TopicModel
  /**
   * The process's topic catalog (src/deps.ts); without one, the catalog is compiled for this
   * plan. And its voted papers' vectors, kept across plans; without, kept for this plan.
   */
  caches?: { topics: TopicCatalogSource; votedPapers?: VotedPaperCache }
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
  /** Readers per committed page (default PLAN_PAGE_READERS). */
  pageSize?: number
}

/** Key of the planner's lock (single-int key space; the run lock uses the two-int one). */
const PLAN_LOCK = 0x5042504c // 'PBPL'
const EMPTY = new Set<number>()
/**
 * Readers loaded, planned, written and committed at a time: a few MB of rows and plans, and
 * at most this many readers' work lost to a kill. 5,000 measured as fast as 20,000.
 */
export const PLAN_PAGE_READERS = 5_000

export async function planDigest(deps: PlanDeps, opts: PlanOptions): Promise<PlanReport> {
  const { prisma, log } = deps
  const { date } = opts
  const writer = opts.writer ?? storingWriter(prisma)
  const source: PlanDaySource = opts.source ?? ((t, d, f) => loadPlanDay(prisma, t, d, f))
  const pageSize = opts.pageSize ?? PLAN_PAGE_READERS
  const started = Date.now()
  const topics = await (deps.caches?.topics.load() ?? loadTopicCatalog(prisma, deps.topicModel))
  // Fails before touching the run when the date has no list: there is nothing to plan from.
  const daily = await source(topics, date, 'daily')
  await writer.begin(date, deps.topicModel.version)
  try {
    const stats: PlanStats = { rankings: 0, personal: 0 }
    const votedPapers = deps.caches?.votedPapers ?? newVotedPaperCache()
    // Where the time goes, in the log line: waiting for the lock, loading, matching, writing.
    const ms: Record<string, number> = { lock: 0, load: 0, match: 0, write: 0 }
    let mark = Date.now()
    const lap = () => {
      const now = Date.now()
      const spent = now - mark
      mark = now
      return spent
    }
    // Readers an earlier run (perhaps killed half-way) planned already: left as they are.
    const alreadyPlanned = opts.readers || writer.stores ? 0 : await countAlreadyPlanned(prisma, date)
    let weekly: PlanDay | undefined
    const weeklyDay = async () => (weekly ??= await source(topics, date, 'weekly'))
    // Deliveries older than the first listing of any paper in the window cannot hold one.
    const dailyIds = daily.listed.map((l) => l.paper.id)
    const since = {
      daily: await firstListedDate(prisma, dailyIds),
      weekly: undefined as string | null | undefined,
    }
    const caches = { daily: newRankCache(), weekly: newRankCache() }
    const written = { planned: 0, skipped: 0, pages: 0 }
    let due = 0

    // One page's reads: its due readers and what they were already given, in one short
    // read-only transaction (JIT off: compiling the reader query costs more than running it).
    type Loaded = {
      page: ReaderPage
      week: PlanDay | undefined
      given: Map<number, Set<number>>
      votes: Awaited<ReturnType<typeof loadReaderVotes>>
    }
    const loadPage = (afterId: number): Promise<Loaded> =>
      prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SET LOCAL jit = off`
          // A plan for this page's values, never a generic one: a prepared statement run for
          // the sixth time may get a plan that ignores the date and the ids (a scan of the
          // whole ledger for every page).
          await tx.$executeRaw`SET LOCAL plan_cache_mode = force_custom_plan`
          const page: ReaderPage = opts.readers
            ? { readers: opts.readers, lastId: null }
            : await loadDueReaderPage(tx, date, afterId, pageSize)
          const ids = (frequency: Frequency) =>
            page.readers.filter((r) => r.frequency === frequency).map((r) => r.subscriberId)
          const weeklyIds = ids('weekly')
          const week = weeklyIds.length ? await weeklyDay() : undefined
          const weekIds = week?.listed.map((l) => l.paper.id) ?? []
          if (week && since.weekly === undefined) since.weekly = await firstListedDate(tx, weekIds)
          // Each kind of reader against its own window's papers: a daily reader's read stays small.
          const given = await loadGivenPapers(tx, date, dailyIds, ids('daily'), since.daily)
          if (week)
            for (const [s, papers] of await loadGivenPapers(
              tx,
              date,
              weekIds,
              weeklyIds,
              since.weekly ?? null,
            ))
              given.set(s, papers)
          // Readers with votes are planned with their own model (the others per interest set).
          const votes = await loadReaderVotes(
            tx,
            page.readers.map((r) => r.subscriberId),
            deps.topicModel.space,
            topics,
            votedPapers,
          )
          return { page, week, given, votes }
        },
        { timeout: 120_000, maxWait: 60_000 },
      )

    // The pages, with one page's write overlapping the next page's reads and matching: each
    // page's readers differ, and the plan lock keeps other planners out, so neither changes
    // what the other reads. A page is written by one statement per WRITE_CHUNK readers, each
    // atomic: a kill keeps whole chunks, and the next run plans the rest.
    const pages = async () => {
      let writing: Promise<void> | undefined
      let next: Promise<Loaded> | undefined = loadPage(0)
      try {
        while (next) {
          const { page, week, given, votes }: Loaded = await next
          ms.load! += lap()
          next = page.lastId === null ? undefined : loadPage(page.lastId)
          // Handled when awaited; this keeps a failure meanwhile from counting as unhandled.
          next?.catch(() => {})
          const sentTo = (id: number) => given.get(id) ?? EMPTY
          const personal = {
            votesOf: (id: number) => votes.get(id),
            space: deps.topicModel.space,
            names: deps.topicModel.names,
          }
          const plans = planReaders(
            daily.day,
            page.readers.filter((r) => r.frequency === 'daily'),
            sentTo,
            stats,
            caches.daily,
            personal,
          )
          if (week)
            plans.push(
              ...planReaders(
                week.day,
                page.readers.filter((r) => r.frequency === 'weekly'),
                sentTo,
                stats,
                caches.weekly,
                personal,
              ),
            )
          ms.match! += lap()
          await writing
          ms.write! += lap()
          due += page.readers.length
          writing = writer.write(prisma, date, plans).then((counts) => {
            written.planned += counts.planned
            written.skipped += counts.skipped
            written.pages++
            // The event a test (or an operator tailing the log) waits for: this page is committed.
            log.debug({ date, page: written.pages, readers: plans.length, ...counts }, 'plan page committed')
          })
          writing.catch(() => {})
        }
        await writing
        ms.write! += lap()
      } finally {
        // A failed page leaves no statement running behind the caller's back.
        await Promise.allSettled([writing, next])
      }
    }

    if (writer.stores) {
      // The plan lock, held by a transaction that does nothing else for the whole run: two
      // planners (or two backfilled dates) take turns, and a killed process's lock goes with
      // its connection. The pages commit on their own, outside it.
      await prisma.$transaction(
        async (lock) => {
          await lock.$executeRaw`SELECT pg_advisory_xact_lock(${PLAN_LOCK}::int)`
          ms.lock! += lap()
          await pages()
        },
        { timeout: 6 * 3_600_000, maxWait: 60_000 },
      )
    } else await pages()

    // Stored, every due reader now has a Delivery: counting them also takes in the pages another
    // planner committed meanwhile (those readers were already planned, as far as this run goes).
    const dueNow =
      writer.stores && !opts.readers ? await countAlreadyPlanned(prisma, date) : due + alreadyPlanned
    const created = written.planned + written.skipped
    const report: PlanReport = {
      date,
      due: Math.max(dueNow, created),
      planned: written.planned,
      skipped: written.skipped,
      alreadyPlanned: Math.max(dueNow, created) - created,
    }
    const totals = await writer.finish(date, report)
    ms.finish = lap()
    log.info(
      {
        ...report,
        stored: writer.stores,
        totals,
        pages: written.pages,
        rankings: stats.rankings,
        personal: stats.personal,
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
