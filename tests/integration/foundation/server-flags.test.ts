// `npm start -- --help` prints usage like every other command instead of starting a
// server on PORT; a flag it does not know is a one-line error, not silently ignored.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
// A port nothing listens on: if the flag were ignored, the server would start and the
// call would time out instead of exiting.
const env = { ...process.env, PORT: '1', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' }

function server(args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server.ts', ...args], {
    cwd: root,
    env,
    timeout: 30_000,
  })
}

it('prints usage for --help and exits 0 without starting', async () => {
  const { stdout } = await server(['--help'])
  expect(stdout).toMatch(/^Usage: npm start/)
}, 30_000)

it('exits 1 with one line naming an unknown flag', async () => {
  const err = await server(['--port', '4000']).then(
    () => null,
    (e: { code: number; stderr: string }) => e,
  )
  expect(err?.code).toBe(1)
  const lines = err!.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^paperboy: .*--port/)
}, 30_000)
