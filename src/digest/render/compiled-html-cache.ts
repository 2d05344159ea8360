// MJML's HTML is a pure function of the template files, the compile script (its options)
// and MJML's version, so it is kept on disk under a hash of all three: a process whose
// templates were already compiled by another (every worker, CLI and server start after the
// first, and each test file) reads the HTML instead of starting MJML's child process
// (about 0.7 CPU s). Only a compile that passed strict validation is ever written; any
// change to a template, a partial, the options or MJML gives another hash, and so a compile.
// The cache lives beside the dependencies (node_modules/.cache, as other tools keep theirs);
// where it cannot be written, every start compiles, as before.
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DEFAULT_CACHE_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/paperboy-templates/', import.meta.url),
)

export type Compile = (dir: string, names: readonly string[]) => Promise<string[]>

/** Every file under `dir` as [path relative to it, content], in a fixed order. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
  return Promise.all(
    paths.map(async (p) => [relative(dir, p), await readFile(p, 'utf8')] as [string, string]),
  )
}

/** The hash of everything the compiled HTML depends on, or null when `dir` cannot be read. */
export async function compileKey(
  dir: string,
  names: readonly string[],
  script: string,
): Promise<string | null> {
  try {
    const mjml = createRequire(import.meta.url)('mjml/package.json') as { version: string }
    const inputs = {
      mjml: mjml.version,
      script: await readFile(script, 'utf8'),
      names,
      files: await filesUnder(dir),
    }
    return createHash('sha256').update(JSON.stringify(inputs)).digest('hex')
  } catch {
    return null
  }
}

/** The HTML of `names` in `dir`: from the cache when the same inputs were compiled before,
 * else from `compile`, then stored. */
export async function cachedCompile(
  dir: string,
  names: readonly string[],
  script: string,
  compile: Compile,
  cacheDir: string = DEFAULT_CACHE_DIR,
): Promise<string[]> {
  const key = await compileKey(dir, names, script)
  if (!key) return compile(dir, names)
  const file = join(cacheDir, `${key}.json`)
  const hit = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as unknown,
    () => null,
  )
  if (Array.isArray(hit) && hit.length === names.length && hit.every((h) => typeof h === 'string')) return hit
  const htmls = await compile(dir, names)
  // Written beside and renamed into place: a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`
  await mkdir(cacheDir, { recursive: true })
    .then(() => writeFile(tmp, JSON.stringify(htmls)))
    .then(() => rename(tmp, file))
    .catch(() => {})
  return htmls
}
