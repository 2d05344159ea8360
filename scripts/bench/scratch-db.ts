import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
// The benchmark's own database: created empty on DATABASE_URL's server (or the embedded
// one under DATA_DIR when it is unset) and dropped at the end, so a benchmark never
// touches real readers. setup-data.ts migrates and fills it in a child process.
import pg from 'pg'
import type { Config } from '../../src/config/env'
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres'

export type ScratchDb = { url: string; name: string; drop(): Promise<void> }

export async function admin(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

/** `prefix`: the database's name before the process id (the feedback simulation has its own). */
export async function createScratchDb(config: Config, prefix = 'paperboy_bench'): Promise<ScratchDb> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir)
  const serverUrl = config.databaseUrl ?? embedded!.url
  const name = `${prefix}_${process.pid}`
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin(serverUrl, `CREATE DATABASE ${name}`)
  const drop = async () => {
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await embedded?.stop()
  }
  return { url, name, drop }
}

export type FillResult = {
  papers: number
  seconds: number
  historyDays?: number
  historyDeliveries?: number
  secondsBy?: Record<string, number>
}

/**
 * Fills a scratch database in a child process, so the bench's own memory measures only the
 * work under test: the 50-paper day and N readers, or with `week` the realistic list (the
 * week of lists, N readers of whom `weeklyShare` weekly, and the six previous days sent).
 */
export async function fillScratchDb(
  url: string,
  readers: number,
  week?: { weeklyShare: number; historyDays: number },
): Promise<FillResult> {
  const script = fileURLToPath(new URL('./setup-data.ts', import.meta.url))
  const args = week
    ? [String(readers), 'week', String(week.weeklyShare), String(week.historyDays)]
    : [String(readers)]
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    maxBuffer: 1024 * 1024,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1)!)
}
