// Opens the database the configuration names: DATABASE_URL when set (never starting a
// server of our own), else the embedded PostgreSQL under DATA_DIR. Optionally migrates
// and seeds, so `npm start` on a fresh clone needs nothing else.
import type { Config } from '../config/env'
import { startEmbeddedPostgres } from './embedded-postgres'
import { applyMigrations } from './migrate'
import { createPrisma, type Db } from './prisma'
import { seedTopics } from './seed-topics'

export type Database = {
  prisma: Db
  url: string
  embedded: boolean
  migration: { applied: string[]; topicsCreated: number }
  close(): Promise<void>
}

export class DatabaseUnavailableError extends Error {}

export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; poolSize?: number; log?: (msg: string) => void } = {},
): Promise<Database> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, opts.log)
  const url = config.databaseUrl ?? embedded!.url
  const prisma = createPrisma(url, { poolSize: opts.poolSize })
  const close = async () => {
    await prisma.$disconnect()
    await embedded?.stop()
  }
  try {
    await prisma.$queryRawUnsafe('SELECT 1').catch((e: unknown) => {
      throw new DatabaseUnavailableError(`cannot reach the database at ${redact(url)}: ${describePgError(e)}`)
    })
    const migration = { applied: [] as string[], topicsCreated: 0 }
    if (opts.migrate) {
      migration.applied = await applyMigrations(url)
      migration.topicsCreated = await seedTopics(prisma)
    }
    return { prisma, url, embedded: Boolean(embedded), migration, close }
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(invalid URL)'
  }
}

function describePgError(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string }; code?: string }
  const msg = err?.cause?.message ?? err?.message ?? String(e)
  return msg.split('\n').filter(Boolean).at(-1)?.trim() ?? 'unknown error'
}
