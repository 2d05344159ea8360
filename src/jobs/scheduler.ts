// The cron trigger: fires runDigest at DIGEST_CRON (in DIGEST_TZ) for the previous day's list. Every
// instance may run it; the run lock lets one of them work and the others return 'busy'.
// node-cron does not catch up on firings missed while the process was down, so on start
// it asks due-today.ts whether today's run was due already and, if its DigestRun is
// missing or unfinished, runs it now. stop() aborts a run in progress between steps (it
// stays unfinished and resumes on the next start) and waits for it to let go.
import cron from 'node-cron'
import { readRun } from '../db/digest-runs'
import type { Deps } from '../deps'
import { lastDueToday, listDateFor, localDate, resumeDecision } from './due-today'
import { type RunDigestOptions, runDigest } from './run-digest'

export type Scheduler = {
  /** The start-up check for a run missed while the process was down, once it has decided. */
  readonly checked: Promise<{ resumed: boolean; reason: string }>
  stop(): Promise<void>
}

export type SchedulerOptions = {
  /** Extra options for every triggered run (tests shrink the late-list wait). */
  run?: Omit<RunDigestOptions, 'date' | 'signal'>
  /** The clock of the start-up check (tests pass a fixed one). */
  now?: () => Date
}

export class SchedulerConfigError extends Error {}

export function startScheduler(deps: Deps, opts: SchedulerOptions = {}): Scheduler {
  const { config, log } = deps
  if (!config.schedulerEnabled) {
    log.info('scheduler disabled (SCHEDULER_ENABLED=false): this instance only delivers')
    return {
      checked: Promise.resolve({ resumed: false, reason: 'scheduler disabled' }),
      stop: async () => {},
    }
  }
  const { digestCron: pattern, digestTz: tz } = config
  const check = cron.validateDetailed(pattern)
  if (!check.valid)
    throw new SchedulerConfigError(
      `DIGEST_CRON "${pattern}" is not a cron pattern: ${check.errors[0]?.message ?? 'invalid'}`,
    )

  const controller = new AbortController()
  const running = new Set<Promise<void>>()
  const trigger = (date: string, why: string) => {
    if (controller.signal.aborted) return
    log.info({ date, why }, 'digest run triggered')
    const p = runDigest(deps, { ...opts.run, date, signal: controller.signal })
      .then((report) => {
        const level = report.outcome === 'failed' ? 'error' : 'info'
        log[level](
          { date, outcome: report.outcome, error: report.error, phase: report.run?.phase },
          'digest run ended',
        )
      })
      .catch((err: unknown) => log.error({ date, err }, 'digest run crashed'))
      .finally(() => running.delete(p))
    running.add(p)
  }

  const task = cron.schedule(pattern, (ctx) => trigger(listDateFor(localDate(ctx.date, tz)), 'scheduled'), {
    timezone: tz,
    name: 'paperboy-digest',
  })
  log.info({ cron: pattern, tz, next: task.getNextRun()?.toISOString() }, 'scheduler started')

  const checked = (async () => {
    const due = lastDueToday({
      now: opts.now?.() ?? new Date(),
      tz,
      fields: cron.parse(pattern),
      matches: (at) => task.match(at),
    })
    const dueRun = due && { ...due, date: listDateFor(due.date) }
    const decision = resumeDecision(dueRun, dueRun ? await readRun(deps.prisma, dueRun.date) : null)
    if (decision.resume) trigger(decision.date, `catching up: ${decision.reason}`)
    else log.info({ reason: decision.reason }, 'no digest run to catch up on')
    return { resumed: decision.resume, reason: decision.reason }
  })().catch((err: unknown) => {
    log.error({ err }, 'could not check for a missed digest run')
    return { resumed: false, reason: `the check failed: ${err instanceof Error ? err.message : String(err)}` }
  })

  return {
    checked,
    async stop() {
      await task.destroy()
      controller.abort(new Error('scheduler stopped'))
      await checked
      await Promise.allSettled([...running])
    },
  }
}
