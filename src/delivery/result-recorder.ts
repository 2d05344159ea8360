// Group commit for send results. Each send waits until its outcome is written, so a
// message the server accepted is unrecorded only while it is one of the in-flight sends
// (the bound on duplicates after a crash); meanwhile every outcome that arrived during a
// write goes into the next one, so under load a write carries many rows, and with little
// traffic it carries one without waiting for company.
import type { Logger } from '../log'
import { backoffMs } from './backoff'
import type { Outcome, RecordReport } from './delivery-store'

type Entry = { outcome: Outcome; resolve: (recorded: boolean) => void }

export class ResultRecorder {
  private pending: Entry[] = []
  private running: Promise<void> | null = null

  constructor(
    private readonly write: (outcomes: Outcome[]) => Promise<RecordReport>,
    private readonly onWritten: (outcomes: Outcome[], report: RecordReport) => void,
    private readonly log: Logger,
    /**
     * Once the loop is stopping, how long to keep retrying a failed write before giving up.
     * Until then it never gives up: a send slot stays taken while its result is unwritten,
     * so with the database away no new message goes out whose result could not be kept
     * (the bound on duplicates holds through a database outage too).
     */
    private readonly giveUpAfterMs: number,
    private readonly stopping: () => boolean,
  ) {}

  /** Resolves true once written, false if the row was no longer ours (or the database never answered). */
  record(outcome: Outcome): Promise<boolean> {
    return new Promise((resolve) => {
      this.pending.push({ outcome, resolve })
      this.running ??= this.loop()
    })
  }

  /** Resolves when everything handed in so far has been written (or given up on). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 2_000)
        const outcomes = batch.map((e) => e.outcome)
        const started = performance.now()
        const report = await this.writeWithRetry(outcomes)
        this.log.debug(
          { rows: outcomes.length, ms: Math.round(performance.now() - started) },
          'results recorded',
        )
        if (report) this.onWritten(outcomes, report)
        for (const e of batch) e.resolve(report?.recorded.has(e.outcome.id) ?? false)
      }
    } finally {
      this.running = null
    }
  }

  private async writeWithRetry(outcomes: Outcome[]): Promise<RecordReport | null> {
    const started = Date.now()
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(outcomes)
      } catch (err) {
        // A deadlock with another worker or a database restart: the same write is safe to repeat.
        if (this.stopping() && Date.now() - started > this.giveUpAfterMs) {
          this.log.error(
            { err, rows: outcomes.length },
            'could not record send results; their leases will expire',
          )
          return null
        }
        this.log[attempt < 5 ? 'warn' : 'error']({ err, attempt }, 'recording send results failed, retrying')
        await new Promise((r) => setTimeout(r, backoffMs(attempt, { baseMs: 100, maxMs: 5_000 })))
      }
    }
  }
}
