// Parses a document in a worker thread with its own small heap and a deadline, so a hostile
// feed can cost at most PARSE_LIMITS of memory and time, and never blocks the HTTP event
// loop of the process that fetched it (a 20,000-level document used to stop /healthz and
// SIGTERM for over a minute). A worker that runs out of heap or time is ended and the
// document refused with a one-line reason; the process itself carries on.
import { Worker } from 'node:worker_threads'
import { IngestError, type IngestErrorCode } from './ingest-error'
import type { ParseResult } from './parse-input'
import type { Format } from './parsed-paper'

export const PARSE_LIMITS = { timeoutMs: 8_000, heapMb: 128 } as const

type Answer = { ok: true; result: ParseResult } | { ok: false; code: IngestErrorCode; message: string }

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
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
      void worker.terminate()
    }
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new IngestError('parse-failed', `refused: parsing took longer than ${limits.timeoutMs / 1000} s`),
          ),
        ),
      limits.timeoutMs,
    )
    worker.once('message', (answer: Answer) =>
      settle(() =>
        answer.ok ? resolve(answer.result) : reject(new IngestError(answer.code, answer.message)),
      ),
    )
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
