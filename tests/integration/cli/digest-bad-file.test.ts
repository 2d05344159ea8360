// `npm run digest -- --file P` with a path that cannot be read is bad input: one line,
// exit 1, and the date's DigestRun untouched (a finished run must not turn "failed"
// because of a typo).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { testDatabaseUrl, testPrisma } from '../../support/db'

const root = fileURLToPath(new URL('../../..', import.meta.url))

it('exits 1 naming the file and leaves the run of that date as it was', async () => {
  const prisma = await testPrisma()
  const date = new Date('2025-06-02T00:00:00Z')
  await prisma.digestRun.create({ data: { date, phase: 'done', finishedAt: new Date() } })

  const err = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/digest.ts', '--date', '2025-06-02', '--file', '/no/such/list.json'],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: await testDatabaseUrl(), LOG_LEVEL: 'silent' },
      timeout: 60_000,
    },
  ).then(
    () => null,
    (e: { code: number; stdout: string; stderr: string }) => e,
  )
  expect(err?.code).toBe(1)
  expect(err!.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^[\w:-]+: cannot read \/no\/such\/list\.json \(ENOENT\)$/),
  ])
  const run = await prisma.digestRun.findUniqueOrThrow({ where: { date } })
  expect(run.phase).toBe('done')
  expect(run.error).toBeNull()
}, 60_000)
