// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded
// database under .data/ when unset) and seeds the default topics. Safe to run again.
import { loadConfig } from '../src/config/env'
import { openDatabase } from '../src/db/database'
import { runCli } from './cli'

const HELP = `Usage: npm run db:migrate [-- --json]
Applies prisma/migrations to DATABASE_URL (unset: the embedded PostgreSQL under .data/)
and seeds the default topics. Running it again changes nothing.`

await runCli(HELP, async (argv) => {
  const json = argv.includes('--json')
  const unknown = argv.filter((a) => a !== '--json')
  if (unknown.length) throw new Error(`unknown argument ${unknown[0]}`)
  const config = loadConfig()
  const db = await openDatabase(config, { migrate: true })
  try {
    const r = db.migration
    if (json) console.log(JSON.stringify(r))
    else
      console.log(
        r.applied.length
          ? `applied ${r.applied.join(', ')}; topics seeded: ${r.topicsCreated} new`
          : `database is up to date; topics seeded: ${r.topicsCreated} new`,
      )
  } finally {
    await db.close()
  }
})
