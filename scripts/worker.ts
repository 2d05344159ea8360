// `npm run worker`: only a delivery worker (digests and the journey emails) — no HTTP server, no scheduler — for the
// machines that add sending capacity beside `npm start`. It runs until SIGINT/SIGTERM,
// then finishes the sends in flight, hands unsent claims back and closes the database.
import { loadConfig } from '../src/config/env'
import { type DeliverOptions, startWorker } from '../src/delivery/worker'
import { createDeps } from '../src/deps'
import { IsoDate } from '../src/ingest/ingest-day'
import { parseFlags, runCli, UsageError, wholeNumber } from './cli'

const HELP = `Usage: npm run worker -- [--date YYYY-MM-DD] [--concurrency N] [--in-flight N] [--rate N] [--batch-size N] [--lease-ms MS] [--poll-ms MS]

Runs a delivery worker until SIGINT or SIGTERM: claims due deliveries from the database
(shared safely with any number of other workers), sends them through SMTP_URL (or writes
them to OUTBOX_DIR), and records each result. Stopping finishes the sends in flight.

  --date YYYY-MM-DD   only deliveries of this date (default: every due one)
  --concurrency N     SMTP connections (default SEND_CONCURRENCY)
  --in-flight N       messages sent but not yet recorded at once (default 2 × concurrency):
                      after a crash, at most this many can reach a reader twice
  --rate N            messages per second of all workers together (default SEND_RATE)
  --batch-size N      deliveries claimed at a time (default 10 × concurrency, at least 50)
  --lease-ms MS       how long a claim outlives a worker that died (default 120000)
  --poll-ms MS        how often an idle worker looks for work (default 2000)`

const INT_FLAGS = {
  concurrency: [1, 100],
  'in-flight': [1, 1_000],
  'batch-size': [1, 5_000],
  'lease-ms': [1_000, 3_600_000],
  'poll-ms': [10, 600_000],
} as const

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    date: { type: 'string' },
    rate: { type: 'string' },
    ...Object.fromEntries(Object.keys(INT_FLAGS).map((k) => [k, { type: 'string' as const }])),
  })
  const opts: DeliverOptions = {}
  if (values.date !== undefined) {
    const d = IsoDate.safeParse(values.date)
    if (!d.success) throw new UsageError(`--date ${d.error.issues[0]?.message}`)
    opts.date = d.data
  }
  const int = (name: keyof typeof INT_FLAGS) =>
    wholeNumber(values, name, INT_FLAGS[name][0], INT_FLAGS[name][1])
  opts.concurrency = int('concurrency')
  opts.inFlight = int('in-flight')
  opts.batchSize = int('batch-size')
  opts.leaseMs = int('lease-ms')
  opts.pollMs = int('poll-ms')
  if (values.rate !== undefined) {
    const r = Number(values.rate)
    if (!(r > 0 && r <= 10_000))
      throw new UsageError('--rate must be a number of messages per second, above 0 and at most 10000')
    opts.rate = r
  }

  const config = loadConfig()
  // --concurrency is the SMTP pool's size (createMailer sizes it from sendConcurrency).
  const deps = await createDeps(opts.concurrency ? { ...config, sendConcurrency: opts.concurrency } : config)
  const worker = startWorker(deps, opts)
  // Journey emails (confirmation, welcome, manage) left queued by any process go out from here too.
  // So are signups stored and not decided (a process killed between the 202 and the decision).
  deps.signups.start()
  deps.journeyMail.start()
  deps.log.info(
    { workerId: worker.workerId, mail: deps.mailer.kind },
    'worker running; SIGINT or SIGTERM stops it',
  )
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
    worker.done.then(() => resolve('stopped'))
  })
  deps.log.info({ signal }, 'stopping: finishing the sends in flight')
  await worker.stop()
  deps.log.info({ workerId: worker.workerId, ...worker.summary }, 'delivery worker stopped')
  await deps.close()
})
