// Starting a date's digest run from the admin API or the dashboard's "run again" button:
// the answer comes as soon as the run holds the date (or another one does), and the run
// goes on in the background. Runs still going when the app closes are stopped between
// steps and stay resumable, like the scheduler's. Built once per app (app.ts).
import type { Deps } from '../deps'
import { startDigestRun } from '../jobs/run-digest'

/** Where the run's end is logged (the request's logger). */
export type RunLog = { info(obj: object, msg: string): void; error(obj: object, msg: string): void }

export type RunStarter = {
  /** 'busy' when another run of the date is in progress. */
  start(date: string, log: RunLog): Promise<'started' | 'busy'>
  close(): Promise<void>
}

export function createRunStarter(deps: Deps): RunStarter {
  const controller = new AbortController()
  const running = new Set<Promise<unknown>>()
  return {
    async start(date, log) {
      const start = await startDigestRun(deps, { date, signal: controller.signal })
      if (!start.started) return 'busy'
      const done = start.done
        .then((report) =>
          log.info({ date, outcome: report.outcome, error: report.error }, 'admin digest run ended'),
        )
        .catch((err: unknown) => log.error({ date, err }, 'admin digest run crashed'))
        .finally(() => running.delete(done))
      running.add(done)
      return 'started'
    },
    async close() {
      controller.abort(new Error('server closing'))
      await Promise.allSettled([...running])
    },
  }
}
