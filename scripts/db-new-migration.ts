// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the schema
// of the last migration (kept beside it as schema.prisma) to today's prisma/schema.prisma.
// No shadow database is needed: both ends are datamodels.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { MIGRATIONS_DIR, readMigrationList, SCHEMA_PATH } from '../src/db/migrate'
import { NO_FILTERS, openSchemaEngine } from '../src/db/schema-engine'
import { runCli, UsageError } from './cli'

const HELP = `Usage: npm run db:migration -- NAME
Writes a new migration from the difference between the last migration's schema snapshot
and prisma/schema.prisma. Exits 0 without writing when there is no difference.`

await runCli(HELP, async (argv) => {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true })
  const name = positionals[0]
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new UsageError('give the migration a name of [a-z0-9_]')
  const schemaText = await readFile(SCHEMA_PATH, 'utf8')
  const list = await readMigrationList()
  const last = list.migrationDirectories.at(-1)
  const previous = last
    ? await readFile(join(MIGRATIONS_DIR, last.path, 'schema.prisma'), 'utf8').catch(() => null)
    : null
  if (last && previous === null)
    throw new UsageError(`${last.path} has no schema.prisma snapshot to diff from`)
  const { engine, close } = await openSchemaEngine({
    // The engine opens a connection even for a datamodel-to-datamodel diff; nothing is written.
    connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    schemaPath: SCHEMA_PATH,
    schemaText,
  })
  try {
    const result = await engine.diff({
      from:
        previous === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: 'previous.prisma', content: previous }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schemaText }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    })
    const sql = result.stdout ?? ''
    if (result.exitCode === 0 || sql.trim() === '' || sql.includes('This is an empty migration')) {
      console.log('schema.prisma matches the last migration: nothing to write')
      return
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'migration.sql'), sql)
    await writeFile(join(dir, 'schema.prisma'), schemaText)
    await writeFile(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n')
    console.log(`wrote ${dir}/migration.sql`)
  } finally {
    await close()
  }
})
