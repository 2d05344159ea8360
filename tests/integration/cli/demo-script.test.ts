// `npm run demo` as a new user runs it (scripts/demo.ts in its own process): the README
// promises that all five demo readers get the bundled day's email, written to the
// outbox, and that a second run leaves the same state.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../support/db'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const outbox = mkdtempSync(join(tmpdir(), 'paperboy-demo-'))
afterAll(() => rmSync(outbox, { recursive: true, force: true }))

interface DemoRow {
  reader: string
  status: string
  papers: number
  file: string
}

async function runDemo(): Promise<DemoRow[]> {
  // No SMTP_URL: the demo writes to the outbox and refuses to run with one.
  const { SMTP_URL: _smtp, ...inherited } = process.env
  const env = { ...inherited, DATABASE_URL: await testDatabaseUrl(), OUTBOX_DIR: outbox, LOG_LEVEL: 'warn' }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--json'],
    {
      cwd: root,
      env,
      timeout: 60_000,
    },
  )
  return JSON.parse(stdout).readers
}

it('sends every demo reader, the weekly one included, an email and changes nothing when run again', async () => {
  const first = await runDemo()
  expect(first.map((r) => r.reader)).toEqual([
    'ada@example.org',
    'ben@example.org',
    'chen@example.org',
    'dana@example.org',
    'eli@example.org',
  ])
  for (const row of first) {
    expect(row.status, row.reader).toBe('sent')
    expect(row.papers, row.reader).toBeGreaterThan(0)
    expect(existsSync(row.file), row.file).toBe(true)
  }
  const files = readdirSync(outbox).sort()
  expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(5)

  expect(await runDemo()).toEqual(first)
  expect(readdirSync(outbox).sort()).toEqual(files)
}, 120_000)
