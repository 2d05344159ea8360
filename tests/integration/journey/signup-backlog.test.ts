// Signups are stored before the 202 (SignupRequest) and decided from there. Here the
// decisions are held up for real — the test takes the mailbox lock a decision waits for —
// so the rows can be seen waiting: on record before the answer, bounded (503 for every
// address alike past the backlog), and each decided once and deleted when the lock goes.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../support/db'
import { type Journey, startJourney } from './journey-support'

const BACKLOG = 3

let j: Journey
let holder: pg.Client
beforeAll(async () => {
  // One decision at a time, at most three waiting.
  j = await startJourney({}, { signups: { concurrency: 1, maxBacklog: BACKLOG, pollMs: 100 } })
  holder = new pg.Client({ connectionString: await testDatabaseUrl() })
  await holder.connect()
})
afterAll(async () => {
  await holder?.end()
  await j?.close()
})

const api = (email: string) =>
  j.app.inject({ method: 'POST', url: '/api/subscriptions', payload: { email, topics: ['robotics'] } })

/** The lock signup() takes for a mailbox (signup.ts): while the test holds it, that signup waits. */
const MAILBOX_LOCK = `SELECT pg_advisory_lock(hashtextextended('signup:' || $1::text, 0))`

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Sessions of this database waiting for an advisory lock: a decision held up by the test. */
async function waitingDecisions(): Promise<number> {
  const { rows } = await holder.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`,
  )
  return rows[0]!.n
}

describe('signups stored before the answer', () => {
  it('are on record at the 202, bounded by the backlog (503 alike for known and unknown), then decided once each', async () => {
    // A known, active address, to show that the 503 does not depend on the address.
    const known = await j.deps.prisma.subscriber.create({
      data: {
        email: 'known@example.org',
        emailKey: 'known@example.org',
        mailboxKey: 'known@example.org',
        accessKey: 'k'.repeat(32),
        status: 'active',
      },
    })
    await holder.query(MAILBOX_LOCK, ['first@example.org'])
    expect((await api('first@example.org')).statusCode).toBe(202)
    // The decider has claimed the row and waits for the mailbox: nothing decided, the row kept.
    await until('the decision waits for the mailbox', async () => (await waitingDecisions()) === 1)
    expect(await j.deps.prisma.signupRequest.count()).toBe(1)
    expect(await j.deps.prisma.subscriber.count({ where: { emailKey: 'first@example.org' } })).toBe(0)

    expect((await api('second@example.org')).statusCode).toBe(202)
    expect((await api('third@example.org')).statusCode).toBe(202)
    const stored = await j.deps.prisma.signupRequest.findMany({ orderBy: { id: 'asc' } })
    expect(stored.map((r) => (r.input as { email: string }).email)).toEqual([
      'first@example.org',
      'second@example.org',
      'third@example.org',
    ])

    // Full: every address gets the same 503, and nothing is stored.
    const refused = [await api('fourth@example.org'), await api(known.email)]
    for (const res of refused) {
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ message: 'too many signups at once; please try again in a minute' })
    }
    expect(refused[0]!.body).toBe(refused[1]!.body)
    expect(await j.deps.prisma.signupRequest.count()).toBe(BACKLOG)

    await holder.query(`SELECT pg_advisory_unlock_all()`)
    await j.mailSettled()
    expect(await j.deps.prisma.signupRequest.count()).toBe(0)
    for (const email of ['first@example.org', 'second@example.org', 'third@example.org']) {
      const mails = j.sink.messages.filter((m) => m.to.includes(email))
      expect(mails.map((m) => m.subject)).toEqual(['Confirm your Paperboy subscription'])
    }
    expect(j.sink.messages.some((m) => m.to.includes('fourth@example.org'))).toBe(false)
    expect(j.sink.messages.some((m) => m.to.includes(known.email))).toBe(false)
    // Room again.
    expect((await api('fourth@example.org')).statusCode).toBe(202)
    await j.mailTo('fourth@example.org')
  })

  it('a stored signup that no longer validates is dropped, not half-decided', async () => {
    await j.deps.prisma.signupRequest.create({
      data: { input: { email: 'not an address' }, defaultTimezone: 'UTC', defaultSendHour: 6 },
    })
    const before = await j.deps.prisma.subscriber.count()
    j.deps.signups.wake()
    await j.mailSettled()
    expect(await j.deps.prisma.signupRequest.count()).toBe(0)
    expect(await j.deps.prisma.subscriber.count()).toBe(before)
  })
})
