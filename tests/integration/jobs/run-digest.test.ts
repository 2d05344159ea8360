// runDigest end to end on real PostgreSQL, a real SMTP server (tests/support/smtp-sink.ts)
// and a real HTTP source (node:http) that answers per date: the Hugging Face fixture, a
// list published late (404, then [], then the list), a source that never publishes, and
// an empty weekend arXiv feed. Retry delays are shrunk through the run's options; the
// sockets, the database and the mail are real.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps, type Deps } from '../../../src/deps'
import { runDigest } from '../../../src/jobs/run-digest'
import { startScheduler } from '../../../src/jobs/scheduler'
import { resetData, testConfig, testDatabase, testDatabaseUrl } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import { createReader } from '../digest/helpers'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const hfFile = fileURLToPath(new URL('../../fixtures/hf-daily-papers-2025-06-02.json', import.meta.url))
const HF = readFileSync(hfFile, 'utf8')
const EMPTY_ATOM = `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">
  <id>http://rss.arxiv.org/atom/cs.AI</id>
  <title>cs.AI updates on arXiv.org</title>
  <updated>2025-06-07T04:00:00.000000+00:00</updated>
  <link href="http://rss.arxiv.org/atom/cs.AI" rel="self" type="application/atom+xml"/>
  <subtitle>cs.AI updates on the arXiv.org e-print archive.</subtitle>
</feed>`

const MONDAY = '2025-06-02' // the fixture's day
const LATE = '2025-06-03' // 404, then [], then the list
const NEVER = '2025-06-04' // always 404
const SATURDAY = '2025-06-07' // an empty arXiv feed
const TOKEN = 'admin-token-for-tests-0123456789'

const hits = new Map<string, number>()
let server: Server
let base: string
let sink: SmtpSink
let deps: Deps

function answer(date: string, n: number): { status: number; type: string; body: string } {
  const json = 'application/json'
  if (date === MONDAY) return { status: 200, type: json, body: HF }
  if (date === LATE) {
    if (n === 1) return { status: 404, type: json, body: '{"error":"Not Found"}' }
    if (n === 2) return { status: 200, type: json, body: '[]' }
    return { status: 200, type: json, body: HF }
  }
  if (date === SATURDAY) return { status: 200, type: 'application/atom+xml', body: EMPTY_ATOM }
  return { status: 404, type: json, body: '{"error":"Not Found"}' }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const date = new URL(req.url ?? '/', 'http://x').searchParams.get('date') ?? ''
    const n = (hits.get(date) ?? 0) + 1
    hits.set(date, n)
    const a = answer(date, n)
    res.writeHead(a.status, { 'content-type': a.type }).end(a.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  sink = await startSmtpSink()
  const config = await testConfig({
    SMTP_URL: sink.url,
    PAPERS_SOURCE_URL: `${base}/api/daily_papers?date={date}`,
    SEND_RATE: '1000',
    ADMIN_TOKEN: TOKEN,
  })
  deps = await createDeps(config, { db: await testDatabase() })
})

afterAll(async () => {
  await deps?.close()
  await sink?.close()
  await new Promise((resolve) => server?.close(resolve))
})

const fast = { retry: { maxAttempts: 3, baseMs: 30, maxMs: 30 }, fetch: { retries: 0 } }

let readers: Record<string, number>
beforeEach(async () => {
  await resetData(deps.prisma)
  hits.clear()
  sink.messages.length = 0
  readers = {
    rl: await createReader(deps.prisma, { email: 'rl@example.org', topics: ['reinforcement-learning'] }),
    llm: await createReader(deps.prisma, {
      email: 'llm@example.org',
      topics: ['language-models', 'reasoning'],
      keywords: ['code generation'],
    }),
    trending: await createReader(deps.prisma, {
      email: 'trending@example.org',
      keywords: ['protein folding'],
      fallbackToTrending: true,
      maxPapers: 3,
    }),
    nothing: await createReader(deps.prisma, { email: 'nothing@example.org', keywords: ['protein folding'] }),
    paused: await createReader(deps.prisma, {
      email: 'paused@example.org',
      topics: ['reasoning'],
      paused: true,
    }),
  }
})

const recipients = () => sink.messages.flatMap((m) => m.to).sort()
const deliveries = (date: string) =>
  deps.prisma.delivery.findMany({
    where: { date: new Date(`${date}T00:00:00Z`) },
    orderBy: { subscriberId: 'asc' },
  })

describe('runDigest', () => {
  it('ingests, plans and sends one email per due reader; a second run sends nothing', async () => {
    const report = await runDigest(deps, { date: MONDAY, ...fast })
    expect(report.outcome).toBe('done')
    expect(report.ingest).toMatchObject({ action: 'stored', source: 'huggingface', parsed: 20, stored: 20 })
    expect(report.plan).toEqual({ due: 4, planned: 3, skipped: 1, alreadyPlanned: 0 })
    expect(report.run).toMatchObject({
      phase: 'done',
      due: 4,
      planned: 3,
      skipped: 1,
      sent: 3,
      failed: 0,
      error: null,
    })
    expect(recipients()).toEqual(['llm@example.org', 'rl@example.org', 'trending@example.org'])
    for (const m of sink.messages) {
      expect(m.headers.get('list-unsubscribe')).toMatch(/^<http/)
      expect(m.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    }
    const rows = await deliveries(MONDAY)
    expect(rows.map((d) => [d.subscriberId, d.status])).toEqual([
      [readers.rl, 'sent'],
      [readers.llm, 'sent'],
      [readers.trending, 'sent'],
      [readers.nothing, 'skipped'],
    ])
    expect(hits.get(MONDAY)).toBe(1)

    const again = await runDigest(deps, { date: MONDAY, ...fast })
    expect(again.outcome).toBe('done')
    expect(again.ingest).toEqual({ action: 'kept', reason: 'the date already has a list (20 entries)' })
    expect(again.plan).toMatchObject({ planned: 0, skipped: 0, alreadyPlanned: 4 })
    expect(again.delivery).toMatchObject({ sent: 0, failed: 0 })
    expect(sink.messages).toHaveLength(3)
    expect(hits.get(MONDAY)).toBe(1) // the list was not fetched again
  })

  it('two runs of one date at once: one runs, the other says busy; still one email each', async () => {
    const [a, b] = await Promise.all([
      runDigest(deps, { date: MONDAY, ...fast }),
      runDigest(deps, { date: MONDAY, ...fast }),
    ])
    expect([a.outcome, b.outcome].sort()).toEqual(['busy', 'done'])
    expect(recipients()).toEqual(['llm@example.org', 'rl@example.org', 'trending@example.org'])
  })

  it('waits for a list published late (404, then an empty weekday list), then sends', async () => {
    const report = await runDigest(deps, { date: LATE, ...fast })
    expect(report.outcome).toBe('done')
    expect(hits.get(LATE)).toBe(3)
    expect(report.run).toMatchObject({ phase: 'done', attempts: 2, error: null, sent: 3 })
    expect(sink.messages).toHaveLength(3)
  })

  it('gives up on a list that never comes, after the bounded attempts, with the reason', async () => {
    const report = await runDigest(deps, { date: NEVER, ...fast })
    expect(report.outcome).toBe('failed')
    expect(hits.get(NEVER)).toBe(3)
    expect(report.error).toMatch(/^no list for 2025-06-04 after 3 attempts: HTTP 404 \(not found\)/)
    expect(report.run).toMatchObject({ phase: 'failed', attempts: 3, planned: 0 })
    expect(await deps.prisma.delivery.count()).toBe(0)
    expect(sink.messages).toHaveLength(0)
  })

  it('an empty weekend arXiv feed ends the run quietly', async () => {
    const report = await runDigest(deps, { date: SATURDAY, ...fast })
    expect(report.outcome).toBe('nothing-today')
    expect(report.run).toMatchObject({
      phase: 'done',
      source: 'arxiv:cs.AI',
      due: 0,
      planned: 0,
      sent: 0,
      error: null,
    })
    expect(hits.get(SATURDAY)).toBe(1)
    expect(await deps.prisma.delivery.count()).toBe(0)
    expect(await deps.prisma.dailyList.count()).toBe(0)
  })

  it('a dry run reports what would be planned and writes nothing', async () => {
    const report = await runDigest(deps, { date: MONDAY, dryRun: true, ...fast })
    expect(report.outcome).toBe('dry-run')
    expect(report.ingest).toMatchObject({ action: 'parsed', parsed: 20 })
    expect(report.plan).toMatchObject({ due: 4, planned: 3, skipped: 1, alreadyPlanned: 0 })
    expect(report.plan!.readers!.map((r) => r.status).sort()).toEqual([
      'pending',
      'pending',
      'pending',
      'skipped',
    ])
    expect(await deps.prisma.digestRun.count()).toBe(0)
    expect(await deps.prisma.dailyList.count()).toBe(0)
    expect(await deps.prisma.delivery.count()).toBe(0)
    expect(sink.messages).toHaveLength(0)
  })
})

describe('scheduler', () => {
  it("on start, runs the morning's digest (the previous day's list) whose 06:00 passed while it was down, once", async () => {
    const config = { ...deps.config, digestCron: '0 6 * * *', digestTz: 'UTC' }
    const TUESDAY = '2025-06-03'
    const scheduler = startScheduler(
      { ...deps, config },
      { now: () => new Date(`${TUESDAY}T09:30:00Z`), run: fast },
    )
    expect(await scheduler.checked).toMatchObject({ resumed: true })
    const deadline = Date.now() + 20_000
    while ((await deps.prisma.digestRun.findFirst())?.phase !== 'done' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100))
    await scheduler.stop()
    expect(recipients()).toEqual(['llm@example.org', 'rl@example.org', 'trending@example.org'])

    // Started again the same day: the run is done, nothing to catch up on.
    const again = startScheduler(
      { ...deps, config },
      { now: () => new Date(`${TUESDAY}T11:00:00Z`), run: fast },
    )
    expect(await again.checked).toMatchObject({ resumed: false })
    await again.stop()
    expect(sink.messages).toHaveLength(3)
    expect(hits.get(MONDAY)).toBe(1)
  })

  it('does nothing when SCHEDULER_ENABLED=false', async () => {
    const config = { ...deps.config, schedulerEnabled: false }
    const scheduler = startScheduler({ ...deps, config }, { now: () => new Date(`${MONDAY}T09:30:00Z`) })
    expect(await scheduler.checked).toEqual({ resumed: false, reason: 'scheduler disabled' })
    await scheduler.stop()
    expect(await deps.prisma.digestRun.count()).toBe(0)
  })
})

describe('admin runs API', () => {
  const auth = { authorization: `Bearer ${TOKEN}` }

  it('starts a run in the background (202), reports it, and refuses a second one while it runs (409)', async () => {
    const app = await buildApp(deps)
    try {
      expect(
        (await app.inject({ method: 'POST', url: '/api/admin/runs', payload: { date: MONDAY } })).statusCode,
      ).toBe(401)
      const bad = await app.inject({
        method: 'POST',
        url: '/api/admin/runs',
        headers: auth,
        payload: { date: '2025-13-01' },
      })
      expect(bad.statusCode).toBe(400)
      const missing = await app.inject({ method: 'GET', url: `/api/admin/runs/${MONDAY}`, headers: auth })
      expect(missing.statusCode).toBe(404)

      const started = await app.inject({
        method: 'POST',
        url: '/api/admin/runs',
        headers: auth,
        payload: { date: MONDAY },
      })
      expect(started.statusCode).toBe(202)
      expect(started.headers.location).toBe(`/api/admin/runs/${MONDAY}`)
      let status = (
        await app.inject({ method: 'GET', url: `/api/admin/runs/${MONDAY}`, headers: auth })
      ).json()
      const deadline = Date.now() + 20_000
      while (status.phase !== 'done' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
        status = (await app.inject({ method: 'GET', url: `/api/admin/runs/${MONDAY}`, headers: auth })).json()
      }
      expect(status).toMatchObject({
        date: MONDAY,
        phase: 'done',
        due: 4,
        planned: 3,
        skipped: 1,
        sent: 3,
        failed: 0,
      })
      expect(recipients()).toEqual(['llm@example.org', 'rl@example.org', 'trending@example.org'])

      // A date whose source is not there: the run waits (default policy: half an hour
      // between tries), so it is still running when the second request comes.
      const first = await app.inject({
        method: 'POST',
        url: '/api/admin/runs',
        headers: auth,
        payload: { date: NEVER },
      })
      expect(first.statusCode).toBe(202)
      const second = await app.inject({
        method: 'POST',
        url: '/api/admin/runs',
        headers: auth,
        payload: { date: NEVER },
      })
      expect(second.statusCode).toBe(409)
      expect(second.json()).toMatchObject({ error: 'conflict' })
      const deadline2 = Date.now() + 10_000
      // Wait for the run to record its first failed try (the event), not for a length of time.
      let waiting = { error: null as string | null }
      while (!waiting.error && Date.now() < deadline2) {
        await new Promise((r) => setTimeout(r, 50))
        waiting = (await app.inject({ method: 'GET', url: `/api/admin/runs/${NEVER}`, headers: auth })).json()
      }
      expect(hits.get(NEVER)).toBe(1)
      expect(waiting).toMatchObject({ phase: 'ingesting', attempts: 1, running: true })
      expect(waiting.error).toMatch(/HTTP 404/)
    } finally {
      await app.close()
    }
    // Closing the app stopped the waiting run between tries; it stays resumable.
    const run = await deps.prisma.digestRun.findUnique({ where: { date: new Date(`${NEVER}T00:00:00Z`) } })
    expect(run).toMatchObject({ phase: 'ingesting', attempts: 1 })
  })
})

describe('npm run digest', () => {
  const cli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/digest.ts', ...args],
        {
          cwd: root,
          env: {
            ...process.env,
            DATABASE_URL: await testDatabaseUrl(),
            SMTP_URL: sink.url,
            SEND_RATE: '1000',
            LOG_LEVEL: 'silent',
            NODE_ENV: 'test',
            npm_lifecycle_event: 'digest',
          },
          timeout: 60_000,
        },
      )
      return { code: 0, stdout, stderr }
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  it('runs a date from a file and prints one JSON object; exit 1 with one line when no list comes', async () => {
    const ok = await cli(['--date', MONDAY, '--file', hfFile, '--json'])
    expect(ok.code).toBe(0)
    const report = JSON.parse(ok.stdout)
    expect(report).toMatchObject({
      date: MONDAY,
      outcome: 'done',
      run: { phase: 'done', sent: 3, skipped: 1 },
    })
    expect(recipients()).toEqual(['llm@example.org', 'rl@example.org', 'trending@example.org'])

    const failed = await cli(['--date', NEVER, '--url', `${base}/api/daily_papers?date=${NEVER}`])
    expect(failed.code).toBe(1)
    expect(failed.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^digest: no list for 2025-06-04: HTTP 404 \(not found\)/),
    ])
    const bad = await cli(['--date', 'tomorrow'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--date must be a date as YYYY-MM-DD/)
  })
})
