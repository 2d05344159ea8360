// The background loop shared by the ledgers the HTTP process works off after answering:
// stored signups (signup-queue.ts) and journey emails (journey-mail.ts). Both are tables of
// due rows that any process may claim; what differs is how one row is done. The pump runs
// up to `concurrency` loops that each take rows until none is free, looks again when the
// earliest waiting row falls due (a retry's backoff), and with start() also every `pollMs`,
// so rows a killed process left behind are picked up by whichever process runs.

import type { Logger } from '../log'

export type LedgerPump = {
  /** Works off every due row now, in the background. */
  wake(): void
  /** Resolves once no due row is left undone (rows another process holds included). */
  drain(): Promise<void>
  /** Also look for due rows every `pollMs`. */
  start(): void
  /** Stops taking rows and waits for the rows in progress. */
  stop(): Promise<void>
}

export type LedgerPumpSpec = {
  log: Logger
  /** What the rows are, for the log: "journey emails", "signups". */
  what: string
  /** Loops at once in this process. */
  concurrency: number
  pollMs: number
  /** Claims and finishes one due row; false when none was free. */
  takeOne(): Promise<boolean>
  /** When the earliest waiting row falls due; null when none waits. */
  nextDueAt(): Promise<Date | null>
  /** Called after each row a loop finished. */
  afterEach?(): void
}

/** How long drain() waits before looking again at a due row another process holds. */
const HELD_ROW_RECHECK_MS = 20

export function createLedgerPump(spec: LedgerPumpSpec): LedgerPump {
  const { log, what } = spec
  const running = new Set<Promise<void>>()
  // Wake-ups that arrived while every loop was busy: a loop that finds nothing looks again.
  let missed = 0
  let polling = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  async function loop() {
    try {
      for (;;) {
        while (!stopped && (await spec.takeOne())) spec.afterEach?.()
        if (stopped || missed === 0) return
        missed--
      }
    } catch (err) {
      log.error({ err }, `working off ${what} failed`)
    }
  }

  function wake() {
    if (stopped) return
    if (running.size >= spec.concurrency) {
      missed++
      return
    }
    const job = loop().finally(() => {
      running.delete(job)
      if (running.size === 0) void schedule()
    })
    running.add(job)
  }

  /** Next look: at the earliest waiting row's time, or the poll, whichever comes first. */
  async function schedule() {
    clearTimeout(timer)
    if (stopped) return
    let wait = polling ? spec.pollMs : Number.POSITIVE_INFINITY
    try {
      const next = await spec.nextDueAt()
      if (next) wait = Math.min(wait, Math.max(20, next.getTime() - Date.now() + 5))
    } catch (err) {
      log.warn({ err }, `looking for waiting ${what} failed`)
      wait = Math.min(wait, spec.pollMs)
    }
    if (Number.isFinite(wait) && !stopped && running.size === 0) timer = setTimeout(wake, wait).unref()
  }

  async function settle() {
    while (running.size > 0) await Promise.allSettled([...running])
  }

  return {
    wake,
    async drain() {
      for (;;) {
        await settle()
        const next = await spec.nextDueAt()
        if (stopped || !next || next.getTime() > Date.now()) return
        // Due but held by another process (or just stored): look again shortly.
        await new Promise((r) => setTimeout(r, HELD_ROW_RECHECK_MS))
        wake()
      }
    },
    start() {
      polling = true
      wake()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await settle()
    },
  }
}
