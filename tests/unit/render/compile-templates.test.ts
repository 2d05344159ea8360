import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileTemplates, TEMPLATES_DIR } from '../../../src/digest/render'

// MJML runs in a child process (mjml-compile.mjs): what it reports must still reach the caller.
describe('compileTemplates', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperboy-templates-'))
    await cp(TEMPLATES_DIR, dir, { recursive: true })
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('returns every template as a skeleton with its markers', async () => {
    const t = await compileTemplates(dir)
    expect(Object.keys(t).sort()).toEqual(['archive', 'card', 'confirm', 'digest', 'manage', 'welcome'])
    expect(t.digest.names.has('cards')).toBe(true)
    expect(t.card.names.has('votes')).toBe(true)
  })

  it('fails with MJML’s own message when a template breaks strict validation', async () => {
    const welcome = join(dir, 'welcome.mjml')
    const source = await readFile(welcome, 'utf8')
    // An attribute mj-text does not have: strict validation refuses the template.
    await writeFile(welcome, source.replace('<mj-text', '<mj-text not-an-attribute="1"'))
    await expect(compileTemplates(dir)).rejects.toThrow(
      /compiling the MJML templates failed:.*not-an-attribute/s,
    )
    await writeFile(welcome, source)
  })

  it('fails clearly when a template file is missing', async () => {
    await expect(compileTemplates(join(dir, 'nowhere'))).rejects.toThrow(
      /compiling the MJML templates failed:.*ENOENT/s,
    )
  })
})
