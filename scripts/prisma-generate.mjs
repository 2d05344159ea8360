// Runs `prisma generate` at install time without network access: the Rust-free
// Prisma 7 client needs no engine binary, but the CLI insists on a schema-engine path.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, 'scripts', 'no-schema-engine.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
}
const bin = join(root, 'node_modules', 'prisma', 'build', 'index.js')
const r = spawnSync(process.execPath, [bin, 'generate'], { cwd: root, env, stdio: 'inherit' })
process.exit(r.status ?? 1)
