// `npm start` as an operator runs it: a real process on the embedded database.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../../src/db/embedded-postgres'
import { freePort } from '../../support/free-port'

const ROOT = join(import.meta.dirname, '../../..')

type Proc = { child: ChildProcess; stderr: () => string; exited: Promise<number | null> }

function startServer(env: Record<string, string>): Proc {
  const clean = { ...process.env }
  delete clean.DATABASE_URL // the embedded database is what this test is about
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...clean,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, stderr: () => err, exited }
}

async function waitHealthy(port: number, proc: Proc, ms = 60_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.stderr()}`)
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('server did not become healthy within 60 s')
}

function postgresProcessesFor(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
  return out.split('\n').filter((l) => l.includes(dir) && /postgres/.test(l))
}

async function withEmbedded<T>(dir: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const db = await startEmbeddedPostgres(dir)
  const c = new pg.Client({ connectionString: db.url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
    await db.stop()
  }
}

describe('npm start on the embedded database', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it('serves, refuses a second instance, shuts down cleanly and keeps its rows', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'paperboy-start-'))
    dirs.push(dataDir)
    await chmod(dataDir, 0o755) // the postgres user must be able to enter it
    const port = await freePort()
    const env = { DATA_DIR: dataDir, PORT: String(port), OUTBOX_DIR: join(dataDir, 'outbox') }

    const first = startServer(env)
    await waitHealthy(port, first)

    const second = startServer({ ...env, PORT: String(await freePort()) })
    expect(await second.exited).toBe(1)
    expect(second.stderr().trim()).toMatch(
      /^paperboy: another Paperboy \(pid \d+\) is using the embedded database/,
    )
    expect(second.stderr().trim().split('\n')).toHaveLength(1)

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(postgresProcessesFor(dataDir)).toEqual([])

    // Rows written before a restart are there after it.
    await withEmbedded(dataDir, async (c) => {
      expect((await c.query('SELECT count(*)::int AS n FROM "Topic"')).rows[0].n).toBe(20)
      await c.query(
        `INSERT INTO "Subscriber" (email, "emailKey", "accessKey", "updatedAt") VALUES ('kept@example.org', 'kept@example.org', 'k1', now())`,
      )
    })
    const again = startServer(env)
    await waitHealthy(port, again)
    again.child.kill('SIGINT')
    expect(await again.exited).toBe(0)
    expect(postgresProcessesFor(dataDir)).toEqual([])
    await withEmbedded(dataDir, async (c) => {
      expect((await c.query(`SELECT email FROM "Subscriber"`)).rows).toEqual([{ email: 'kept@example.org' }])
      expect((await c.query('SELECT count(*)::int AS n FROM "Topic"')).rows[0].n).toBe(20)
    })
  }, 180_000)

  it('exits 1 with a one-line reason on a bad environment', async () => {
    const unreachable = startServer({ DATABASE_URL: 'postgres://nope@127.0.0.1:1/x', PORT: '0' })
    expect(await unreachable.exited).toBe(1)
    expect(unreachable.stderr().trim()).toMatch(
      /^paperboy: cannot reach the database at postgres:\/\/nope@127\.0\.0\.1:1\/x/,
    )
    expect(unreachable.stderr().trim().split('\n')).toHaveLength(1)

    const badPort = startServer({ PORT: 'abc' })
    expect(await badPort.exited).toBe(1)
    expect(badPort.stderr().trim()).toBe('paperboy: PORT must be a number')
  }, 60_000)
})
