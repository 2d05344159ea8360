// The compiled-HTML cache: the same templates, script and MJML give the stored HTML without
// compiling; any change to a file (a partial too) or to the script compiles again; a failed
// compile stores nothing.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedCompile } from '../../../src/digest/render/compiled-html-cache'

let root: string
let templates: string
let cache: string
let script: string
let compiled: string[][]

const compile = async (_dir: string, names: readonly string[]) => {
  compiled.push([...names])
  return names.map((n) => `<html>${n} #${compiled.length}</html>`)
}
const run = () => cachedCompile(templates, ['a', 'b'], script, compile, cache)

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'paperboy-html-cache-'))
  templates = join(root, 'templates')
  cache = join(root, 'cache')
  script = join(root, 'compile.mjs')
  await mkdir(join(templates, 'partials'), { recursive: true })
  await writeFile(join(templates, 'a.mjml'), '<mjml>a</mjml>')
  await writeFile(join(templates, 'b.mjml'), '<mjml>b</mjml>')
  await writeFile(join(templates, 'partials', 'head.mjml'), '<mj-head />')
  await writeFile(script, '// options v1')
  compiled = []
})
afterEach(() => rm(root, { recursive: true, force: true }))

describe('cachedCompile', () => {
  it('compiles once for the same inputs and returns the stored HTML after', async () => {
    const first = await run()
    expect(first).toEqual(['<html>a #1</html>', '<html>b #1</html>'])
    expect(await run()).toEqual(first)
    expect(compiled).toHaveLength(1)
  })

  it('compiles again when a partial, a template or the script changes', async () => {
    await run()
    await writeFile(join(templates, 'partials', 'head.mjml'), '<mj-head><mj-title>x</mj-title></mj-head>')
    expect((await run())[0]).toBe('<html>a #2</html>')
    await writeFile(join(templates, 'b.mjml'), '<mjml>b2</mjml>')
    await run()
    await writeFile(script, '// options v2')
    await run()
    expect(compiled).toHaveLength(4)
    // The earlier inputs are still stored under their own hash.
    await writeFile(script, '// options v1')
    await run()
    expect(compiled).toHaveLength(4)
  })

  it('stores nothing when the compile fails', async () => {
    const failing = async () => {
      throw new Error('strict validation failed')
    }
    await expect(cachedCompile(templates, ['a', 'b'], script, failing, cache)).rejects.toThrow(/strict/)
    expect(await readdir(cache).catch(() => [])).toEqual([])
    await run()
    expect(compiled).toHaveLength(1)
  })

  it('compiles without a cache when the templates folder cannot be read', async () => {
    const missing = join(root, 'nowhere')
    await expect(
      cachedCompile(missing, ['a'], script, async () => Promise.reject(new Error('ENOENT')), cache),
    ).rejects.toThrow(/ENOENT/)
  })
})
