// deliverDue: send everything due (for one date, or all) and return when nothing is left
// to wait for: the CLI, the demo and runDigest call it. It waits for retries that come due
// within `maxWaitMs` (a 451, a server that is down for a while) and gives up waiting after
// `stallMs` without a single outcome, leaving the rest to the workers.
import { finishDeliveredRuns } from '../db/digest-runs'
import { nextWakeAt } from './delivery-store'
import { createLoop, type DeliverDeps, type DeliverOptions, drive } from './loop-driver'
import type { DeliverSummary } from './send-loop'

export type DeliverResult = DeliverSummary & {
  /** Deliveries of the date (or all) still pending or sending when deliverDue returned. */
  left: number
  /** Dates whose DigestRun this call closed (phase 'done'). */
  finished: string[]
  elapsedMs: number
}

/** Sends everything due (for `date`, or all dates) and returns when nothing is left to wait for. */
export async function deliverDue(deps: DeliverDeps, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const started = Date.now()
  const loop = createLoop(deps, opts)
  const pollMs = opts.pollMs ?? 1_000
  const maxWaitMs = opts.maxWaitMs ?? 10 * 60_000
  const stallMs = opts.stallMs ?? 15 * 60_000
  let left = 0
  await drive(loop, deps, opts.signal, pollMs, async () => {
    const wake = await nextWakeAt(deps.prisma, opts.date, opts.clock?.())
    left = wake?.left ?? 0
    if (!wake) return null
    const stalled = Date.now() - loop.lastProgressAt > stallMs
    if (wake.inMs > maxWaitMs || stalled) {
      // Emails waiting for their readers' hours are the plan, not a problem: the workers send them.
      deps.log[stalled ? 'warn' : 'info'](
        { left, nextInMs: Math.round(wake.inMs), date: opts.date },
        'deliverDue: stopping with deliveries left for later',
      )
      return null
    }
    // Not sooner than 20 ms: rows another worker is claiming right now look due but are locked.
    return Math.max(20, Math.min(pollMs, wake.inMs + 5))
  })
  if (!opts.signal?.aborted) left = (await nextWakeAt(deps.prisma, opts.date, opts.clock?.()))?.left ?? 0
  const dates = new Set(loop.touchedDates)
  if (opts.date) dates.add(opts.date)
  const finished = await finishDeliveredRuns(deps.prisma, [...dates])
  return { ...loop.summary, left, finished, elapsedMs: Date.now() - started }
}
