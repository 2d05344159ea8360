// MJML compilation is the expensive step (tens of milliseconds per template), so it runs
// once per process: every template is compiled at strict validation into a skeleton with
// markers, and each email afterwards is only string assembly.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import mjml2html from 'mjml'
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

async function compileOne(dir: string, name: TemplateName): Promise<string> {
  const filePath = `${dir}/${name}.mjml`
  const source = await readFile(filePath, 'utf8')
  const { html } = await mjml2html(source, {
    validationLevel: 'strict',
    filePath,
    ignoreIncludes: false,
    keepComments: false,
    // Web fonts would be remote requests; the font stack is system fonts only.
    fonts: {},
  })
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
  const htmls = await Promise.all(names.map((n) => compileOne(dir, n)))
  const entries = names.map((name, i) => {
    const skeleton = parseSkeleton(htmls[i]!)
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
