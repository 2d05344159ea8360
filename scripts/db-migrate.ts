// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded
// database under .data/ when unset) and seeds the default topics. Safe to run again.
import { loadConfig } from '../src/config/env'
import { openDatabase } from '../src/db/database'
import { refreshTopics } from '../src/db/seed-topics'
import { runCli } from './cli'

const HELP = `Usage: npm run db:migrate [-- --refresh-topics] [--json]
Applies prisma/migrations to DATABASE_URL (unset: the embedded PostgreSQL under .data/)
and seeds the default topics that are missing. Running it again changes nothing.

  --refresh-topics   also overwrite the default topics' names, descriptions and
                     vocabularies with this version's (prisma/topics.json): use after
                     an upgrade; your own tuning of those topics is replaced`

await runCli(HELP, async (argv) => {
  const json = argv.includes('--json')
  const refresh = argv.includes('--refresh-topics')
  const unknown = argv.filter((a) => a !== '--json' && a !== '--refresh-topics')
  if (unknown.length) throw new Error(`unknown argument ${unknown[0]}`)
  const config = loadConfig()
  const db = await openDatabase(config, { migrate: true })
  try {
    const r = { ...db.migration, topicsRefreshed: refresh ? await refreshTopics(db.prisma) : 0 }
    if (json) console.log(JSON.stringify(r))
    else
      console.log(
        r.applied.length
          ? `applied ${r.applied.join(', ')}; topics seeded: ${r.topicsCreated} new, ${r.topicsRefreshed} refreshed`
          : `database is up to date; topics seeded: ${r.topicsCreated} new, ${r.topicsRefreshed} refreshed`,
      )
  } finally {
    await db.close()
  }
})
