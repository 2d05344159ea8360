// `npm run digest -- --dry-run --json` prints one JSON object on stdout and nothing else,
// logs included (they go to stderr), so its output can be piped into jq as it is; and it
// says the list was parsed, not stored.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { testDatabaseUrl, testPrisma } from '../../support/db'

const root = fileURLToPath(new URL('../../..', import.meta.url))

it('stdout is the report alone; the logs are on stderr; nothing is stored', async () => {
  const prisma = await testPrisma()
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/digest.ts',
      '--date',
      '2025-06-02',
      '--file',
      'tests/fixtures/hf-daily-papers-2025-06-02.json',
      '--dry-run',
      '--json',
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: await testDatabaseUrl(), LOG_LEVEL: 'info' },
      timeout: 60_000,
    },
  )
  const report = JSON.parse(stdout)
  expect(report).toMatchObject({ date: '2025-06-02', outcome: 'dry-run' })
  expect(report.ingest).toEqual({
    action: 'parsed',
    source: 'huggingface',
    format: 'hf-json',
    parsed: 20,
    skipped: 0,
  })
  expect(stderr).toMatch(/"msg":"digest planned in memory \(nothing stored\)"/)
  expect(await prisma.dailyList.count()).toBe(0)
  expect(await prisma.digestRun.count()).toBe(0)
}, 60_000)
