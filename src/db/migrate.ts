// Applies prisma/migrations to a database through the WebAssembly schema engine.
// Idempotent: already-applied migrations are recorded in `_prisma_migrations` and skipped;
// a database that has them all is told so by that table alone (migrations-applied.ts).
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { allApplied, readRecordedMigrations } from './migrations-applied'
import { type MigrationList, NO_FILTERS, openSchemaEngine } from './schema-engine'

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..')
export const SCHEMA_PATH = join(ROOT, 'prisma', 'schema.prisma')
export const MIGRATIONS_DIR = join(ROOT, 'prisma', 'migrations')

export async function readMigrationList(baseDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => [])
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  const migrationDirectories = await Promise.all(
    dirs.map(async (path) => {
      const content = await readFile(join(baseDir, path, 'migration.sql'), 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (err: Error) => ({ tag: 'error' as const, value: err.message }),
      )
      return { path, migrationFile: { path: 'migration.sql', content } }
    }),
  )
  const lockContent = await readFile(join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null)
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    migrationDirectories,
    shadowDbInitScript: '',
  }
}

/** Returns the names of the migrations applied by this call (empty when up to date). */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await readMigrationList()
  const recorded = await readRecordedMigrations(connectionString)
  if (recorded && allApplied(migrationsList, recorded)) return []
  const schemaText = await readFile(SCHEMA_PATH, 'utf8')
  const { engine, close } = await openSchemaEngine({ connectionString, schemaPath: SCHEMA_PATH, schemaText })
  try {
    const out = await engine.applyMigrations({
      migrationsList,
      filters: NO_FILTERS,
    })
    return out.appliedMigrationNames
  } finally {
    await close()
  }
}
