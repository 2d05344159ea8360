import { defineConfig } from 'prisma/config'

// The CLI is used for `prisma generate` only; migrations run through the schema engine's
// WebAssembly build (src/db/migrate.ts) so they work without downloading engine binaries.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
})
