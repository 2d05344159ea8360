// The server's own daily run fetching a hostile document from PAPERS_SOURCE_URL: a real
// `src/server.ts` process on this file's database, a real HTTP source on 127.0.0.1. While
// the run parses, /healthz keeps answering; the run ends failed with a one-line reason
// (never stuck in `ingesting`), and SIGTERM still stops the process.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../support/db'
import { freePort } from '../../support/free-port'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const TOKEN = 'admin-token-for-hostile-tests-0123456789'
const DATE = '2025-08-20'

let source: Server
let sourceUrl: string
let server: ChildProcess
let stderr = ''
let port: number
let base: string

beforeAll(async () => {
  port = await freePort()
  base = `http://127.0.0.1:${port}`
  const atom = await readFile(join(ROOT, 'tests/fixtures/arxiv-atom-cs.AI-2025-08-20.xml'), 'utf8')
  const at = atom.indexOf('</summary>')
  // 1,000,000 levels inside one <summary>: 7 MB, under the size cap, so the parser meets it.
  const deep = `${atom.slice(0, at)}${'<b>'.repeat(1_000_000)}x${'</b>'.repeat(1_000_000)}${atom.slice(at)}`
  source = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(deep),
  )
  await new Promise<void>((r) => source.listen(0, '127.0.0.1', r))
  sourceUrl = `http://127.0.0.1:${(source.address() as AddressInfo).port}/feed?date={date}`

  server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: await testDatabaseUrl(),
      SCHEDULER_ENABLED: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_TOKEN: TOKEN,
      PAPERS_SOURCE_URL: sourceUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  server.stderr!.on('data', (d) => (stderr += d))
  const until = Date.now() + 60_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (Date.now() > until) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 200))
  }
}, 90_000)

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL')
  await new Promise<void>((r) => source.close(() => r()))
})

describe('a 1,000,000-level feed fetched by the server', () => {
  it('is refused while /healthz answers; the run is failed with its reason; SIGTERM stops the server', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const started = await fetch(`${base}/api/admin/runs`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ date: DATE }),
    })
    expect(started.status).toBe(202)

    let slowest = 0
    let run: { phase: string; error: string | null; running: boolean } | undefined
    const until = Date.now() + 30_000
    while (Date.now() < until) {
      const t = Date.now()
      const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })
      slowest = Math.max(slowest, Date.now() - t)
      expect(health.status).toBe(200)
      run = (await (await fetch(`${base}/api/admin/runs/${DATE}`, { headers: auth })).json()) as typeof run
      if (run?.phase === 'failed' && !run.running) break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(run?.phase).toBe('failed')
    expect(run?.error).toMatch(/^refused: XML nests deeper than \d+ levels/)
    expect(slowest).toBeLessThan(1_000)

    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)))
    server.kill('SIGTERM')
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))])
    expect(code).toBe(0)
  }, 60_000)
})
