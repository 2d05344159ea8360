// The shared hit counters in PostgreSQL: one RateWindow row per key, counted by a single
// INSERT … ON CONFLICT DO UPDATE (atomic per row, so concurrent hits from any number of
// instances are all counted). A closed window is reopened in the same statement; closed
// rows are deleted at most once a minute by whichever instance is counting, so the
// table holds only the keys of the last window.
import type { Db } from '../db/prisma'
import type { WindowCount, WindowCounter } from './window-counter'

const PRUNE_EVERY_MS = 60_000

export function createPgWindowCounter(
  prisma: Db,
  opts: { onPruneError?: (err: unknown) => void; pruneEveryMs?: number } = {},
): WindowCounter {
  const pruneEveryMs = opts.pruneEveryMs ?? PRUNE_EVERY_MS
  let lastPrune = Date.now()
  let pruning: Promise<unknown> | null = null

  const prune = async () =>
    prisma.$executeRaw`DELETE FROM "RateWindow" WHERE "resetAt" <= (now() AT TIME ZONE 'UTC')`

  return {
    kind: 'postgres',
    async hit(key, windowMs) {
      const ms = Math.max(1, Math.round(windowMs))
      const rows = await prisma.$queryRaw<WindowCount[]>`
        WITH t AS (SELECT (now() AT TIME ZONE 'UTC') AS now)
        INSERT INTO "RateWindow" (key, hits, "resetAt")
        SELECT ${key}, 1, t.now + ${ms}::int * interval '1 millisecond' FROM t
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN "RateWindow"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN 1
                      ELSE "RateWindow".hits + 1 END,
          "resetAt" = CASE WHEN "RateWindow"."resetAt" <= (now() AT TIME ZONE 'UTC') THEN EXCLUDED."resetAt"
                           ELSE "RateWindow"."resetAt" END
        RETURNING hits,
          GREATEST(0, EXTRACT(EPOCH FROM ("resetAt" - (now() AT TIME ZONE 'UTC'))) * 1000)::float8 AS "resetInMs"`
      if (Date.now() - lastPrune >= pruneEveryMs && !pruning) {
        lastPrune = Date.now()
        // Off the request's path: a slow delete never delays an answer.
        pruning = prune()
          .catch((err) => opts.onPruneError?.(err))
          .finally(() => {
            pruning = null
          })
      }
      const r = rows[0]!
      return { hits: r.hits, resetInMs: Math.round(r.resetInMs) }
    },
    async peek(key) {
      const rows = await prisma.$queryRaw<WindowCount[]>`
        SELECT hits,
          (EXTRACT(EPOCH FROM ("resetAt" - (now() AT TIME ZONE 'UTC'))) * 1000)::float8 AS "resetInMs"
        FROM "RateWindow" WHERE key = ${key} AND "resetAt" > (now() AT TIME ZONE 'UTC')`
      const r = rows[0]
      return r ? { hits: r.hits, resetInMs: Math.round(r.resetInMs) } : { hits: 0, resetInMs: 0 }
    },
    prune,
    async close() {
      await pruning
    },
  }
}
