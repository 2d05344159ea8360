// The process: configuration, logging, listen, signals and graceful close. The
// application itself is buildApp(deps) in app.ts.

import { parseArgs } from 'node:util'
import { getHeapStatistics } from 'node:v8'
import { buildApp } from './app'
import { ConfigError, loadConfig } from './config/env'
import { redact } from './db/database'
import { startWorker, type Worker } from './delivery/worker'
import { createDeps } from './deps'
import { type Scheduler, startScheduler } from './jobs/scheduler'

const HELP = `Usage: npm start [-- --help]

Runs Paperboy: the HTTP server (signup, preferences, archive, feeds, admin), a delivery
worker and the daily scheduler, migrating the database first. Configured by environment
variables only (see the README's Configuration): PORT, DATABASE_URL, SMTP_URL, …`

async function main() {
  // Environment only: a flag here is a mistake (or --help), never silently ignored.
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true })
  if (values.help) {
    console.log(HELP)
    return
  }
  const config = loadConfig()
  const deps = await createDeps(config, { migrate: true })
  const { log } = deps
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let worker: Worker | undefined
  let scheduler: Scheduler | undefined
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    // HTTP first (in-flight requests finish), then the background work, then the database.
    await app?.close().catch((err) => log.error({ err }, 'closing HTTP failed'))
    await scheduler?.stop().catch((err) => log.error({ err }, 'stopping the scheduler failed'))
    await worker?.stop().catch((err) => log.error({ err }, 'stopping the worker failed'))
    await deps.close().catch((err) => log.error({ err }, 'closing dependencies failed'))
    log.info('stopped')
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))

  try {
    app = await buildApp(deps)
    await app.listen({ port: config.port, host: config.host })
    // The same process delivers and schedules; more workers: `npm run worker` anywhere.
    worker = startWorker(deps)
    // Signups a killed process stored and did not decide are decided now, then polled for.
    deps.signups.start()
    deps.journeyMail.start()
    scheduler = startScheduler(deps)
  } catch (err) {
    // A half-started process must not linger on an open port, worker or database.
    await worker?.stop().catch(() => {})
    await app?.close().catch(() => {})
    await deps.close().catch(() => {})
    throw err
  }
  log.info(
    {
      url: config.publicUrl,
      database: deps.db.embedded ? 'embedded' : redact(deps.db.url),
      mail: deps.mailer.kind,
      // PAPERBOY_HEAP_MB in the npm scripts; shown so a crash for memory is easy to place.
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    },
    'paperboy is running',
  )
}

main().catch((err: unknown) => {
  // One line, no stack: the operator needs the reason, not our call graph.
  const message = err instanceof ConfigError ? err.message : ((err as Error)?.message ?? String(err))
  console.error(`paperboy: ${message.split('\n')[0]}`)
  process.exit(1)
})
