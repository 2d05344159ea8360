// Fetching through a real local HTTP server: retries on 5xx, Retry-After on 429, the
// arXiv-style throttle, size cap and timeout, and the clear failures (404, HTML page,
// empty body) that must store nothing. Delays are shrunk through FetchOptions; the
// server, the sockets and the database are real. The CLI is run as a child process.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { fetchSource, parseRetryAfter } from '../../../src/ingest/fetch-source'
import { createHostThrottle } from '../../../src/ingest/host-throttle'
import { type IngestDayOptions, ingestDay } from '../../../src/ingest/ingest-day'
import { IngestError } from '../../../src/ingest/ingest-error'
import { resetData, testDatabaseUrl, testPrisma } from '../../support/db'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const HF = readFileSync(new URL('../../fixtures/hf-daily-papers-2025-06-02.json', import.meta.url), 'utf8')
const HTML_ERROR =
  '<!DOCTYPE html>\n<html><head><title>Hugging Face – 502</title></head><body>Bad gateway</body></html>'

type Route = (req: IncomingMessage, res: ServerResponse, hit: number) => void
const hits = new Map<string, number[]>()
const seenAgents: string[] = []
const routes: Record<string, Route> = {
  '/ok': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(HF),
  '/flaky': (_q, res, n) => (n <= 2 ? res.writeHead(500).end('internal error') : res.writeHead(200).end(HF)),
  '/always-503': (_q, res) => res.writeHead(503).end('down'),
  '/busy': (_q, res, n) =>
    n === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end(HF),
  '/busy-long': (_q, res) => res.writeHead(429, { 'retry-after': '3600' }).end(),
  '/missing': (_q, res) =>
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not Found"}'),
  '/html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML_ERROR),
  '/empty': (_q, res) => res.writeHead(200).end(),
  '/big': (_q, res) => res.writeHead(200).end('['.padEnd(5000, ' ')),
  '/slow': () => {}, // never answers
}

let server: Server
let base: string
let prisma: Db

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const times = hits.get(path) ?? []
    times.push(Date.now())
    hits.set(path, times)
    seenAgents.push(req.headers['user-agent'] ?? '')
    const route = routes[path]
    if (route) route(req, res, times.length)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(async () => {
  hits.clear()
  prisma = await testPrisma()
  await resetData(prisma)
})

const sleeps: number[] = []
const fast = {
  backoffMs: 5,
  timeoutMs: 2_000,
  sleep: (ms: number) => {
    sleeps.push(ms)
    return new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20)))
  },
}
const ingest = (path: string, extra: Partial<IngestDayOptions> = {}) =>
  ingestDay(prisma, { date: '2025-06-02', url: `${base}${path}`, fetch: fast, ...extra })

async function expectNothingStored() {
  expect(await prisma.dailyList.count()).toBe(0)
  expect(await prisma.paper.count()).toBe(0)
}

async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(IngestError)
  return err as IngestError
}

describe('ingest --url through a local server', () => {
  it('stores the day from a healthy source, with a descriptive User-Agent', async () => {
    const report = await ingest('/ok')
    expect(report).toMatchObject({ source: 'huggingface', format: 'hf-json', parsed: 20, stored: 20 })
    expect(await prisma.dailyListEntry.count()).toBe(20)
    expect(seenAgents.at(-1)).toMatch(/^Paperboy\/\S+ \(.*digest/)
  })

  it('retries a server that answers 500 twice, then 200', async () => {
    const report = await ingest('/flaky')
    expect(report.stored).toBe(20)
    expect(hits.get('/flaky')).toHaveLength(3)
  })

  it('gives up after the bounded retries with a clear error and stores nothing', async () => {
    const err = await rejection(ingest('/always-503', { fetch: { ...fast, retries: 2 } }))
    expect(err.code).toBe('http')
    expect(err.message).toBe(`HTTP 503 from ${base}/always-503 after 3 attempts`)
    expect(hits.get('/always-503')).toHaveLength(3)
    await expectNothingStored()
  })

  it('honours Retry-After on 429 (real wait)', async () => {
    const report = await ingest('/busy', { fetch: { backoffMs: 5 } })
    expect(report.stored).toBe(20)
    const [first, second] = hits.get('/busy')!
    // The retry waits the 1 s asked for, not its own much longer backoff: bounded between
    // the two requests, so parsing and storing the day on a busy machine do not count.
    expect(second! - first!).toBeGreaterThanOrEqual(950)
    expect(second! - first!).toBeLessThan(4_000)
  })

  it('passes the Retry-After delay to the sleeper instead of its own backoff', async () => {
    sleeps.length = 0
    await ingest('/busy')
    expect(sleeps).toEqual([1000])
  })

  it('refuses a Retry-After longer than it is willing to wait', async () => {
    const err = await rejection(ingest('/busy-long'))
    expect(err.message).toMatch(/Retry-After asks for 3600 s/)
    expect(hits.get('/busy-long')).toHaveLength(1)
    await expectNothingStored()
  })

  it.each([
    ['/missing', 'not-found', /^HTTP 404 \(not found\) from http:\/\/127\.0\.0\.1:\d+\/missing$/],
    ['/html', 'html', /^got an HTML page, not a feed \(title: "Hugging Face – 502"\)$/],
    ['/empty', 'empty', /^input is empty$/],
    ['/big', 'too-large', /larger than 1000 bytes/],
    ['/slow', 'network', /no answer from .* within 300 ms after 2 attempts/],
  ])('%s is a clear error and nothing is stored', async (path, code, message) => {
    const err = await rejection(
      ingest(path, { fetch: { ...fast, maxBytes: 1000, timeoutMs: 300, retries: 1 } }),
    )
    expect(err.code).toBe(code)
    expect(err.message).toMatch(message)
    // 404 means "not there", not "try again": one request only.
    if (path === '/missing') expect(hits.get(path)).toHaveLength(1)
    await expectNothingStored()
  })

  it('spaces requests to a throttled host by the minimum interval', async () => {
    // One throttle shared by the three fetches, as src/deps.ts shares one per process. The
    // spacing is read where the requests start: arrival times at the server jitter by tens
    // of milliseconds on a loaded machine.
    const shared = createHostThrottle({ isThrottledHost: (h) => h === '127.0.0.1', minIntervalMs: 250 })
    const starts: number[] = []
    const throttle = {
      async wait(host: string) {
        await shared.wait(host)
        starts.push(performance.now())
      },
    }
    await Promise.all([
      fetchSource(`${base}/ok`, { throttle }),
      fetchSource(`${base}/ok`, { throttle }),
      fetchSource(`${base}/ok`, { throttle }),
    ])
    expect(hits.get('/ok')).toHaveLength(3)
    const [a, b, c] = starts
    expect(b! - a!).toBeGreaterThanOrEqual(245)
    expect(c! - b!).toBeGreaterThanOrEqual(245)
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-06-02T10:00:00Z')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter('Mon, 02 Jun 2025 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
  })
})

describe('npm run ingest (the CLI, as a child process)', () => {
  const run = async (args: string[]) => {
    const env = { ...process.env, DATABASE_URL: await testDatabaseUrl(), npm_lifecycle_event: 'ingest' }
    return promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['scripts/ingest.ts', ...args], {
      cwd: root,
      env,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    )
  }

  it('--url … --json prints one JSON report and exits 0; --file does the same', async () => {
    const out = await run(['--date', '2025-06-02', '--url', `${base}/ok`, '--json'])
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual({
      date: '2025-06-02',
      source: 'huggingface',
      format: 'hf-json',
      parsed: 20,
      stored: 20,
      skipped: [],
      warnings: [],
    })
    const file = fileURLToPath(new URL('../../fixtures/arxiv-atom-cs.AI-2025-08-20.xml', import.meta.url))
    const atom = await run(['--date', '2025-08-20', '--file', file, '--json'])
    expect(atom.code).toBe(0)
    expect(JSON.parse(atom.stdout)).toMatchObject({ source: 'arxiv:cs.AI', parsed: 86, stored: 86 })
    expect(JSON.parse(atom.stdout).warnings).toHaveLength(1)
  }, 60_000)

  it('exits 1 with one line for a 404, an HTML page and bad flags, storing nothing', async () => {
    for (const [args, message] of [
      [['--date', '2025-06-02', '--url', `${base}/missing`], /^ingest: HTTP 404 \(not found\) from /],
      [['--date', '2025-06-02', '--url', `${base}/html`], /^ingest: got an HTML page, not a feed/],
      [['--date', '2025-02-30', '--url', `${base}/ok`], /^ingest: --date is not a calendar date$/],
      [
        ['--date', '2025-06-02', '--format', 'csv', '--url', `${base}/ok`],
        /^ingest: --format must be one of /,
      ],
      [['--url', `${base}/ok`], /^ingest: --date YYYY-MM-DD is required/],
    ] as const) {
      const out = await run([...args])
      expect(out.code, args.join(' ')).toBe(1)
      expect(out.stderr.trim().split('\n')).toHaveLength(1)
      expect(out.stderr.trim()).toMatch(message)
    }
    await expectNothingStored()
  }, 90_000)
})
