// A signup answered 202 gets its email even when the process dies before sending it: a
// real `npm start` process (src/server.ts) on this file's database, a real SMTP server
// that holds the connection so the kill lands mid-send, SIGKILL, a restart — and the
// confirmation arrives once, from the ledger. And a signup answered 202 and not decided
// yet (the test holds the mailbox lock the decision waits for) survives the same kill:
// decided after the restart, its confirmation arrives once.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { testDatabaseUrl, testPrisma } from '../../support/db'
import { freePort } from '../../support/free-port'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'

const ROOT = join(import.meta.dirname, '../../..')
const EMAIL = 'crash@example.org'

type Server = { child: ChildProcess; exited: Promise<number | null>; stderr: () => string }

let prisma: Db
let sink: SmtpSink
let env: Record<string, string>
const servers: Server[] = []

function startServer(): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const server = { child, exited, stderr: () => err }
  servers.push(server)
  return server
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const healthy = (server: Server) => async () => {
  if (server.child.exitCode !== null) throw new Error(`server exited: ${server.stderr()}`)
  return fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
    (r) => r.ok,
    () => false,
  )
}

const journeyRow = () => prisma.journeyEmail.findFirst({ where: { subscriber: { emailKey: EMAIL } } })

beforeAll(async () => {
  prisma = await testPrisma()
  sink = await startSmtpSink({ parse: 'full' })
  env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: await testDatabaseUrl(),
    SMTP_URL: sink.url,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    PUBLIC_URL: 'http://localhost:3000',
    SCHEDULER_ENABLED: 'false',
  }
})

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL')
  await sink.close()
})

describe('journey mail across a crash', () => {
  it('SIGKILL between the 202 and the send: after a restart the confirmation arrives, exactly once', async () => {
    const first = startServer()
    await until('the server is healthy', healthy(first))
    // The SMTP server accepts the connection and says nothing: the send is under way.
    sink.options.greetingDelayMs = 120_000
    const before = sink.counts.connections
    const res = await fetch(`http://127.0.0.1:${env.PORT}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, topics: ['robotics'] }),
    })
    expect(res.status).toBe(202)
    await until('the server is sending', () => sink.counts.connections > before)
    first.child.kill('SIGKILL')
    expect(await first.exited).toBeNull()
    expect(sink.messages).toHaveLength(0)
    // On record, not sent: the claim died with the process's database connection.
    expect(await journeyRow()).toMatchObject({ kind: 'confirm', status: 'pending', attempts: 0 })

    sink.options.greetingDelayMs = 0
    const second = startServer()
    await until('the restarted server is healthy', healthy(second))
    await until('the confirmation arrives', () => sink.messages.some((m) => m.to.includes(EMAIL)))
    await until('its row is recorded as sent', async () => (await journeyRow())?.status === 'sent')
    const [mail, ...more] = sink.messages.filter((m) => m.to.includes(EMAIL))
    expect(more).toHaveLength(0)
    expect(mail!.subject).toBe('Confirm your Paperboy subscription')
    expect(await journeyRow()).toMatchObject({ status: 'sent', attempts: 1, token: null })

    // The link it carries confirms the reader, and the welcome follows through the same ledger.
    const confirmUrl = /http:\/\/localhost:3000(\/confirm\/[A-Za-z0-9_-]+)/.exec(mail!.text ?? '')![1]!
    const confirmed = await fetch(`http://127.0.0.1:${env.PORT}${confirmUrl}`, { method: 'POST' })
    expect(confirmed.status).toBe(200)
    await until('the welcome arrives', () => sink.messages.filter((m) => m.to.includes(EMAIL)).length === 2)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    expect(sink.messages.filter((m) => m.to.includes(EMAIL)).map((m) => m.subject)).toEqual([
      'Confirm your Paperboy subscription',
      "You're subscribed to Paperboy",
    ])
  }, 180_000)

  it('SIGKILL between the 202 and the decision of the signup: decided after the restart, the confirmation arrives once', async () => {
    const email = 'undecided@example.org'
    const holder = new pg.Client({ connectionString: env.DATABASE_URL })
    await holder.connect()
    try {
      // The lock signup() takes for this mailbox (signup.ts): the decision waits while we hold it.
      await holder.query(`SELECT pg_advisory_lock(hashtextextended('signup:' || $1::text, 0))`, [email])
      const first = startServer()
      await until('the server is healthy', healthy(first))
      const res = await fetch(`http://127.0.0.1:${env.PORT}/api/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, topics: ['robotics'] }),
      })
      expect(res.status).toBe(202)
      await until('the decision waits for the mailbox', async () => {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`,
        )
        return rows[0]!.n === 1
      })
      first.child.kill('SIGKILL')
      expect(await first.exited).toBeNull()
      // The killed decision's session gets the lock, finds its client gone and rolls back.
      await holder.query(`SELECT pg_advisory_unlock_all()`)
      expect(await prisma.subscriber.count({ where: { emailKey: email } })).toBe(0)
      expect(await prisma.signupRequest.count()).toBe(1)
    } finally {
      await holder.end()
    }

    const second = startServer()
    await until('the restarted server is healthy', healthy(second))
    await until('the confirmation arrives', () => sink.messages.some((m) => m.to.includes(email)))
    await until('the signup is decided and gone', async () => (await prisma.signupRequest.count()) === 0)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    const mails = sink.messages.filter((m) => m.to.includes(email))
    expect(mails.map((m) => m.subject)).toEqual(['Confirm your Paperboy subscription'])
    expect(await prisma.subscriber.findUniqueOrThrow({ where: { emailKey: email } })).toMatchObject({
      status: 'pending',
    })
    expect(await prisma.journeyEmail.findFirst({ where: { subscriber: { emailKey: email } } })).toMatchObject(
      {
        kind: 'confirm',
        status: 'sent',
      },
    )
  }, 180_000)
})
