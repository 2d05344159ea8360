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

// Our lib setting (ES2023, no DOM) has no WebAssembly value types; Node has the API.
type Wasm = {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>
}
const wasmApi = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly
const require = createRequire(import.meta.url)
// Once per process, and necessarily so: wasm-bindgen's glue module keeps the instance in
// its own module scope (__wbg_set_wasm), and Node loads that module once, so a second
// instantiation would swap the memory under an engine still open. This is the package's
// singleton made explicit, not a cache of ours.
let glue: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined

function loadGlue() {
  glue ??= (async () => {
    // The package's exports map hides package.json; its glue module sits beside the .wasm.
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg')
    const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'))
    // The engine arms 10 s timers (query timeouts) that it never clears; unref them so a
    // finished `db:migrate` exits at once instead of 10 s later.
    const imports: Record<string, unknown> = { ...bg }
    for (const [name, fn] of Object.entries(bg))
      if (name.startsWith('__wbg_setTimeout_') && typeof fn === 'function')
        imports[name] = (...args: unknown[]) => {
          const timer = (fn as (...a: unknown[]) => NodeJS.Timeout)(...args)
          timer?.unref?.()
          return timer
        }
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': imports })
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start?: () => void }
    bg.__wbg_set_wasm(exports as never)
    exports.__wbindgen_start?.()
    return bg
  })()
  return glue
}

export const NO_FILTERS: Engine.SchemaFilter = { externalTables: [], externalEnums: [] }

export type OpenEngine = { engine: SchemaEngine; close(): Promise<void> }

/** Opens the engine on a database; close() frees it and ends its connections. */
export async function openSchemaEngine(opts: {
  connectionString: string
  schemaPath: string
  schemaText: string
  log?: (line: string) => void
}): Promise<OpenEngine> {
  const bg = await loadGlue()
  const factory = new PrismaPg({
    connectionString: opts.connectionString,
    allowExitOnIdle: true,
    idleTimeoutMillis: 500,
  })
  // The engine never disposes the adapters it opens; we keep them to end their pools,
  // or a migrated template database stays "in use" and cannot be cloned.
  const opened: { dispose(): Promise<void> }[] = []
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    opened.push(adapter)
    return adapter
  }
  const adapter = bindMigrationAwareSqlAdapterFactory(factory)
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[opts.schemaPath, opts.schemaText]] },
    opts.log ?? (() => {}),
    adapter,
  )
  return {
    engine,
    async close() {
      engine.free()
      await Promise.all(opened.map((a) => a.dispose().catch(() => {})))
    },
  }
}
