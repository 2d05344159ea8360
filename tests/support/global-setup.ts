// Runs once per `vitest run`: finds a PostgreSQL server (DATABASE_URL's when set, else
// an embedded one in a temporary folder), builds a template database with every
// migration applied and topics seeded, and hands its name to the test files, each of
// which clones it into a database of its own (tests/support/db.ts).
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres'
import { applyMigrations } from '../../src/db/migrate'
import { createPrisma } from '../../src/db/prisma'
import { seedTopics } from '../../src/db/seed-topics'

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string
    pgTemplateDb: string
  }
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL
  let stopEmbedded: (() => Promise<void>) | undefined
  let dataDir: string | undefined
  if (!serverUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'paperboy-test-pg-'))
    await chmod(dataDir, 0o755) // the postgres user must be able to enter it
    const embedded = await startEmbeddedPostgres(dataDir)
    serverUrl = embedded.url
    stopEmbedded = embedded.stop
  }
  const template = `paperboy_test_tpl_${process.pid}`
  await admin(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template}`)
    await c.query(`CREATE DATABASE ${template}`)
  })
  const templateUrl = withDatabase(serverUrl, template)
  await applyMigrations(templateUrl)
  const prisma = createPrisma(templateUrl)
  await seedTopics(prisma)
  await prisma.$disconnect()

  project.provide('pgServerUrl', serverUrl)
  project.provide('pgTemplateDb', template)

  return async () => {
    await admin(serverUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
        [`paperboy_test_${process.pid}_%`, template],
      )
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
    })
    await stopEmbedded?.()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
}

export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  return u.toString()
}

export async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}
