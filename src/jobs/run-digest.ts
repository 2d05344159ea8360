// Jobs: the daily run and what triggers it. runDigest(date) is the whole day — ingest
// (unless the date already has a list) → plan → deliver — recorded on the date's
// DigestRun, and idempotent: run it twice, from the CLI, the admin API, or the cron
// trigger on every instance, and each reader still gets one email. One process at a time
// holds a date's run (a PostgreSQL advisory lock, run-lock.ts); the others return at once
// ('busy') and leave delivering to the workers that every instance runs. The scheduler
// (scheduler.ts) is only a trigger: it decides when, never what.

import { hostname } from 'node:os'
import type { DigestPhase } from '../../prisma/generated/client'
import {
  beginRun,
  failRun,
  finishEmpty,
  type RunStatus,
  readRun,
  recordSource,
  releaseRun,
} from '../db/digest-runs'
import { deliverDue } from '../delivery/deliver-due'
import { newWorkerId } from '../delivery/loop-driver'
import type { Deps } from '../deps'
import { planDigest } from '../digest/plan'
import { pruneDeliveryDetail } from '../digest/retention'
import { failureReason } from '../failure-reason'
import { IsoDate, storeDay } from '../ingest/ingest-day'
import { dryRunDigest } from './dry-run'
import { dayList } from './fetch-list'
import { type RunLock, tryLockRun } from './run-lock'
import type { RunDigestOptions, RunOutcome, RunReport } from './run-report'

export type {
  DeliverySummary,
  DryRunReader,
  IngestSummary,
  PlanSummary,
  RunDigestOptions,
  RunOutcome,
  RunReport,
} from './run-report'

export const RUN_OWNER = `${hostname()}:${process.pid}`

export type StartedRun =
  | { started: true; done: Promise<RunReport> }
  | { started: false; run: RunStatus | null }

/**
 * Takes the date's run lock and starts the run without waiting for it: { started: false }
 * when another process (or another call in this one) holds the date. The admin API uses
 * this to answer 202 or 409 at once.
 */
export async function startDigestRun(deps: Deps, opts: RunDigestOptions): Promise<StartedRun> {
  const date = IsoDate.parse(opts.date)
  if (opts.dryRun) return { started: true, done: dryRunDigest(deps, { ...opts, date }) }
  const lock = await tryLockRun(deps.db.url, date)
  if (!lock) return { started: false, run: await readRun(deps.prisma, date) }
  let attempts: number
  try {
    // Opened before answering, so a status read right after a 202 sees the run.
    ;({ attempts } = await beginRun(deps.prisma, date, RUN_OWNER))
  } catch (err) {
    await lock.release()
    throw err
  }
  const done = execute(deps, { ...opts, date }, lock, attempts).finally(async () => {
    await releaseRun(deps.prisma, date, RUN_OWNER).catch(() => {})
    await lock.release()
  })
  return { started: true, done }
}

/** The whole day, or 'busy' when another process is running it. */
export async function runDigest(deps: Deps, opts: RunDigestOptions): Promise<RunReport> {
  const start = await startDigestRun(deps, opts)
  if (start.started) return start.done
  return { ...empty(opts.date, 'busy', start.run), error: `a run of ${opts.date} is already in progress` }
}

function empty(date: string, outcome: RunOutcome, run: RunStatus | null): RunReport {
  return { date, outcome, run, ingest: null, plan: null, delivery: null, error: null }
}

async function execute(
  deps: Deps,
  opts: RunDigestOptions & { date: string },
  lock: RunLock,
  attempts: number,
): Promise<RunReport> {
  const { prisma, log } = deps
  const { date } = opts
  const report = empty(date, 'failed', null)
  const finish = async (outcome: RunOutcome, error: string | null = null) => {
    report.outcome = outcome
    report.error = error
    report.run = await readRun(prisma, date)
    return report
  }
  try {
    log.info({ date, attempts }, 'digest run started')

    const list = await dayList(deps, opts, { record: true, attemptsSoFar: attempts })
    if (list.kind === 'kept') {
      report.ingest = { action: 'kept', reason: list.reason }
    } else {
      if (list.kind === 'failed') {
        await failRun(prisma, date, list.reason)
        log.error({ date, attempts: list.attempts, reason: list.reason }, 'digest run failed: no list')
        return finish('failed', list.reason)
      }
      if (list.kind === 'nothing-today') {
        await finishEmpty(prisma, date, list.source)
        report.ingest = { action: 'nothing-today', reason: list.reason }
        log.info({ date, reason: list.reason }, 'digest run: nothing to send today')
        return finish('nothing-today')
      }
      if (!lock.held) throw new Error('lost the run lock (database connection closed)')
      const stored = await storeDay(prisma, list.day)
      await recordSource(prisma, date, stored.source)
      report.ingest = {
        action: 'stored',
        source: stored.source,
        format: stored.format,
        parsed: stored.parsed,
        stored: stored.stored,
        skipped: stored.skipped.length,
      }
    }

    if (!lock.held) throw new Error('lost the run lock (database connection closed)')
    const { due, planned, skipped, alreadyPlanned } = await planDigest(
      { prisma, log, topicModel: deps.topicModel },
      { date, pageSize: deps.config.planPageReaders },
    )
    report.plan = { due, planned, skipped, alreadyPlanned }
    // Old emails' reasons go (their papers stay: never resend). A failure here is logged, not
    // the run's: the day's emails matter more than a tidy ledger.
    await pruneDeliveryDetail(prisma, date, deps.config.retentionDays).then(
      (pruned) => pruned.dates > 0 && log.info({ date, ...pruned }, 'old delivery reasons pruned'),
      (err) => log.warn({ date, err: failureReason(err) }, 'pruning old delivery reasons failed'),
    )
    if (opts.deliver === false) return finish('planned')

    // Closes the run ('done') once nothing of the date is pending or sending.
    const sent = await deliverDue(deps, {
      date,
      workerId: newWorkerId(),
      maxWaitMs: opts.settleMs,
      signal: opts.signal,
    })
    report.delivery = {
      sent: sent.sent,
      failed: sent.failed,
      retried: sent.retried,
      bounced: sent.bounced,
      left: sent.left,
    }
    if (opts.signal?.aborted) return finish('stopped')
    const phase: DigestPhase | undefined = (await readRun(prisma, date))?.phase
    log.info({ date, phase, ...report.plan, ...report.delivery }, 'digest run finished')
    return finish(phase === 'done' ? 'done' : 'delivering')
  } catch (err) {
    if (opts.signal?.aborted) {
      // Stopped on purpose (shutdown): the run stays unfinished and resumable.
      log.info({ date }, 'digest run stopped; it resumes on the next start')
      return finish('stopped')
    }
    const reason = failureReason(err)
    log.error({ date, err }, 'digest run failed')
    await failRun(prisma, date, reason).catch(() => {})
    return finish('failed', reason).catch(() => ({ ...report, outcome: 'failed' as const, error: reason }))
  }
}
