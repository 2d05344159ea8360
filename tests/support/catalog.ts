// A comparable description of a database's schema: tables, columns and types, enums,
// indexes and constraints. Two databases with equal catalogs have the same schema.
import pg from 'pg'

export async function readCatalog(url: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => Object.values(r).join(' | ')).sort()
    return {
      columns:
        await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '')
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
      enums: await q(`SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraints: await q(`SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')`),
    }
  } finally {
    await c.end()
  }
}
