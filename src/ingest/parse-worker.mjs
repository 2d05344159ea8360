// The worker thread side of parse-off-thread.ts. Plain JavaScript because a worker starts
// without the TypeScript loader of its parent when that parent is vitest; it registers
// tsx itself and then runs the one parser entry point on the document it is given.
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { parseInput } = await import('./parse-input.ts')
const { IngestError } = await import('./ingest-error.ts')
const { currentThreadId } = await import('./thread-cpu.ts')

// The parent starts the document's CPU budget here, after this thread's own start-up.
parentPort.postMessage({ started: true, tid: currentThreadId() })

try {
  const text =
    typeof workerData.input === 'string' ? workerData.input : new TextDecoder().decode(workerData.input)
  parentPort.postMessage({ ok: true, result: parseInput(text, { format: workerData.format }) })
} catch (err) {
  const known = err instanceof IngestError
  parentPort.postMessage({
    ok: false,
    code: known ? err.code : 'parse-failed',
    message: known ? err.message : `the parser failed: ${err?.message || err?.name || String(err)}`,
  })
}
