// The check that lets a start skip the schema engine: only "every migration recorded as
// finished, unchanged, none failed, none unknown" counts as applied.
import { describe, expect, it } from 'vitest'
import { allApplied, migrationChecksum, type RecordedMigration } from '../../../src/db/migrations-applied'
import type { MigrationList } from '../../../src/db/schema-engine'

const SQL = { a: 'CREATE TABLE "A" ();\n', b: 'CREATE TABLE "B" ();\n' }

function list(files: Record<string, string>): MigrationList {
  return {
    baseDir: '/nowhere',
    lockfile: { path: 'migration_lock.toml', content: null },
    migrationDirectories: Object.entries(files).map(([path, value]) => ({
      path,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value } },
    })),
    shadowDbInitScript: '',
  }
}

const row = (name: string, sql: string, more: Partial<RecordedMigration> = {}): RecordedMigration => ({
  name,
  checksum: migrationChecksum(sql),
  finished: true,
  rolledBack: false,
  ...more,
})

const local = list({ '1_a': SQL.a, '2_b': SQL.b })

describe('allApplied', () => {
  it('is true when every migration is recorded as finished with its checksum', () => {
    expect(allApplied(local, [row('1_a', SQL.a), row('2_b', SQL.b)])).toBe(true)
  })

  it('is false when a migration is not recorded yet', () => {
    expect(allApplied(local, [row('1_a', SQL.a)])).toBe(false)
    expect(allApplied(local, [])).toBe(false)
  })

  it('is false when a recorded migration was edited since (another checksum)', () => {
    expect(allApplied(local, [row('1_a', SQL.a), row('2_b', 'CREATE TABLE "C" ();\n')])).toBe(false)
  })

  it('is false while a migration is failed, and ignores rolled-back attempts', () => {
    const failed = row('2_b', SQL.b, { finished: false })
    expect(allApplied(local, [row('1_a', SQL.a), failed])).toBe(false)
    const retried = [row('1_a', SQL.a), { ...failed, rolledBack: true }, row('2_b', SQL.b)]
    expect(allApplied(local, retried)).toBe(true)
  })

  it('is false when the database has a migration this checkout does not', () => {
    expect(allApplied(local, [row('1_a', SQL.a), row('2_b', SQL.b), row('3_c', 'SELECT 1;')])).toBe(false)
  })

  it('is false when a migration file could not be read', () => {
    const unreadable = list({ '1_a': SQL.a })
    unreadable.migrationDirectories[0]!.migrationFile.content = { tag: 'error', value: 'EACCES' }
    expect(allApplied(unreadable, [row('1_a', SQL.a)])).toBe(false)
  })
})
