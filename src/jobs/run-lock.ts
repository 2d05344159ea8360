// One run per date across every instance: a PostgreSQL session advisory lock, held on a
// connection of its own for as long as the run lasts. Unlike a lease column it needs no
// expiry guess: a process that dies closes its connection and the lock is gone at once,
// so the next scheduler start (or an operator) can take over a crashed run immediately.
// It sits in the two-int key space (the planner's own claim cannot collide with it).
import pg from 'pg'
import type { Db } from '../db/prisma'

/** 'PBRN' — names the lock class in pg_locks.classid. */
const RUN_LOCK_CLASS = 0x5042524e

export type RunLock = {
  readonly date: string
  /** False once the lock connection was lost (the database restarted): stop writing. */
  readonly held: boolean
  release(): Promise<void>
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000)
}

/** Takes the run lock of `date` without waiting; null when another session holds it. */
export async function tryLockRun(databaseUrl: string, date: string): Promise<RunLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `paperboy-run-${date}` })
  let held = false
  // A lost connection must not crash the process; the run sees `held` turn false.
  client.on('error', () => {
    held = false
  })
  await client.connect()
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, $2) AS locked',
      [RUN_LOCK_CLASS, dayNumber(date)],
    )
    held = rows[0]?.locked === true
  } catch (err) {
    await client.end().catch(() => {})
    throw err
  }
  if (!held) {
    await client.end().catch(() => {})
    return null
  }
  let released = false
  return {
    date,
    get held() {
      return held && !released
    },
    async release() {
      if (released) return
      released = true
      // Closing the session releases the lock even if the unlock query cannot run.
      await client
        .query('SELECT pg_advisory_unlock($1, $2)', [RUN_LOCK_CLASS, dayNumber(date)])
        .catch(() => {})
      await client.end().catch(() => {})
    },
  }
}

/** Whether some session holds the run lock of `date` right now (for status answers). */
export async function isRunLocked(prisma: Db, date: string): Promise<boolean> {
  const rows = await prisma.$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = $1::int::oid AND objid = $2::int::oid`,
    RUN_LOCK_CLASS,
    dayNumber(date),
  )
  return rows.length > 0
}
