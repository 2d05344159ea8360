// startWorker: the long-running send loop of `npm start` and `npm run worker`. It polls
// for due deliveries (any date), sends them, closes the runs it finishes, and on stop()
// lets in-flight sends finish and record before handing unsent claims back.
import { finishDeliveredRuns } from '../db/digest-runs'
import { createLoop, type DeliverDeps, type DeliverOptions, drive } from './loop-driver'
import type { DeliverSummary } from './send-loop'

// The module delivery's users import: the worker, and the one-shot deliverDue beside it.
export { type DeliverResult, deliverDue } from './deliver-due'
export { type DeliverDeps, type DeliverOptions, newWorkerId } from './loop-driver'
export type { DeliverSummary, RenderDeliveries } from './send-loop'

export type Worker = {
  readonly workerId: string
  readonly summary: Readonly<DeliverSummary>
  /** Stops claiming, lets in-flight sends finish and record, hands unsent claims back. */
  stop(): Promise<void>
  /** Settles when the worker has stopped (rejects only on a bug, never on a send failure). */
  readonly done: Promise<void>
}

/** Runs the send loop until stop() (or `signal`), polling every `pollMs` (2 s) when idle. */
export function startWorker(deps: DeliverDeps, opts: DeliverOptions = {}): Worker {
  const loop = createLoop(deps, opts)
  const pollMs = opts.pollMs ?? 2_000
  const done = drive(loop, deps, opts.signal, pollMs, async () => {
    try {
      await finishDeliveredRuns(deps.prisma, [...loop.touchedDates])
      loop.touchedDates.clear()
    } catch (err) {
      // The database is away; the dates stay listed and are closed on a later idle turn.
      deps.log.warn({ err }, 'closing finished runs failed')
    }
    return pollMs
  })
  done.catch((err) => deps.log.error({ err }, 'delivery worker crashed'))
  deps.log.info(
    {
      workerId: loop.s.workerId,
      concurrency: loop.s.concurrency,
      inFlight: loop.s.inFlight,
      rate: loop.s.rate,
    },
    'delivery worker started',
  )
  return {
    workerId: loop.s.workerId,
    summary: loop.summary,
    done,
    async stop() {
      loop.stop()
      await done.catch(() => {})
    },
  }
}
