// The process: configuration, logging, listen, signals and graceful close. The
// application itself is buildApp(deps) in app.ts.
import { buildApp } from './app'
import { ConfigError, loadConfig } from './config/env'
import { redact } from './db/database'
import { createDeps, type Deps } from './deps'

async function main() {
  const config = loadConfig()
  const deps = await createDeps(config, { migrate: true })
  const { log } = deps
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    // HTTP first (in-flight requests finish), then the background work, then the database.
    await app?.close().catch((err) => log.error({ err }, 'closing HTTP failed'))
    await deps.close().catch((err) => log.error({ err }, 'closing dependencies failed'))
    log.info('stopped')
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))

  try {
    app = await buildApp(deps)
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    await failAfterStart(deps, err)
  }
  log.info(
    {
      url: config.publicUrl,
      database: deps.db.embedded ? 'embedded' : redact(deps.db.url),
      mail: deps.mailer.kind,
    },
    'paperboy is running',
  )
}

async function failAfterStart(deps: Deps, err: unknown): Promise<never> {
  await deps.close().catch(() => {})
  throw err
}

main().catch((err: unknown) => {
  // One line, no stack: the operator needs the reason, not our call graph.
  const message = err instanceof ConfigError ? err.message : ((err as Error)?.message ?? String(err))
  console.error(`paperboy: ${message.split('\n')[0]}`)
  process.exit(1)
})
