// The HTTP rate limits and the admin lockout shared by all instances: two real servers on
// one database (and, with REDIS_URL, one Redis on 127.0.0.1:6379) behind the same client
// address together refuse signups beyond the per-address limit, with either store; the
// counters count atomically under concurrent hits, close their windows, and PostgreSQL's
// closed windows are deleted.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FailureLimiter } from '../../../src/api/failure-limiter'
import { SIGNUP_RATE_LIMIT } from '../../../src/api/route-helpers'
import { buildApp } from '../../../src/app'
import type { Db } from '../../../src/db/prisma'
import { createDeps, type Deps } from '../../../src/deps'
import { createPgWindowCounter } from '../../../src/limits/pg-window-counter'
import { createRedisWindowCounter } from '../../../src/limits/redis-window-counter'
import type { WindowCounter } from '../../../src/limits/window-counter'
import { testConfig, testDatabase, testPrisma } from '../../support/db'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
let prisma: Db

beforeAll(async () => {
  prisma = await testPrisma()
})

/** A Redis counter whose keys no other test (or earlier run) can share. */
const redisCounter = () =>
  createRedisWindowCounter({ url: REDIS_URL, prefix: `paperboy-test:${randomBytes(6).toString('hex')}:` })

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.each([
  ['postgres', async () => createPgWindowCounter(prisma)],
  ['redis', redisCounter],
] as const)('the %s window counter', (_kind, make) => {
  let counter: WindowCounter
  beforeAll(async () => {
    counter = await make()
  })
  afterAll(async () => {
    await counter?.close()
  })

  it('counts 100 concurrent hits once each, and peeks without counting', async () => {
    const key = `burst-${randomBytes(4).toString('hex')}`
    const counts = await Promise.all(Array.from({ length: 100 }, () => counter.hit(key, 60_000)))
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    )
    for (const c of counts) expect(c.resetInMs).toBeGreaterThan(50_000)
    expect((await counter.peek(key)).hits).toBe(100)
    expect((await counter.peek(key)).hits).toBe(100)
    expect(await counter.peek(`never-${key}`)).toEqual({ hits: 0, resetInMs: 0 })
  })

  it('closes a window after its time and opens a new one at the next hit', async () => {
    const key = `short-${randomBytes(4).toString('hex')}`
    // Long enough that the second hit lands in the first window on a busy machine.
    await counter.hit(key, 1_000)
    expect((await counter.hit(key, 1_000)).hits).toBe(2)
    await until('the window has closed', async () => (await counter.peek(key)).hits === 0)
    const reopened = await counter.hit(key, 300)
    expect(reopened.hits).toBe(1)
    expect(reopened.resetInMs).toBeGreaterThan(0)
    expect(reopened.resetInMs).toBeLessThanOrEqual(300)
  })
})

describe.each(['postgres', 'redis'] as const)('the admin lockout with the %s store', (kind) => {
  it('counts wrong tokens of both instances together', async () => {
    const prefix = `paperboy-test:${randomBytes(6).toString('hex')}:`
    const counter = async () =>
      kind === 'redis' ? createRedisWindowCounter({ url: REDIS_URL, prefix }) : createPgWindowCounter(prisma)
    const [ca, cb] = [await counter(), await counter()]
    try {
      const [a, b] = [new FailureLimiter(ca, { max: 5 }), new FailureLimiter(cb, { max: 5 })]
      const ip = `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`
      for (const l of [a, b, a, b]) await l.fail(ip)
      expect(await a.blockedFor(ip)).toBe(0)
      expect(await b.fail(ip)).toBe(5)
      expect(await a.blockedFor(ip)).toBeGreaterThan(14 * 60_000)
      expect(await b.blockedFor(ip)).toBeGreaterThan(14 * 60_000)
    } finally {
      await ca.close()
      await cb.close()
    }
  })
})

describe('closed windows in PostgreSQL', () => {
  it('are deleted by prune, and by counting once the prune interval has passed', async () => {
    const counter = createPgWindowCounter(prisma, { pruneEveryMs: 0 })
    const rows = (prefix: string) => prisma.rateWindow.count({ where: { key: { startsWith: prefix } } })
    const p = `prune-${randomBytes(4).toString('hex')}-`
    // 3 s windows: every hit prunes (pruneEveryMs 0), so a window must outlive the time the
    // 21 hits take on a loaded machine for all of them to be counted first.
    await Promise.all(Array.from({ length: 20 }, (_, i) => counter.hit(`${p}${i}`, 3_000)))
    await counter.hit(`${p}open`, 60_000)
    expect(await rows(p)).toBe(21)
    // (Counted at once, but on a busy machine the twenty hits land over a few hundred ms.)
    await until('the short windows have closed', async () =>
      (await Promise.all(Array.from({ length: 20 }, (_, i) => counter.peek(`${p}${i}`)))).every(
        (w) => w.hits === 0,
      ),
    )
    // The next hit (of any key) starts the delete in the background; close() waits for it.
    await counter.hit(`${p}open`, 60_000)
    await counter.close()
    expect(await rows(p)).toBe(1)
    expect(await counter.prune()).toBe(0)
  })
})

type Instance = { base: string; deps: Deps; close(): Promise<void> }

async function serve(limits?: WindowCounter): Promise<Instance> {
  const deps = await createDeps(await testConfig(), { db: await testDatabase(), limits })
  const app = await buildApp(deps)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  return {
    base: `http://127.0.0.1:${port}`,
    deps,
    async close() {
      await app.close()
      await deps.close()
    },
  }
}

describe.each(['postgres', 'redis'] as const)('two instances with the %s store', (kind) => {
  let a: Instance
  let b: Instance
  beforeAll(async () => {
    await prisma.rateWindow.deleteMany()
    // With Redis, each instance connects on its own, as two servers would.
    const prefix = `paperboy-test:${randomBytes(6).toString('hex')}:`
    const counter = async () =>
      kind === 'redis' ? createRedisWindowCounter({ url: REDIS_URL, prefix }) : undefined
    a = await serve(await counter())
    b = await serve(await counter())
    expect(a.deps.limits.kind).toBe(kind)
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
  })

  it('together refuse signups from one address beyond the per-address limit', async () => {
    const run = randomBytes(3).toString('hex')
    const statuses: number[] = []
    // Alternating, and in pairs at once: the two must agree while both are counting.
    for (let i = 0; i < SIGNUP_RATE_LIMIT.max + 6; i += 2) {
      const pair = await Promise.all(
        [a, b].map((s, j) =>
          fetch(`${s.base}/api/subscriptions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `shared-${run}-${i + j}@example.org` }),
          }),
        ),
      )
      statuses.push(...pair.map((r) => r.status))
    }
    const accepted = statuses.filter((s) => s === 202).length
    const refused = statuses.filter((s) => s === 429).length
    console.info(
      `${kind}: ${accepted} accepted, ${refused} refused by two instances (limit ${SIGNUP_RATE_LIMIT.max})`,
    )
    expect(accepted).toBe(SIGNUP_RATE_LIMIT.max)
    expect(refused).toBe(statuses.length - SIGNUP_RATE_LIMIT.max)
    const last = await fetch(`${b.base}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ email: `shared-${run}-form@example.org` }).toString(),
    })
    expect(last.status).toBe(429)
    expect(((await last.json()) as { message: string }).message).toMatch(/rate limit|too many/i)
  })
})

describe('REDIS_URL', () => {
  it('makes createDeps keep the limits in Redis, and an unreachable one stops the start with its name', async () => {
    const deps = await createDeps(await testConfig({ REDIS_URL }), { db: await testDatabase() })
    try {
      expect(deps.limits.kind).toBe('redis')
    } finally {
      await deps.close()
    }
    await expect(
      createDeps(await testConfig({ REDIS_URL: 'redis://127.0.0.1:9' }), { db: await testDatabase() }),
    ).rejects.toThrow(/^REDIS_URL: cannot reach Redis/)
  })
})
