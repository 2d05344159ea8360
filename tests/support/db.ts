// Each integration test file gets a database of its own, cloned from the migrated
// template that global-setup.ts built: files run in parallel without seeing each
// other's rows, and no file pays for migrations.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { type Config, loadConfig } from '../../src/config/env'
import type { Database } from '../../src/db/database'
import { createPrisma, type Db } from '../../src/db/prisma'
import { admin, withDatabase } from './global-setup'

let current: { promise: Promise<Database>; drop: () => Promise<void> } | undefined

/** This test file's database (created on first use, dropped after the file by releaseTestDatabase). */
export function testDatabase(): Promise<Database> {
  if (!current) {
    const serverUrl = inject('pgServerUrl')
    const template = inject('pgTemplateDb')
    const name = `paperboy_test_${template.split('_').at(-1)}_${randomBytes(5).toString('hex')}`
    const promise = (async () => {
      await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`))
      const url = withDatabase(serverUrl, name)
      const prisma = createPrisma(url)
      const db: Database = {
        prisma,
        url,
        embedded: false,
        migration: { applied: [], topicsCreated: 0 },
        close: () => prisma.$disconnect(),
      }
      return db
    })()
    const drop = async () => {
      await (await promise.catch(() => undefined))?.prisma.$disconnect()
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    }
    current = { promise, drop }
  }
  return current.promise
}

/**
 * Drops the file's database, if it made one. Runs after every integration file
 * (tests/support/file-database.ts): a worker runs file after file in one module graph
 * (isolate: false), so the next file must not find this one's database.
 */
export async function releaseTestDatabase(): Promise<void> {
  const done = current
  current = undefined
  await done?.drop()
}

export async function testPrisma(): Promise<Db> {
  return (await testDatabase()).prisma
}

export async function testDatabaseUrl(): Promise<string> {
  return (await testDatabase()).url
}

/** A config for tests: the file's own database, no SMTP unless given, quiet logs. */
export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: await testDatabaseUrl(), ...env })
}

/** Empties every table but Topic (and the migrations table), for tests that need a clean slate. */
export async function resetData(prisma: Db): Promise<void> {
  await prisma.$executeRawUnsafe(
    `TRUNCATE "DeliveryReason", "Delivery", "DeliveryDayStats", "DigestRun", "DailyListEntry", "DailyList", "Paper", "Interest", "SubscriberTopic", "Subscriber", "RateWindow", "SendPace" RESTART IDENTITY CASCADE`,
  )
}
