// `npm test` is only worth running if it fails when a test fails. Under the embedded
// database (what a new contributor gets without DATABASE_URL) a failing run used to exit
// 0: the package's exit hook ended the process with a code of its own. This runs a real
// vitest on fixture suites (tests/fixtures/exit-code) through the real global set-up and
// reads the exit code the shell would see.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../../..')
const CONFIG = 'tests/fixtures/exit-code/vitest.config.ts'

type Run = { code: number | null; output: string }

function runFixtures(files: string[], databaseUrl?: string): Promise<Run> {
  // The child is a fresh vitest: none of this run's own VITEST_* state, and a database
  // only when the case asks for one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'DATABASE_URL'),
  )
  const child = spawn(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', CONFIG, '--reporter', 'dot'],
    {
      cwd: ROOT,
      env: {
        ...env,
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        EXIT_CODE_FILES: files.join(','),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })))
}

describe('npm test exit code', () => {
  it('is non-zero when a test fails, or a suite cannot start, on the embedded database and on a server', async () => {
    const [failing, broken, passing, failingOnServer] = await Promise.all([
      runFixtures(['failing', 'passing']),
      runFixtures(['broken']),
      runFixtures(['passing']),
      runFixtures(['failing'], inject('pgServerUrl')),
    ])
    expect(failing.output).toMatch(/Tests\s+\S*1 failed/)
    expect(failing.code, failing.output).toBe(1)
    expect(broken.output).toMatch(/this suite cannot start/)
    expect(broken.code, broken.output).toBe(1)
    expect(failingOnServer.code, failingOnServer.output).toBe(1)
    // …and the check can tell: the same set-up with nothing failing exits 0.
    expect(passing.output).toMatch(/Tests\s+\S*1 passed/)
    expect(passing.code, passing.output).toBe(0)
  })
})
