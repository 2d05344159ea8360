// Prisma's schema engine compiled to WebAssembly. The native engine binary cannot be
// downloaded on our machines, so migrations (apply and diff) run through this build,
// which writes Prisma's own `_prisma_migrations` table: `prisma migrate deploy` stays
// compatible wherever the binary exists.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'

// Only the types come from the package entry: its JS entry imports the .wasm as an ES
// module, which Node cannot do, so the glue module is loaded by hand below.
import type * as Engine from '@prisma/schema-engine-wasm'

export type SchemaEngine = Engine.SchemaEngine
export type { DiffTarget, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm'

const require = createRequire(import.meta.url)
let glue: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined

function loadGlue() {
  glue ??= (async () => {
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/package.json'))
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg')
    const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'))
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    })
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start?: () => void }
    bg.__wbg_set_wasm(exports)
    exports.__wbindgen_start?.()
    return bg
  })()
  return glue
}

export const NO_FILTERS: Engine.SchemaFilter = { externalTables: [], externalEnums: [] }

/** Opens the engine on a database (for applying migrations) or on nothing (for diffs). */
export async function openSchemaEngine(opts: {
  connectionString: string
  schemaPath: string
  schemaText: string
  log?: (line: string) => void
}): Promise<SchemaEngine> {
  const bg = await loadGlue()
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: opts.connectionString }))
  const log = opts.log ?? (() => {})
  return bg.SchemaEngine.new({ datamodels: [[opts.schemaPath, opts.schemaText]] }, log, adapter)
}
