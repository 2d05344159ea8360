// The migrations are the schema: a model change in schema.prisma without a migration
// (or a hand-edited migration) turns this red.
import { readFile } from 'node:fs/promises'
import { describe, expect, inject, it } from 'vitest'
import { applyMigrations, readMigrationList, SCHEMA_PATH } from '../../../src/db/migrate'
import { NO_FILTERS, openSchemaEngine } from '../../../src/db/schema-engine'
import { readCatalog } from '../../support/catalog'
import { testDatabaseUrl, testPrisma } from '../../support/db'
import { admin, withDatabase } from '../../support/global-setup'

describe('migrations', () => {
  it('produce exactly the schema that schema.prisma describes', async () => {
    const fromMigrations = await testDatabaseUrl() // cloned from the migrated template
    const schemaText = await readFile(SCHEMA_PATH, 'utf8')
    const { engine, close } = await openSchemaEngine({
      connectionString: fromMigrations,
      schemaPath: SCHEMA_PATH,
      schemaText,
    })
    const diff = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schemaText }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    })
    await close()
    const serverUrl = inject('pgServerUrl')
    const name = `paperboy_test_${process.pid}_fromschema`
    await admin(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`)
      await c.query(`CREATE DATABASE ${name}`)
    })
    const fromSchema = withDatabase(serverUrl, name)
    try {
      await admin(fromSchema, (c) => c.query(diff.stdout ?? ''))
      const [a, b] = await Promise.all([readCatalog(fromMigrations), readCatalog(fromSchema)])
      expect(a.columns?.length).toBeGreaterThan(50)
      expect(a).toEqual(b)
    } finally {
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    }
  })

  it('are idempotent: a second run applies nothing and keeps the data', async () => {
    const url = await testDatabaseUrl()
    expect(await applyMigrations(url)).toEqual([])
    const prisma = await testPrisma()
    const rows = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    )
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1)
  })

  it('still applies a migration a database lacks (the engine decides whenever the table says less than all)', async () => {
    const url = await testDatabaseUrl()
    const [last] = (await readMigrationList()).migrationDirectories.slice(-1)
    expect(last!.path).toMatch(/_votes$/)
    // Undo the last migration by hand (it adds the votes table and its enum), and its record.
    await admin(url, async (c) => {
      await c.query(`DROP TABLE "Vote"`)
      await c.query(`DROP TYPE "VoteDirection"`)
      await c.query(`DELETE FROM _prisma_migrations WHERE migration_name = $1`, [last!.path])
    })
    expect(await applyMigrations(url)).toEqual([last!.path])
    const prisma = await testPrisma()
    expect(await prisma.vote.count()).toBe(0)
    expect(await applyMigrations(url)).toEqual([])
  })

  it('seeds the 20 default topics with their contract slugs', async () => {
    const prisma = await testPrisma()
    const slugs = (await prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug).sort()
    const fixture = JSON.parse(
      await readFile(new URL('../../fixtures/topics.json', import.meta.url), 'utf8'),
    ) as {
      slug: string
    }[]
    expect(slugs).toEqual(fixture.map((t) => t.slug).sort())
  })
})
