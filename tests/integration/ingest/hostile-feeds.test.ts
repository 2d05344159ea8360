// Hostile feeds through the real boundary: `npm run ingest` as a child process on real
// files (the bundled fixtures, poisoned), on this file's database. A poisoned field is
// cleaned or cut and the day stored; a document that would cost unbounded time or memory
// is refused in seconds with one line, within a bounded RSS.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import type { Db } from '../../../src/db/prisma'
import { createDeps } from '../../../src/deps'
import { failureReason } from '../../../src/failure-reason'
import { resetData, testConfig, testDatabase, testDatabaseUrl, testPrisma } from '../../support/db'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => readFile(join(root, 'tests/fixtures', name), 'utf8')
const ATOM = 'arxiv-atom-cs.AI-2025-08-20.xml'
const HF = 'hf-daily-papers-2025-06-02.json'

type Run = { code: number; stdout: string; stderr: string; cpuMs: number; rssMb: number }

/**
 * The CLI in one Node process (no tsx wrapper), under GNU time for its peak RSS and its
 * CPU time. The bound is on CPU, the work a document costs: wall time on a shared 2-core
 * machine also counts the wait for a core (13 s of wall for 1–2 s of work at load 14).
 * A hang still fails: the process is killed after 30 s and its exit code is not 1.
 */
async function ingest(args: string[]): Promise<Run> {
  const env = { ...process.env, DATABASE_URL: await testDatabaseUrl(), npm_lifecycle_event: 'ingest' }
  const out = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, '--import', 'tsx', 'scripts/ingest.ts', ...args],
    { cwd: root, env, maxBuffer: 16 * 1024 * 1024, timeout: 30_000, killSignal: 'SIGKILL' },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  )
  const rss = /maxrss_kb=(\d+)/.exec(out.stderr)
  const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(out.stderr)
  return {
    ...out,
    stderr: out.stderr
      .replace(/maxrss_kb=\d+ cpu_s=[\d.]+\+[\d.]+\n?/, '')
      .replace(/Command exited with non-zero status \d+\n?/, '')
      .trim(),
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN,
    rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
  }
}

let dir: string
let prisma: Db
const file = async (name: string, body: string) => {
  const path = join(dir, name)
  await writeFile(path, body)
  return path
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-hostile-'))
  prisma = await testPrisma()
})
afterAll(() => rm(dir, { recursive: true, force: true }))
beforeEach(() => resetData(prisma))

async function storedText(): Promise<string> {
  const papers = await prisma.paper.findMany()
  return JSON.stringify(papers)
}

describe('poisoned text: the day is stored, the poison is not', () => {
  it('HF JSON: a raw \\ud800 title, an emoji cut in half, bidi controls, hostile links, huge fields', async () => {
    const items = JSON.parse(await fixture(HF))
    items[0].paper.title = 'Lone \ud800 surrogate in a title'
    items[1].paper.summary = `${items[1].paper.summary} cut in the middle of an emoji \ud83d`
    items[2].paper.title = 'Harmless\u202Egnp.exe\u202C and \u2066isolated\u2069 \u061Cmark'
    items[3].paper.githubRepo = 'javascript:alert(document.cookie)'
    items[3].paper.projectPage = '//evil.example/phish'
    items[4].paper.githubRepo = 'data:text/html,<script>alert(1)</script>'
    items[4].paper.projectPage = 'file:///etc/passwd'
    items[5].paper.authors = [{ name: 'A'.repeat(100_000) }, ...items[5].paper.authors]
    items[6].paper.summary = 'word '.repeat(400_000) // 2 MB
    items[7].paper.ai_keywords = Array.from({ length: 5_000 }, (_, i) => `keyword ${i}`)
    items[8].paper.title = 'T'.repeat(50_000)
    // JSON.stringify writes lone surrogates as \ud800 escapes, as a hostile API would.
    const path = await file('poisoned.json', JSON.stringify(items))

    const run = await ingest(['--date', '2025-06-02', '--file', path, '--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ parsed: 20, stored: 20, skipped: [] })
    expect(report.warnings.join('\n')).toMatch(/entry 7: abstract cut to 5000 characters/)

    const text = await storedText()
    expect(text).not.toMatch(LONE_SURROGATE)
    expect(text).not.toMatch(BIDI)
    expect(text).not.toMatch(/javascript:|data:text|file:|\/\/evil/)
    const papers = await prisma.paper.findMany()
    for (const p of papers) {
      expect(p.title.length).toBeLessThanOrEqual(500)
      expect(p.abstract.length).toBeLessThanOrEqual(5_000)
      expect(p.authors.every((a) => a.length <= 100)).toBe(true)
      expect(p.aiKeywords.length).toBeLessThanOrEqual(30)
      for (const url of [p.url, p.githubRepo, p.projectPage]) if (url) expect(url).toMatch(/^https?:\/\/[^/]/)
    }
    expect(papers.find((p) => p.arxivId === items[2].paper.id)?.title).toBe(
      'Harmlessgnp.exe and isolated mark',
    )

    // And what the API serves is what was stored.
    const deps = await createDeps(await testConfig(), { db: await testDatabase() })
    const app = await buildApp(deps)
    try {
      const api = await app.inject('/api/papers?date=2025-06-02')
      expect(api.statusCode).toBe(200)
      expect(api.body).not.toMatch(/javascript:|data:text|file:|\/\/evil/)
      expect(api.body.length).toBeLessThan(200_000)
      // A row written before ingest checked links is not served verbatim either.
      await prisma.paper.updateMany({ data: { githubRepo: 'javascript:alert(1)', url: '//evil.example' } })
      const old = await app.inject('/api/papers?date=2025-06-02')
      expect(old.body).not.toMatch(/javascript:|\/\/evil/)
    } finally {
      await app.close()
      await deps.close()
    }
  }, 60_000)

  it('Atom: &#xD800; and &#x202E; as character references in an entry', async () => {
    const atom = (await fixture(ATOM))
      .replace('<title>Chain-of-Agents:', '<title>Chain&#xD800;-of-Agents&#x202E;:')
      .replace('Announce Type: new \nAbstract: ', 'Announce Type: new \nAbstract: &#xDC00;&#x2066; ')
    const path = await file('poisoned.xml', atom)
    const run = await ingest(['--date', '2025-08-20', '--file', path, '--json'])
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toMatchObject({ parsed: 86, stored: 86 })
    const text = await storedText()
    expect(text).not.toMatch(LONE_SURROGATE)
    expect(text).not.toMatch(BIDI)
  }, 60_000)
})

describe('a failure always names its cause', () => {
  it('a database refusal (Prisma starts its message with a line break) becomes one non-empty line', async () => {
    const err = await prisma
      .$queryRawUnsafe('SELECT $1::jsonb', '{"a": "unterminated')
      .catch((e: unknown) => e)
    expect((err as Error).message.split('\n')[0]).toBe('') // what used to be recorded
    expect(failureReason(err)).toMatch(
      /^the database refused it: invalid input syntax for type json \(22P02\)$/,
    )
    expect(failureReason(new Error(''))).not.toBe('')
    expect(failureReason(undefined)).not.toBe('')
  })
})

describe('documents that cost unbounded work are refused or parsed within 10 s of CPU and 300 MB', () => {
  const deepAtom = async (levels: number) => {
    const atom = await fixture(ATOM)
    const at = atom.indexOf('</summary>')
    return `${atom.slice(0, at)}${'<b>'.repeat(levels)}x${'</b>'.repeat(levels)}${atom.slice(at)}`
  }

  it('an entry nested 5,000 deep inside its <summary> is skipped; the other 85 are stored', async () => {
    const run = await ingest([
      '--date',
      '2025-08-20',
      '--file',
      await file('deep5k.xml', await deepAtom(5_000)),
      '--json',
    ])
    expect(run.stderr).toBe('')
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ parsed: 85, stored: 85 })
    expect(report.skipped).toEqual([{ index: 1, reason: 'entry markup nests deeper than 32 levels' }])
  }, 60_000)

  for (const levels of [100_000, 1_000_000]) {
    it(`an Atom feed nested ${levels.toLocaleString('en')} levels deep: refused with one line`, async () => {
      const run = await ingest([
        '--date',
        '2025-08-20',
        '--file',
        await file(`deep${levels}.xml`, await deepAtom(levels)),
      ])
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/^ingest: refused: XML nests deeper than \d+ levels \(line \d+\)$/)
      expect(run.cpuMs).toBeLessThan(10_000)
      expect(run.rssMb).toBeLessThan(300)
      expect(await prisma.paper.count()).toBe(0)
    }, 60_000)
  }

  it('JSON nested 1,000,000 levels deep: refused or parsed, never a hang', async () => {
    const json = `[${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]`
    const run = await ingest(['--date', '2025-06-02', '--file', await file('deep.json', json)])
    expect(run.cpuMs).toBeLessThan(10_000)
    expect(run.rssMb).toBeLessThan(300)
    expect(run.stderr.split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/^ingest: \S/)
  }, 60_000)

  it('a 50 MB file is refused at once with its size, reading none of it', async () => {
    const items = JSON.parse(await fixture(HF))
    const copies: unknown[] = []
    let size = 0
    while (size < 50 * 1024 * 1024) {
      const item = items[copies.length % items.length]
      copies.push(item)
      size += JSON.stringify(item).length + 1
    }
    const run = await ingest([
      '--date',
      '2025-06-02',
      '--file',
      await file('big.json', JSON.stringify(copies)),
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^ingest: \S+big\.json is 5\d\.\d MB, more than the 10\.0 MB a feed may be$/)
    expect(run.cpuMs).toBeLessThan(10_000)
    expect(run.rssMb).toBeLessThan(300)
  }, 120_000)

  it('10 MB of tiny JSON objects: refused for memory or parsed, within the limits', async () => {
    const body = `[${'{},'.repeat(3_400_000)}{}]`
    const run = await ingest(['--date', '2025-06-02', '--file', await file('tiny.json', body)])
    expect(run.cpuMs).toBeLessThan(10_000)
    expect(run.rssMb).toBeLessThan(300)
    expect(run.stderr).toMatch(/^(ingest: \S.*)?$/)
  }, 60_000)
})
