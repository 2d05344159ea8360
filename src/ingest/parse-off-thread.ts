// Parses a document in a worker thread with its own small heap and a deadline, so a hostile
// feed can cost at most PARSE_LIMITS of memory and time, and never blocks the HTTP event
// loop of the process that fetched it (a 20,000-level document used to stop /healthz and
// SIGTERM for over a minute). A worker that runs out of heap or time is ended and the
// document refused with a one-line reason; the process itself carries on.
//
// The time limit counts the parsing thread's CPU (on Linux; wall time elsewhere), from the
// moment the document reaches the parser: on a shared machine the wall clock also counts the
// wait for a core, and refused a document for the machine's load rather than its cost.
import { Worker } from 'node:worker_threads'
import { IngestError, type IngestErrorCode } from './ingest-error'
import type { ParseResult } from './parse-input'
import type { Format } from './parsed-paper'
import { threadCpuMs } from './thread-cpu'

export const PARSE_LIMITS = { timeoutMs: 8_000, heapMb: 128 } as const

// A thread that waits this many times its CPU budget in wall time is stopped all the same,
// so a parser that blocks without spending CPU cannot hold the ingest forever (never sooner
// than MIN_WALL_MS: a load spike is not a hostile document); one that has not even started
// in MIN_WALL_MS is broken.
const WALL_FACTOR = 8
const MIN_WALL_MS = 30_000
const CPU_POLL_MS = 100

type Answer =
  | { started: true; tid: string | undefined }
  | { ok: true; result: ParseResult }
  | { ok: false; code: IngestErrorCode; message: string }

/** `input`: the document as text, or as UTF-8 bytes (copied to the worker: at most MAX_DOCUMENT_BYTES). */
export function parseOffThread(
  input: string | Uint8Array,
  options: { format?: Format; limits?: { timeoutMs: number; heapMb: number } } = {},
): Promise<ParseResult> {
  const limits = options.limits ?? PARSE_LIMITS
  const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
    workerData: { input, format: options.format },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    // The parent's --max-old-space-size would override resourceLimits in the worker.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--max-old-space-size')),
  })
  return new Promise<ParseResult>((resolve, reject) => {
    let settled = false
    let poll: NodeJS.Timeout | undefined
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(wallTimer)
      clearInterval(poll)
      fn()
      void worker.terminate()
    }
    const refuse = (message: string) => settle(() => reject(new IngestError('parse-failed', message)))
    const seconds = limits.timeoutMs / 1000
    let wallTimer = setTimeout(() => refuse('the parser did not start'), MIN_WALL_MS)
    const startBudget = (tid: string | undefined) => {
      clearTimeout(wallTimer)
      const base = tid === undefined ? undefined : threadCpuMs(tid)
      if (tid === undefined || base === undefined) {
        wallTimer = setTimeout(
          () => refuse(`refused: parsing took longer than ${seconds} s`),
          limits.timeoutMs,
        )
        return
      }
      const wallMs = Math.max(limits.timeoutMs * WALL_FACTOR, MIN_WALL_MS)
      wallTimer = setTimeout(() => refuse(`refused: parsing took longer than ${wallMs / 1000} s`), wallMs)
      poll = setInterval(() => {
        const used = threadCpuMs(tid)
        if (used !== undefined && used - base > limits.timeoutMs) {
          refuse(`refused: parsing took more than ${seconds} s of CPU`)
        }
      }, CPU_POLL_MS)
    }
    worker.on('message', (answer: Answer) => {
      if ('started' in answer) startBudget(answer.tid)
      else
        settle(() =>
          answer.ok ? resolve(answer.result) : reject(new IngestError(answer.code, answer.message)),
        )
    })
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          new IngestError(
            'parse-failed',
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `refused: parsing needed more than ${limits.heapMb} MB`
              : `the parser failed: ${err.message || err.code || err.name}`,
          ),
        ),
      ),
    )
    worker.once('exit', (code) =>
      settle(() => reject(new IngestError('parse-failed', `the parser stopped (exit code ${code})`))),
    )
  })
}
