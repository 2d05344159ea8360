// MJML compilation is the expensive step (tens of milliseconds per template), so it runs
// once per process: every template is compiled at strict validation into a skeleton with
// markers, and each email afterwards is only string assembly. MJML itself runs in a
// short-lived child process (mjml-compile.mjs), so the process never keeps it loaded, and
// its HTML is kept on disk for the next process with the same templates (compiled-html-cache.ts).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cachedCompile } from './compiled-html-cache'
import { assertNames, parseSkeleton, type Skeleton } from './skeleton'

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url))

/** Markers each template must carry, and nothing else: the contract between MJML and code. */
const MARKERS = {
  card: ['url', 'title', 'authors', 'upvotes', 'tldr', 'why', 'pdfUrl', 'codeUrl', 'projectUrl', 'votes'],
  digest: [
    'subject',
    'preheader',
    'siteUrl',
    'dateLong',
    'archiveUrl',
    'headline',
    'intro',
    'cards',
    'reason',
    'preferencesUrl',
    'unsubscribeUrl',
    'feedUrl',
  ],
  archive: [
    'title',
    'siteUrl',
    'headline',
    'intro',
    'signupUrl',
    'indexUrl',
    'feedUrl',
    'previousUrl',
    'previousLabel',
    'nextUrl',
    'nextLabel',
    'cards',
  ],
  confirm: [
    'subject',
    'preheader',
    'siteUrl',
    'greeting',
    'email',
    'settings',
    'expiresInHours',
    'actionUrl',
    'actionLabel',
    'footerNote',
  ],
  welcome: [
    'subject',
    'preheader',
    'siteUrl',
    'greeting',
    'email',
    'expectation',
    'actionUrl',
    'actionLabel',
    'unsubscribeUrl',
    'feedUrl',
    'footerNote',
  ],
  manage: [
    'subject',
    'preheader',
    'siteUrl',
    'greeting',
    'email',
    'actionUrl',
    'actionLabel',
    'unsubscribeUrl',
    'feedUrl',
    'footerNote',
  ],
} as const

export type TemplateName = keyof typeof MARKERS
export type CompiledTemplates = Readonly<Record<TemplateName, Skeleton>>

const CARD_START = '<!--pb:card-start-->'
const CARD_END = '<!--pb:card-end-->'

const MJML_COMPILE = fileURLToPath(new URL('./mjml-compile.mjs', import.meta.url))

/** MJML's HTML of each named template in `dir`, compiled in a child process that ends afterwards. */
function compileInChild(dir: string, names: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // No loader flags (the script is plain JavaScript) and no inherited NODE_OPTIONS heap sizes.
    const env = { ...process.env, NODE_OPTIONS: '' }
    execFile(
      process.execPath,
      [MJML_COMPILE, dir, ...names],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        // A template that fails strict validation: MJML's own message, from the child's stderr.
        if (err) reject(new Error(`compiling the MJML templates failed: ${stderr.trim() || err.message}`))
        else resolve(JSON.parse(stdout) as string[])
      },
    )
  })
}

/** The compiled HTML of one template as the skeleton is parsed from. */
function finish(name: TemplateName, html: string): string {
  // Indentation is a quarter of MJML's output; dropping it keeps 25 papers far from Gmail's
  // 102 KB clipping. Only whitespace after a newline goes, which HTML renders the same.
  const compact = html.replace(/\n\s+/g, '\n')
  if (name !== 'card') return compact
  const start = compact.indexOf(CARD_START)
  const end = compact.indexOf(CARD_END)
  if (start < 0 || end < start) throw new Error('card.mjml: pb:card-start/-end markers not found')
  // The card is a <tr> row of the column in card.mjml; the digest drops rows into the same kind of column.
  return compact.slice(start + CARD_START.length, end)
}

async function compileAll(dir: string): Promise<CompiledTemplates> {
  const names = Object.keys(MARKERS) as TemplateName[]
  const htmls = await cachedCompile(dir, names, MJML_COMPILE, compileInChild)
  const entries = names.map((name, i) => {
    const skeleton = parseSkeleton(finish(name, htmls[i]!))
    assertNames(`${name}.mjml`, skeleton, MARKERS[name])
    return [name, skeleton] as const
  })
  return Object.freeze(Object.fromEntries(entries) as Record<TemplateName, Skeleton>)
}

/** Compiles every template of `dir`, each call anew: a process keeps one TemplateCache instead. */
export function compileTemplates(dir: string = TEMPLATES_DIR): Promise<CompiledTemplates> {
  return compileAll(dir)
}

export type TemplateCache = {
  /** The compiled templates: compiled on the first call, later calls share the same promise. */
  get(): Promise<CompiledTemplates>
  /** How many times this cache compiled the templates (tests prove "once" with it). */
  readonly compilations: number
}

/** The templates compiled once for a process (src/deps.ts builds one and hands it around). */
export function createTemplateCache(dir: string = TEMPLATES_DIR): TemplateCache {
  let pending: Promise<CompiledTemplates> | undefined
  let compilations = 0
  return {
    get() {
      if (!pending) {
        compilations++
        const compiling = compileAll(dir)
        // A failed compile (bad template) must not be cached forever in a long-running server.
        compiling.catch(() => {
          if (pending === compiling) pending = undefined
        })
        pending = compiling
      }
      return pending
    },
    get compilations() {
      return compilations
    },
  }
}
